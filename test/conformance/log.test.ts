/**
 * Conformance: test/vectors/log/ (our transparency-log formats; see its README.md). Every file
 * of the folder is known here, rebuilt from its seeds, and every value in it is checked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../crypto/merkle/index.js';
import { parseCheckpoint, parseVerifierKey, verifyNote } from '../../crypto/note/index.js';
import { parseLogEntry, statementCommitment, logEntryLeafHash } from '../../protocol/tlog.js';
import { GENERATED } from '../vectors/log/generate.js';
import type { LogVectors } from '../vectors/log/log-vectors.js';

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
