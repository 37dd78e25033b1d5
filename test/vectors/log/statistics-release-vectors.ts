/**
 * Golden vectors of a statistics release's log entry and signed manifest (docs/protocol.md
 * §5.17): coverage and the tier it allows at each threshold, the release's bodies with their
 * digests, the `statistics_release` entry as canonical JSON with its leaf hash, the hub's
 * manifest (a signed statement whose payload is the entry plus its log index), and entry texts
 * a verifier must refuse. Fixed seeds and hand-written inputs: only digests, hashes and the
 * signature are computed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import {
  canonicalJson,
  signStatement,
  signingKeyFromSeed,
  type JsonObject,
} from '../../../crypto/signing/index.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import { coverageOf, coverageTier } from '../../../protocol/statistics-coverage.js';
import {
  encodeLogEntry,
  logEntryLeafHash,
  type StatisticsReleaseLogEntry,
} from '../../../protocol/tlog.js';

const seed = (label: string) => sha256(utf8(`spx statistics release vectors: ${label}`));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const digest = (text: string) => toBase64url(sha256(utf8(text)));

/**
 * Coverage cases (§5.17.1): agencies as (sworn headcount or null, certified), around each
 * threshold, so the integer comparison and the rounded-down percent are both pinned.
 */
const COVERAGE_CASES: { name: string; agencies: { sworn: number | null; certified: boolean }[] }[] =
  [
    { name: 'no known headcount', agencies: [{ sworn: null, certified: false }] },
    {
      name: 'just under 40 %',
      agencies: [
        { sworn: 3999, certified: true },
        { sworn: 6001, certified: false },
      ],
    },
    {
      name: 'exactly 40 %',
      agencies: [
        { sworn: 40, certified: true },
        { sworn: 60, certified: false },
      ],
    },
    {
      name: '59.999 %: rounded down, still percentages',
      agencies: [
        { sworn: 59_999, certified: true },
        { sworn: 40_001, certified: false },
      ],
    },
    {
      name: 'exactly 60 %, an agency of unknown headcount in neither sum',
      agencies: [
        { sworn: 3, certified: true },
        { sworn: 2, certified: false },
        { sworn: null, certified: false },
      ],
    },
    {
      name: '2/3: rounded down to 66.66',
      agencies: [
        { sworn: 2, certified: true },
        { sworn: 1, certified: false },
      ],
    },
    {
      name: 'exactly 80 %',
      agencies: [
        { sworn: 4, certified: true },
        { sworn: 1, certified: false },
      ],
    },
    {
      name: 'every agency certified',
      agencies: [
        { sworn: 120, certified: true },
        { sworn: 8, certified: true },
      ],
    },
  ];

/** A small release: its JSON and CSV bodies as served (the digests are of these bytes). */
const JSON_BODY =
  '{"metadata":{"format":1,"version":7,"tier":"full","layout":"sparse"},"rows":[{"dimensions":{"category":"*","year":"*"},"count":412,"suppressed":null}]}';
const CSV_BODY = 'category,year,count,suppressed\r\n*,*,412,\r\n';

export async function buildStatisticsReleaseVectors() {
  const coverage = COVERAGE_CASES.map((c) => {
    const value = coverageOf('2026-Q1', c.agencies);
    return { name: c.name, agencies: c.agencies, coverage: value, tier: coverageTier(value) };
  });
  const full = coverage[coverage.length - 1]!;
  const entry: StatisticsReleaseLogEntry = {
    v: 1,
    kind: 'statistics_release',
    version: 7,
    asOf: '2026-05-01T00:00:00Z',
    tier: full.tier,
    coverage: full.coverage,
    json: digest(JSON_BODY),
    csv: digest(CSV_BODY),
    at: '2026-05-01T00:01:02Z',
  };
  const withheld: StatisticsReleaseLogEntry = {
    ...entry,
    version: 8,
    asOf: '2026-08-01T00:00:00Z',
    tier: coverage[1]!.tier,
    coverage: coverage[1]!.coverage,
    // A withheld release is published all the same: its CSV is the header line alone.
    json: digest('{"metadata":{"format":1,"version":8,"tier":"withheld"},"rows":[]}'),
    csv: digest('category,year,suppressed\r\n'),
    at: '2026-08-01T00:00:09Z',
  };
  const hub = await signingKeyFromSeed(seed('hub key'));
  const manifestPayload = { ...entry, logIndex: 90412 } as unknown as JsonObject;
  const manifest = await signStatement(manifestPayload, {
    typ: STATEMENT_TYPES.statisticsRelease,
    key: hub,
  });
  const text = encodeLogEntry(entry);
  const refused = (desc: string, patch: Record<string, unknown>) => ({
    desc,
    text: canonicalJson({ ...entry, ...patch } as JsonObject),
  });
  return {
    description:
      'Statistics releases (docs/protocol.md §5.17): coverage and tier at each threshold; a release with its bodies, its statistics_release log entry and leaf hash, and its signed manifest; refused entry texts.',
    coverage,
    release: {
      bodies: { json: JSON_BODY, csv: CSV_BODY },
      entries: [entry, withheld].map((e) => ({
        entry: encodeLogEntry(e),
        leafHash: hex(logEntryLeafHash(e)),
      })),
      hubKey: { kid: hub.kid, publicJwk: hub.publicJwk },
      manifest,
      logIndex: 90412,
    },
    refusedEntries: [
      refused('unknown tier', { tier: 'counts' }),
      refused('release number 0', { version: 0 }),
      refused('digest of the wrong length', { json: toBase64url(seed('short').slice(0, 16)) }),
      refused('manifest member logIndex in the entry', { logIndex: 90412 }),
      refused('coverage with an extra member', { coverage: { ...full.coverage, sworn: 1 } }),
      refused('coverage period not a period', {
        coverage: { ...full.coverage, period: '2026-W14' },
      }),
      {
        desc: 'not canonical: members out of order',
        text: text.replace('{"asOf"', '{"v":1,"asOf"').replace(',"v":1,', ','),
      },
      {
        desc: 'csv digest missing',
        text: canonicalJson(
          Object.fromEntries(Object.entries(entry).filter(([k]) => k !== 'csv')) as JsonObject,
        ),
      },
    ],
  };
}

export type StatisticsReleaseVectors = Awaited<ReturnType<typeof buildStatisticsReleaseVectors>>;
