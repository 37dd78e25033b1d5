/**
 * The auditor against a hub's public endpoints (test-support/audit-hub.ts, over the node's
 * fake log): an honest log passes with the right counts, and each way a hub can lie — in its
 * signed checkpoints or in the entries it serves — fails with its own code.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../crypto/encoding.js';
import { leafHash, rootFromLeaves } from '../../crypto/merkle/index.js';
import {
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../crypto/note/index.js';
import { toBase64 } from '../../crypto/note/text.js';
import { attestationLogEntry, encodeLogEntry, type LogEntry } from '../../protocol/tlog.js';
import { seedFor } from '../clients/test-support/deterministic.js';
import { auditLog, pageRanges, type AuditOptions, type AuditTrust } from './audit-log.js';
import type { AuditReport } from './audit-result.js';
import { stateFromNote, type AuditState } from './audit-state.js';
import { publicHubSource } from './public-hub.js';
import {
  AUDIT_HUB_URL,
  auditHub,
  sampleEntries,
  type AuditHub,
  type SampleCounts,
} from './test-support/audit-hub.js';

const N = 2503;
let hub: AuditHub;
let entries: LogEntry[];
let counts: SampleCounts;

beforeEach(async () => {
  hub = await auditHub();
  ({ entries, counts } = await sampleEntries(N));
  hub.append(entries);
});

const trustOf = (h: AuditHub, overrides: Partial<AuditTrust> = {}): AuditTrust => ({
  hubKeys: [h.key],
  origin: h.log.origin,
  witnesses: [],
  quorum: 0,
  ...overrides,
});

function audit(
  overrides: Partial<AuditTrust> = {},
  options: Partial<AuditOptions> = {},
  h: AuditHub = hub,
): Promise<AuditReport> {
  let t = 0;
  return auditLog(
    publicHubSource(new URL(`${AUDIT_HUB_URL}/`), { fetch: h.fetch }),
    trustOf(h, overrides),
    {
      clock: () => (t += 5),
      ...options,
    },
  );
}

const codes = (r: AuditReport) => r.failures.map((f) => f.code);

/** The state an auditor saves after a good audit of the hub's current log. */
function savedState(h: AuditHub = hub): AuditState {
  const parsed = stateFromNote(h.log.checkpoint());
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const otherAttestation = (n: number): LogEntry =>
  attestationLogEntry(new Uint8Array(32).fill(n), `eyJhbGciOiJFZERTQSJ9.e30.other${n}`);

describe('auditLog on an honest log', () => {
  it('verifies every entry against the signed root and counts them by kind and event', async () => {
    const r = await audit();
    expect(codes(r)).toEqual([]);
    expect(r.ok).toBe(true);
    const naiveRoot = rootFromLeaves(entries.map((e) => leafHash(utf8(encodeLogEntry(e)))));
    expect(r.checkpoint).toMatchObject({ size: N, root: toBase64(naiveRoot), cosigners: [] });
    expect(r.entries).toEqual({
      audited: N,
      byKind: {
        attestation: counts.attestation,
        agency: counts.agency,
        keyholder_key: counts.keyholder_key,
        certification: 0,
        credentialing_body: 0,
        credential: 0,
        credential_revocation: 0,
        credential_affirmation: 0,
        statistics_release: 0,
      },
      agencyEvents: {
        enrolled: counts.enrolled,
        key_rotated: counts.key_rotated,
        suspended: counts.suspended,
        reinstated: counts.reinstated,
      },
    });
    expect(counts.agency).toBeGreaterThan(counts.keyholder_key);
    expect(r).toMatchObject({ origin: hub.log.origin, originPinned: true, previous: null });
    expect(r.hubKeys).toEqual({ pinned: true, kids: [hub.key.kid] });
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it('asks for pages of at most 1000 entries covering the log exactly once, never the keys when pinned', async () => {
    await audit();
    const pages = hub.requests
      .filter((p) => p.startsWith('/v1/log/entries'))
      .map((p) => new URL(p, AUDIT_HUB_URL).searchParams)
      .map((q) => [Number(q.get('start')), Number(q.get('end'))]);
    expect(pages).toEqual([
      [0, 1000],
      [1000, 2000],
      [2000, N],
    ]);
    expect(hub.requests).not.toContain('/v1/hub/keys');
  });

  it('verifies an empty log against the root of the empty tree', async () => {
    const empty = await auditHub({ label: 'empty-hub' });
    const r = await audit({}, {}, empty);
    expect([codes(r), r.checkpoint?.size, r.entries.audited]).toEqual([[], 0, 0]);
    expect(empty.requests.some((p) => p.startsWith('/v1/log/entries'))).toBe(false);
  });

  it('takes the key from the hub when none is pinned, and says so', async () => {
    const r = await audit({ hubKeys: undefined });
    expect(r.ok).toBe(true);
    expect(r.hubKeys).toEqual({ pinned: false, kids: [hub.key.kid] });
    expect(hub.requests[0]).toBe('/v1/hub/keys');
  });

  it('takes the origin from the checkpoint when none is pinned, and says so', async () => {
    const r = await audit({ origin: undefined });
    expect([r.ok, r.origin, r.originPinned]).toEqual([true, hub.log.origin, false]);
  });

  it('passes when the log grew from the saved checkpoint, with any page size', async () => {
    const previous = savedState();
    const { entries: more } = await sampleEntries(40, 'later');
    hub.append(more);
    for (const pageSize of [1, 7, 1000]) {
      const r = await audit({}, { previous, pageSize });
      expect([codes(r), r.checkpoint?.size, r.previous?.size]).toEqual([[], N + 40, N]);
    }
    const same = await audit({ origin: undefined }, { previous: savedState() });
    expect([same.ok, same.originPinned]).toEqual([true, true]);
  });

  it('counts witness cosignatures and holds the checkpoint to the quorum', async () => {
    const witness = noteSigner(
      'spx-witness/CA0340000',
      seedFor('audit-witness'),
      SIGNATURE_TYPE_COSIGNATURE_V1,
    );
    const withWitness = { witnesses: [witness.key], quorum: 1 };
    const unwitnessed = await audit(withWitness);
    expect(codes(unwitnessed)).toEqual(['AUDIT_QUORUM_NOT_MET']);
    expect(unwitnessed.entries.audited).toBe(N);

    const text = parseSignedNote(hub.log.checkpoint()).text;
    hub.log.addCosignature(N, cosignCheckpoint(text, witness, 1_780_000_000));
    const r = await audit(withWitness);
    expect([codes(r), r.checkpoint?.cosigners]).toEqual([[], ['spx-witness/CA0340000']]);
  });
});

describe('auditLog catches a hub that lies', () => {
  it('AUDIT_ROOT_MISMATCH: an entry text altered in a response', async () => {
    hub.tamper.page = (p) => ({
      ...p,
      entries: p.entries.map((e) =>
        e.index === 1500 ? { ...e, entry: encodeLogEntry(otherAttestation(1)) } : e,
      ),
    });
    const r = await audit();
    expect(codes(r)).toEqual(['AUDIT_ROOT_MISMATCH']);
    expect(r.failures[0]!.detail['signedRoot']).toBe(r.checkpoint!.root);
  });

  it('AUDIT_ENTRIES_INCOMPLETE: an entry dropped from a page, renumbered or not', async () => {
    for (const renumber of [true, false]) {
      hub.tamper.page = (p) => {
        const kept = p.entries.filter((e) => e.index !== 1200);
        return {
          ...p,
          entries: renumber ? kept.map((e, i) => ({ ...e, index: p.start + i })) : kept,
        };
      };
      const r = await audit();
      expect(codes(r)).toEqual(['AUDIT_ENTRIES_INCOMPLETE']);
      expect(r.failures[0]!.detail).toMatchObject({ start: 1000, end: 2000, received: 999 });
    }
  });

  it('AUDIT_ROOT_MISMATCH or AUDIT_PAGE_INVALID: two entries swapped', async () => {
    const swap = (p: { entries: { index: number; entry: string }[] }, a: number, b: number) => {
      const out = [...p.entries];
      [out[a], out[b]] = [out[b]!, out[a]!];
      return out;
    };
    // Texts swapped under their places' indexes: every page is well formed, the root is not.
    hub.tamper.page = (p) => {
      if (p.start !== 0) return p;
      const swapped = swap(p, 3, 4);
      return { ...p, entries: swapped.map((e, i) => ({ ...e, index: i })) };
    };
    expect(codes(await audit())).toEqual(['AUDIT_ROOT_MISMATCH']);
    // Entries swapped with their indexes: the page does not count up.
    hub.tamper.page = (p) => (p.start !== 0 ? p : { ...p, entries: swap(p, 3, 4) });
    const r = await audit();
    expect(codes(r)).toEqual(['AUDIT_PAGE_INVALID']);
    expect(r.failures[0]!.detail).toMatchObject({ index: 3, servedIndex: 4 });
  });

  it('AUDIT_BAD_SIGNATURE: a checkpoint signed by another key, or edited after signing', async () => {
    hub.log.tamper.signer = noteSigner(hub.log.origin, seedFor('not-the-hub'));
    const r = await audit();
    expect([codes(r), r.checkpoint, r.entries.audited]).toEqual([['AUDIT_BAD_SIGNATURE'], null, 0]);
    expect(hub.requests.some((p) => p.startsWith('/v1/log/entries'))).toBe(false);

    delete hub.log.tamper.signer;
    hub.log.tamper.note = (note) => note.replace(`\n${N}\n`, `\n${N - 1}\n`);
    expect(codes(await audit())).toEqual(['AUDIT_BAD_SIGNATURE']);
  });

  it('AUDIT_ORIGIN_MISMATCH: a checkpoint of another origin than the pinned one', async () => {
    const other = await auditHub({ origin: 'elsewhere.test/log' });
    other.append(entries.slice(0, 10));
    const r = await audit({ origin: hub.log.origin }, {}, other);
    expect(codes(r)).toEqual(['AUDIT_ORIGIN_MISMATCH']);
    expect(r.failures[0]!.detail).toMatchObject({ origin: 'elsewhere.test/log' });
  });

  it('AUDIT_HISTORY_REWRITTEN: the log grew, but an entry before the saved size changed', async () => {
    const previous = savedState();
    hub.append((await sampleEntries(30, 'later')).entries);
    hub.rewriteEntry(700, otherAttestation(2));
    const r = await audit({}, { previous });
    // The entries served are the signed tree: only its history is wrong.
    expect(codes(r)).toEqual(['AUDIT_HISTORY_REWRITTEN']);
    expect(r.failures[0]!.detail).toMatchObject({ size: N + 30, previousSize: N });
    expect(r.failures[0]!.detail['previousNote']).toBe(previous.note);
  });

  it('AUDIT_HISTORY_REWRITTEN: another root signed for the saved size', async () => {
    const previous = savedState();
    hub.rewriteEntry(0, otherAttestation(3));
    const r = await audit({}, { previous });
    expect(codes(r)).toEqual(['AUDIT_HISTORY_REWRITTEN']);
  });

  it('AUDIT_ROLLBACK: a checkpoint smaller than the saved one', async () => {
    const previous = savedState();
    hub.truncate(N - 100);
    const r = await audit({}, { previous });
    expect(codes(r)).toEqual(['AUDIT_ROLLBACK']);
    expect(r.failures[0]!.detail).toMatchObject({ size: N - 100, previousSize: N });
    expect(r.entries.audited).toBe(N - 100);
  });

  it.each([
    [
      'members reordered',
      (t: string) =>
        JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(t) as object).reverse())),
    ],
    ['whitespace added', (t: string) => t.replace(':', ': ')],
    ['an unknown kind', () => '{"kind":"note","v":1}'],
    ['not JSON', (t: string) => t.slice(0, -1)],
  ])('AUDIT_ENTRY_INVALID: a page with %s, naming the entry', async (_, mangle) => {
    hub.tamper.page = (p) => ({
      ...p,
      entries: p.entries.map((e) => (e.index === 2222 ? { ...e, entry: mangle(e.entry) } : e)),
    });
    const r = await audit();
    expect(codes(r)).toEqual(['AUDIT_ENTRY_INVALID']);
    expect(r.failures[0]!.detail['index']).toBe(2222);
    expect(r.entries.audited).toBe(2000);
  });

  it.each([
    ['another start', (p: { start: number }) => ({ ...p, start: p.start + 1 })],
    ['an extra member', (p: object) => ({ ...p, next: 5 })],
    [
      'an entry beyond the range',
      (p: { start: number; entries: object[] }) => ({
        ...p,
        entries: [...p.entries, { index: p.start + p.entries.length, entry: '{}' }],
      }),
    ],
    ['no entries array', () => ({ start: 0 })],
  ])('AUDIT_PAGE_INVALID: a page with %s', async (_, mangle) => {
    hub.tamper.page = (p) => mangle(p as never);
    expect(codes(await audit())).toEqual(['AUDIT_PAGE_INVALID']);
  });
});

describe('auditLog when the hub does not answer', () => {
  it('AUDIT_UNREACHABLE: nothing at the address, or an error status', async () => {
    const r = await auditLog(
      publicHubSource(new URL('http://nowhere.test/'), { fetch: hub.fetch }),
      trustOf(hub),
      { clock: () => 0 },
    );
    expect(codes(r)).toEqual(['AUDIT_UNREACHABLE']);
    expect(r.failures[0]!.message).toBe('GET /v1/log/checkpoint: network error');

    hub.tamper.page = (p) => {
      if (p.start === 1000) throw new Error('database down');
      return p;
    };
    const failed = await audit();
    expect(codes(failed)).toEqual(['AUDIT_UNREACHABLE']);
    expect(failed.failures[0]!.message).toContain('start=1000&end=2000: HTTP 500');
  });

  it('AUDIT_UNREACHABLE: a redirect, which is not followed', async () => {
    const redirecting = (async () =>
      new Response(null, {
        status: 302,
        headers: { location: 'http://evil.test/' },
      })) as typeof fetch;
    const r = await auditLog(
      publicHubSource(new URL(`${AUDIT_HUB_URL}/`), { fetch: redirecting }),
      trustOf(hub),
      { clock: () => 0 },
    );
    expect(r.failures.map((f) => f.message)).toEqual(['GET /v1/log/checkpoint: HTTP 302']);
  });

  it('AUDIT_HUB_KEYS_INVALID: an unpinned key set that is not Ed25519 public JWKs', async () => {
    const fetchKeys = (async (input: string | URL | Request, init?: RequestInit) =>
      String(input).endsWith('/v1/hub/keys')
        ? Response.json({ keys: [{ ...hub.key.publicJwk, d: 'secret' }] })
        : hub.fetch(input, init)) as typeof fetch;
    const r = await auditLog(
      publicHubSource(new URL(`${AUDIT_HUB_URL}/`), { fetch: fetchKeys }),
      trustOf(hub, { hubKeys: undefined }),
      { clock: () => 0 },
    );
    expect(codes(r)).toEqual(['AUDIT_HUB_KEYS_INVALID']);
  });
});

describe('pageRanges', () => {
  it('covers [0, size) in pages, one of them ending at the saved size', () => {
    expect([...pageRanges(25, 10)]).toEqual([
      [0, 10],
      [10, 20],
      [20, 25],
    ]);
    expect([...pageRanges(25, 10, 13)]).toEqual([
      [0, 10],
      [10, 13],
      [13, 23],
      [23, 25],
    ]);
    expect([...pageRanges(0, 10)]).toEqual([]);
  });
});
