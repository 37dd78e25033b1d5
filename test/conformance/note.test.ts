/**
 * Conformance: every vector file of test/vectors/note/ (see its README.md). Published notes,
 * keys and cosignatures (Go sumdb/note, sum.golang.org, sigsum-go, torchwood, transparency-dev,
 * the C2SP specs) are reproduced or verified as published; the golden file is rebuilt from
 * its fixed seeds and compared, then every case is run through the verifier.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  cosignatureV1Message,
  formatSignerKey,
  formatVerifierKey,
  noteSigner,
  noteVerifierKey,
  parseCheckpoint,
  parseSignedNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyCosignedCheckpoint,
  verifyNote,
} from '../../crypto/note/index.js';
import type { Checkpoint, NoteVerifierKey } from '../../crypto/note/index.js';
import { fromBase64, toBase64 } from '../../crypto/note/text.js';
import { utf8 } from '../../crypto/encoding.js';
import { GENERATED } from '../vectors/note/generate.js';
import type { GoldenVectors } from '../vectors/note/golden-vectors.js';

const dir = new URL('../vectors/note/', import.meta.url);
const load = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T;

const HANDLED = [
  'c2sp-examples.json',
  'go-sumdb-note.json',
  'golden.json',
  'sigsum-go.json',
  'sum-golang-org.json',
  'torchwood.json',
  'transparency-dev-formats.json',
];

interface JsonCheckpoint {
  origin: string;
  size: number;
  rootHash: string;
  extensions: string[];
}
const asJson = (c: Checkpoint): JsonCheckpoint => ({
  origin: c.origin,
  size: c.size,
  rootHash: toBase64(c.rootHash),
  extensions: [...c.extensions],
});
const thrownCode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return undefined;
};

it('every vector file of the note area has a runner here', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  expect(files).toEqual(HANDLED);
});

describe('golang.org/x/mod/sumdb/note (note_test.go)', () => {
  const v = load<{
    signerKey: string;
    verifierKeys: Record<string, string>;
    text: string;
    signed: string;
    open: {
      name: string;
      note: string;
      known: string[];
      expected: { ok: boolean; verifiedBy?: string[]; code?: string };
    }[];
    malformed: { name: string; note?: string; noteHex?: string }[];
    badVerifierKeys: { name: string; key: string }[];
  }>('go-sumdb-note.json');
  const keys = Object.fromEntries(
    Object.entries(v.verifierKeys).map(([k, s]) => [k, parseVerifierKey(s)]),
  ) as Record<string, NoteVerifierKey>;

  it('parses the signer key, derives the verifier key, and reproduces the published signed note', () => {
    const signer = parseSignerKey(v.signerKey);
    expect(formatVerifierKey(signer.key)).toBe(v.verifierKeys['peter']);
    expect(formatSignerKey(signer)).toBe(v.signerKey);
    expect(signNote(v.text, [signer])).toBe(v.signed);
  });

  for (const c of v.open) {
    it(`opens: ${c.name}`, () => {
      const result = verifyNote(
        c.note,
        c.known.map((k) => keys[k]!),
      );
      if (c.expected.ok) {
        expect(result.ok && result.value.verifiedBy.map((s) => s.key.name)).toEqual(
          c.expected.verifiedBy,
        );
        expect(result.ok && result.value.text).toBe(v.text);
      } else {
        expect(result).toMatchObject({ ok: false, error: { code: c.expected.code } });
      }
    });
  }

  for (const c of v.malformed) {
    it(`rejects as NOTE_MALFORMED: ${c.name}`, () => {
      const note = c.noteHex !== undefined ? hexToBytes(c.noteHex) : c.note!;
      expect(verifyNote(note, [keys['peter']!])).toMatchObject({
        ok: false,
        error: { code: 'NOTE_MALFORMED' },
      });
    });
  }

  it('refuses the published bad verifier keys, every proper substring and every byte incremented', () => {
    for (const bad of v.badVerifierKeys)
      expect(thrownCode(() => parseVerifierKey(bad.key))).toBe('KEY_INVALID');
    for (const good of [v.verifierKeys['peter']!, v.signerKey]) {
      const parse = good === v.signerKey ? parseSignerKey : parseVerifierKey;
      for (let i = 0; i <= good.length; i++) {
        for (let j = i + 1; j <= good.length; j++) {
          if (i !== 0 || j !== good.length)
            expect(thrownCode(() => parse(good.slice(i, j)))).toBe('KEY_INVALID');
        }
      }
      for (let i = 0; i < good.length; i++) {
        const bumped =
          good.slice(0, i) + String.fromCharCode(good.charCodeAt(i) + 1) + good.slice(i + 1);
        expect(thrownCode(() => parse(bumped))).toBe('KEY_INVALID');
      }
    }
  });
});

describe('sum.golang.org checkpoint', () => {
  const v = load<{ verifierKey: string; note: string; checkpoint: JsonCheckpoint }>(
    'sum-golang-org.json',
  );
  it('verifies under the published key, with an origin that differs from the key name', () => {
    const logKey = parseVerifierKey(v.verifierKey);
    const result = verifyCosignedCheckpoint(v.note, {
      logKey,
      witnesses: [],
      quorum: 0,
      origin: v.checkpoint.origin,
    });
    expect(result.ok && asJson(result.value.checkpoint)).toEqual(v.checkpoint);
    expect(verifyCosignedCheckpoint(v.note, { logKey, witnesses: [], quorum: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CHECKPOINT_ORIGIN_MISMATCH' },
    });
  });
});

describe('sigsum-go checkpoint and cosignature', () => {
  const v = load<{
    seedHex: string;
    logCheckpoint: { keyName: string; note: string; checkpoint: JsonCheckpoint };
    cosignature: {
      witnessName: string;
      checkpointText: string;
      timestamp: number;
      line: string;
      lines: string[];
    };
  }>('sigsum-go.json');
  const seed = hexToBytes(v.seedHex);

  it('verifies the checkpoint signed by the seed-derived log key and reproduces its signature', () => {
    const log = noteSigner(v.logCheckpoint.keyName, seed);
    const result = verifyCosignedCheckpoint(v.logCheckpoint.note, {
      logKey: log.key,
      witnesses: [],
      quorum: 0,
    });
    expect(result.ok && asJson(result.value.checkpoint)).toEqual(v.logCheckpoint.checkpoint);
    const text = parseSignedNote(v.logCheckpoint.note).text;
    expect(signNote(text, [log])).toBe(v.logCheckpoint.note);
  });

  it('reproduces the published cosignature line exactly and verifies it', () => {
    const witness = noteSigner(v.cosignature.witnessName, seed, 0x04);
    const c = v.cosignature;
    expect(cosignCheckpoint(c.checkpointText, witness, c.timestamp)).toBe(c.line);
    const three = verifyNote(`${c.checkpointText}\n${c.lines.slice(0, 3).join('')}`, [witness.key]);
    expect(three.ok && three.value.verifiedBy.map((s) => s.timestamp)).toEqual([c.timestamp]);
    const four = verifyNote(`${c.checkpointText}\n${c.lines.join('')}`, [witness.key]);
    expect(four).toEqual({
      ok: false,
      error: { code: 'COSIGNATURE_INVALID', field: 'signatures[3]' },
    });
  });
});

describe('torchwood witness test checkpoints', () => {
  const v = load<{
    origin: string;
    publicKeyHex: string;
    checkpoints: { note: string; size: number; rootHashHex: string }[];
  }>('torchwood.json');
  const logKey = noteVerifierKey(v.origin, hexToBytes(v.publicKeyHex));
  for (const c of v.checkpoints) {
    it(`verifies the size-${c.size} checkpoint`, () => {
      const result = verifyCosignedCheckpoint(c.note, { logKey, witnesses: [], quorum: 0 });
      expect(
        result.ok && [result.value.checkpoint.size, bytesToHex(result.value.checkpoint.rootHash)],
      ).toEqual([c.size, c.rootHashHex]);
    });
  }
});

describe('C2SP specification examples', () => {
  const v = load<{
    signedNote: {
      note: string;
      text: string;
      signatures: { name: string; keyHashHex: string; signatureLength: number }[];
    };
    cosignedCheckpoint: {
      note: string;
      checkpoint: JsonCheckpoint;
      cosignature: { name: string; keyHashHex: string; timestamp: number };
      signedMessage: string;
    };
  }>('c2sp-examples.json');

  it('parses the signed-note example', () => {
    const parsed = parseSignedNote(v.signedNote.note);
    expect(parsed.text).toBe(v.signedNote.text);
    expect(
      parsed.signatures.map((s) => ({
        name: s.name,
        keyHashHex: bytesToHex(s.keyHash),
        signatureLength: s.signature.length,
      })),
    ).toEqual(v.signedNote.signatures);
    expect(verifyNote(v.signedNote.note, [])).toMatchObject({
      ok: false,
      error: { code: 'NOTE_UNVERIFIED' },
    });
  });

  it('parses the cosigned checkpoint example, its cosignature time and the message it signs', () => {
    const c = v.cosignedCheckpoint;
    const parsed = parseSignedNote(c.note);
    expect(asJson(parseCheckpoint(parsed.text))).toEqual(c.checkpoint);
    const cosig = parsed.signatures[1]!;
    expect([cosig.name, bytesToHex(cosig.keyHash), cosig.signature.length]).toEqual([
      c.cosignature.name,
      c.cosignature.keyHashHex,
      72,
    ]);
    const time = Number(
      new DataView(cosig.signature.buffer, cosig.signature.byteOffset).getBigUint64(0),
    );
    expect(time).toBe(c.cosignature.timestamp);
    expect(cosignatureV1Message(parsed.text, time)).toEqual(utf8(c.signedMessage));
  });
});

describe('transparency-dev/formats verifier keys and cosignature timestamp', () => {
  const v = load<{
    validVerifierKeys: { key: string; name: string; type: number }[];
    refusedVerifierKeys: { name: string; key: string }[];
    cosignatureTimestamp: { signature: string; timestamp: number };
  }>('transparency-dev-formats.json');

  for (const k of v.validVerifierKeys) {
    it(`parses and re-formats ${k.name} (type ${k.type})`, () => {
      const key = parseVerifierKey(k.key);
      expect([key.name, key.type, formatVerifierKey(key)]).toEqual([k.name, k.type, k.key]);
    });
  }
  for (const k of v.refusedVerifierKeys) {
    it(`refuses: ${k.name}`, () =>
      expect(thrownCode(() => parseVerifierKey(k.key))).toBe('KEY_INVALID'));
  }
  it('reads the timestamp of the published cosignature', () => {
    const raw = fromBase64(v.cosignatureTimestamp.signature)!;
    expect(raw).toHaveLength(4 + 8 + 64);
    expect(Number(new DataView(raw.buffer).getBigUint64(4))).toBe(v.cosignatureTimestamp.timestamp);
  });
});

describe('golden signed checkpoints and cosignatures', () => {
  const v = load<GoldenVectors>('golden.json');
  const logKey = parseVerifierKey(v.keys.log.verifierKey);
  const witnesses = v.keys.witnesses.map((w) => parseVerifierKey(w.verifierKey));

  it('are reproduced exactly by generate.ts', () => {
    expect(GENERATED['golden.json']()).toEqual(v);
  });

  it('have key strings that match their seeds', () => {
    for (const k of [v.keys.log, ...v.keys.witnesses, v.keys.outsider]) {
      const signer = parseSignerKey(k.signerKey);
      expect([bytesToHex(signer.seed), formatVerifierKey(signer.key)]).toEqual([
        k.seedHex,
        k.verifierKey,
      ]);
    }
  });

  for (const s of v.signedNotes) {
    it(`verifies the signed note: ${s.name}`, () => {
      expect(verifyNote(s.note, [logKey])).toMatchObject({ ok: true, value: { text: s.text } });
    });
  }

  for (const c of v.cosigned) {
    it(`${c.expected.ok ? 'accepts' : `rejects with ${c.expected.code}`}: ${c.name}`, () => {
      const result = verifyCosignedCheckpoint(c.note, {
        logKey,
        witnesses,
        quorum: c.quorum,
        origin: c.origin ?? undefined,
      });
      if (result.ok) {
        expect({
          ok: true,
          checkpoint: asJson(result.value.checkpoint),
          cosigners: result.value.cosigners.map((w) => ({
            name: w.key.name,
            timestamp: w.timestamp,
          })),
        }).toEqual(c.expected);
      } else {
        expect({ ok: false, code: result.error.code, field: result.error.field ?? null }).toEqual(
          c.expected,
        );
      }
    });
  }
});
