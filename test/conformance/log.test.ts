/**
 * Conformance: test/vectors/log/ (our transparency-log formats; see its README.md). Every file
 * of the folder is known here, rebuilt from its seeds, and every value in it is checked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../crypto/merkle/index.js';
import { parseCheckpoint, parseVerifierKey, verifyNote } from '../../crypto/note/index.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url } from '../../crypto/encoding.js';
import { verifyStatement, type PublicJwk } from '../../crypto/signing/index.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { coverageOf, coverageTier } from '../../protocol/statistics-coverage.js';
import {
  encodeLogEntry,
  parseLogEntry,
  statementCommitment,
  logEntryLeafHash,
  StatisticsReleaseLogEntrySchema,
} from '../../protocol/tlog.js';
import { GENERATED } from '../vectors/log/generate.js';
import type { LogVectors } from '../vectors/log/log-vectors.js';
import type { StatisticsReleaseVectors } from '../vectors/log/statistics-release-vectors.js';

const dir = new URL('../vectors/log/', import.meta.url);
const v = JSON.parse(readFileSync(new URL('log.json', dir), 'utf8')) as LogVectors;
const b64u = (s: string) => fromBase64url(s)!;
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('transparency-log vectors', () => {
  it('knows every file of the folder', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(Object.keys(GENERATED));
  });

  it('are reproduced exactly by generate.ts', () => {
    expect(GENERATED['log.json']()).toEqual(v);
  });

  it.each(v.commitments)('commitment of $statement', (c) => {
    expect(statementCommitment(b64u(c.salt), c.statement)).toBe(c.commitment);
  });

  it.each(v.entries)('entry $index parses, is canonical and has its leaf hash', (e) => {
    const parsed = parseLogEntry(e.entry);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(logEntryLeafHash(parsed.entry)).toEqual(hex(e.leafHash));
    expect(leafHash(utf8(e.entry))).toEqual(hex(e.leafHash));
  });

  const logKey = parseVerifierKey(v.logKey);
  const verified = verifyNote(v.checkpoint, [logKey]);
  if (!verified.ok) throw new Error(`checkpoint does not verify: ${verified.error.code}`);
  const checkpoint = parseCheckpoint(verified.value.text);

  it('has a checkpoint signed by the log key, of every entry', () => {
    expect(checkpoint.origin).toBe(v.origin);
    expect(checkpoint.size).toBe(v.entries.length);
    const tampered = v.checkpoint.replace(`\n${checkpoint.size}\n`, `\n${checkpoint.size + 1}\n`);
    expect(verifyNote(tampered, [logKey]).ok).toBe(false);
  });

  it.each(v.inclusions)('inclusion proof of entry $index verifies', (p) => {
    const leaf = hex(v.entries[p.index]!.leafHash);
    const proof = p.proof.map(b64u);
    expect(verifyInclusion(p.index, checkpoint.size, leaf, proof, checkpoint.rootHash).ok).toBe(
      true,
    );
    const other = hex(v.entries[(p.index + 1) % v.entries.length]!.leafHash);
    expect(verifyInclusion(p.index, checkpoint.size, other, proof, checkpoint.rootHash).ok).toBe(
      false,
    );
  });

  it.each(v.consistency)('consistency proof $from → $to verifies', (p) => {
    const proof = p.proof.map(b64u);
    expect(verifyConsistency(p.from, p.to, proof, hex(p.root), checkpoint.rootHash).ok).toBe(true);
  });

  it.each(v.refusedEntries)('refuses an entry: $desc', (r) => {
    expect(parseLogEntry(r.text).ok).toBe(false);
  });
});

describe('statistics release vectors (§5.17)', () => {
  const r = JSON.parse(
    readFileSync(new URL('statistics-release.json', dir), 'utf8'),
  ) as StatisticsReleaseVectors;

  it('are reproduced exactly by generate.ts', async () => {
    expect(await GENERATED['statistics-release.json']()).toEqual(r);
  });

  it.each(r.coverage)('coverage and tier: $name', (c) => {
    expect(coverageOf(c.coverage.period, c.agencies)).toEqual(c.coverage);
    expect(coverageTier(c.coverage)).toBe(c.tier);
  });

  it.each(r.release.entries)('entry $entry parses, is canonical and has its leaf hash', (e) => {
    const parsed = parseLogEntry(e.entry);
    expect(parsed).toMatchObject({ ok: true, entry: { kind: 'statistics_release' } });
    if (!parsed.ok) return;
    expect(encodeLogEntry(parsed.entry)).toBe(e.entry);
    expect(leafHash(utf8(e.entry))).toEqual(hex(e.leafHash));
  });

  it('names the digests of the bodies as served', () => {
    const entry = StatisticsReleaseLogEntrySchema.parse(JSON.parse(r.release.entries[0]!.entry));
    expect(entry.json).toBe(toBase64url(sha256(utf8(r.release.bodies.json))));
    expect(entry.csv).toBe(toBase64url(sha256(utf8(r.release.bodies.csv))));
    expect(entry.csv).not.toBe(
      toBase64url(sha256(utf8(r.release.bodies.csv.replaceAll('\r', '')))),
    );
  });

  it('has a manifest signed by the hub whose payload is the entry plus its log index', async () => {
    const resolveKey = (kid: string) =>
      kid === r.release.hubKey.kid ? (r.release.hubKey.publicJwk as PublicJwk) : undefined;
    const verified = await verifyStatement(r.release.manifest, {
      typ: STATEMENT_TYPES.statisticsRelease,
      resolveKey,
    });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    const { logIndex, ...entry } = verified.value.payload;
    expect(logIndex).toBe(r.release.logIndex);
    expect(encodeLogEntry(StatisticsReleaseLogEntrySchema.parse(entry))).toBe(
      r.release.entries[0]!.entry,
    );
    // Another statement type does not pass for a manifest.
    expect(
      (await verifyStatement(r.release.manifest, { typ: STATEMENT_TYPES.attestation, resolveKey }))
        .ok,
    ).toBe(false);
  });

  it.each(r.refusedEntries)('refuses an entry: $desc', (e) => {
    expect(parseLogEntry(e.text).ok).toBe(false);
  });
});
