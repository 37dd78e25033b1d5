import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { formatCheckpoint } from './checkpoint.js';
import { cosignCheckpoint, verifyCosignedCheckpoint } from './cosignature.js';
import type { CosignaturePolicy } from './cosignature.js';
import { noteSigner, noteVerifierKey } from './keys.js';
import {
  appendSignatureLines,
  formatSignatureLine,
  formatSignedNote,
  parseSignedNote,
  signNote,
} from './signed-note.js';
import { verifyNote } from './verify-note.js';

const seed = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff);
const log = noteSigner('spx.example/log', seed(0x00));
const [w1, w2, w3] = [0x20, 0x40, 0x60].map((s, i) =>
  noteSigner(`witness.example/w${i + 1}`, seed(s), 0x04),
) as [ReturnType<typeof noteSigner>, ReturnType<typeof noteSigner>, ReturnType<typeof noteSigner>];
const T = 1767225600; // 2026-01-01T00:00:00Z

const text = formatCheckpoint({
  origin: 'spx.example/log',
  size: 7,
  rootHash: new Uint8Array(32).fill(7),
  extensions: [],
});
const logged = signNote(text, [log]);
const policy = (quorum: number, extra: Partial<CosignaturePolicy> = {}): CosignaturePolicy => ({
  logKey: log.key,
  witnesses: [w1.key, w2.key, w3.key],
  quorum,
  ...extra,
});
const cosigned = (...lines: string[]) => appendSignatureLines(logged, lines.join(''));

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, field } = e as { code: string; field: string };
    return { code, field };
  }
  return undefined;
};

describe('cosignCheckpoint', () => {
  it('signs "cosignature/v1", the time and the checkpoint text, after an 8-byte timestamp', () => {
    const line = cosignCheckpoint(text, w1, T);
    const sig = parseSignedNote(`${text}\n${line}`).signatures[0]!;
    expect(sig.name).toBe(w1.key.name);
    expect(sig.keyHash).toEqual(w1.key.keyHash);
    expect(sig.signature.slice(0, 8)).toEqual(Uint8Array.of(0, 0, 0, 0, 0x69, 0x55, 0xb9, 0x00));
    const message = utf8(`cosignature/v1\ntime ${T}\n${text}`);
    expect(ed25519.verify(sig.signature.slice(8), message, w1.key.publicKey)).toBe(true);
  });

  it('refuses text that is not a checkpoint, a plain signing key and a bad timestamp', () => {
    expect(thrown(() => cosignCheckpoint('hello\n', w1, T))?.code).toBe('CHECKPOINT_MALFORMED');
    expect(thrown(() => cosignCheckpoint(text, log, T))).toEqual({
      code: 'KEY_INVALID',
      field: 'witness',
    });
    for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(thrown(() => cosignCheckpoint(text, w1, t))).toEqual({
        code: 'COSIGNATURE_INVALID',
        field: 'timestamp',
      });
    }
  });
});

describe('verifyCosignedCheckpoint', () => {
  const note = cosigned(cosignCheckpoint(text, w1, T), cosignCheckpoint(text, w3, T + 5));

  it('returns the checkpoint and the witnesses that cosigned, with their times', () => {
    const result = verifyCosignedCheckpoint(note, policy(2));
    expect(result).toMatchObject({
      ok: true,
      value: { text, checkpoint: { origin: 'spx.example/log', size: 7 } },
    });
    if (!result.ok) return;
    expect(result.value.cosigners.map((c) => [c.key.name, c.timestamp])).toEqual([
      [w1.key.name, T],
      [w3.key.name, T + 5],
    ]);
  });

  it('fails when fewer distinct witnesses cosigned than the quorum', () => {
    expect(verifyCosignedCheckpoint(note, policy(3))).toEqual({
      ok: false,
      error: { code: 'COSIGNATURE_QUORUM_NOT_MET', field: undefined },
    });
    const twice = cosigned(cosignCheckpoint(text, w1, T), cosignCheckpoint(text, w1, T + 1));
    expect(verifyCosignedCheckpoint(twice, policy(2))).toMatchObject({
      ok: false,
      error: { code: 'COSIGNATURE_QUORUM_NOT_MET' },
    });
  });

  it('ignores cosignatures by witnesses outside the policy', () => {
    const outsider = noteSigner('witness.example/w9', seed(0x80), 0x04);
    const withOutsider = cosigned(cosignCheckpoint(text, outsider, T));
    expect(verifyCosignedCheckpoint(withOutsider, policy(0))).toMatchObject({
      ok: true,
      value: { cosigners: [] },
    });
  });

  it('rejects a cosignature over another checkpoint, or with a changed time', () => {
    const other = text.replace('\n7\n', '\n8\n');
    expect(verifyCosignedCheckpoint(cosigned(cosignCheckpoint(other, w2, T)), policy(0))).toEqual({
      ok: false,
      error: { code: 'COSIGNATURE_INVALID', field: 'signatures[1]' },
    });
    const sig = parseSignedNote(`${text}\n${cosignCheckpoint(text, w2, T)}`).signatures[0]!;
    const later = Uint8Array.from(sig.signature);
    later[7] = later[7]! + 1;
    const moved = cosigned(formatSignatureLine({ ...sig, signature: later }));
    expect(verifyCosignedCheckpoint(moved, policy(0))).toMatchObject({
      ok: false,
      error: { code: 'COSIGNATURE_INVALID', field: 'signatures[1]' },
    });
  });

  it('rejects a cosignature copied under another witness name with that witness key hash', () => {
    const sig = parseSignedNote(`${text}\n${cosignCheckpoint(text, w1, T)}`).signatures[0]!;
    const renamed = formatSignatureLine({ ...sig, name: w2.key.name, keyHash: w2.key.keyHash });
    expect(verifyCosignedCheckpoint(cosigned(renamed), policy(1))).toMatchObject({
      ok: false,
      error: { code: 'COSIGNATURE_INVALID' },
    });
  });

  it('refuses a policy giving one public key two witness names, under which that copy would count', () => {
    const sig = parseSignedNote(`${text}\n${cosignCheckpoint(text, w1, T)}`).signatures[0]!;
    const alias = noteVerifierKey('witness.example/alias', w1.key.publicKey, 0x04);
    const renamed = formatSignatureLine({ ...sig, name: alias.name, keyHash: alias.keyHash });
    // The cosigned message does not name the witness: the copy verifies under the alias.
    const both = `${text}\n${formatSignatureLine(sig)}${renamed}`;
    expect(verifyNote(both, [w1.key, alias])).toMatchObject({ ok: true });
    expect(
      thrown(() =>
        verifyCosignedCheckpoint(cosigned(renamed), policy(2, { witnesses: [w1.key, alias] })),
      ),
    ).toEqual({
      code: 'NOTE_POLICY_INVALID',
      field: 'witnesses[1]',
    });
  });

  it('requires a valid log signature, and the expected origin', () => {
    const onlyCosigs = `${text}\n${cosignCheckpoint(text, w1, T)}`;
    expect(verifyCosignedCheckpoint(onlyCosigs, policy(1))).toMatchObject({
      ok: false,
      error: { code: 'NOTE_UNVERIFIED' },
    });
    const byOther = signNote(text, [noteSigner(log.key.name, seed(0xa0))]);
    expect(verifyCosignedCheckpoint(byOther, policy(0))).toMatchObject({
      ok: false,
      error: { code: 'NOTE_UNVERIFIED' },
    });
    const logSig = parseSignedNote(logged).signatures[0]!;
    const onOther = formatSignedNote({
      text: text.replace('\n7\n', '\n8\n'),
      signatures: [logSig],
    });
    expect(verifyCosignedCheckpoint(onOther, policy(0))).toEqual({
      ok: false,
      error: { code: 'NOTE_SIGNATURE_INVALID', field: 'signatures[0]' },
    });
    expect(verifyCosignedCheckpoint(logged, policy(0, { origin: 'other.example/log' }))).toEqual({
      ok: false,
      error: { code: 'CHECKPOINT_ORIGIN_MISMATCH', field: 'origin' },
    });
  });

  it('reports a log-signed text that is not a checkpoint as CHECKPOINT_MALFORMED', () => {
    const bad = signNote('spx.example/log\n07\nAAAA\n', [log]);
    expect(verifyCosignedCheckpoint(bad, policy(0))).toEqual({
      ok: false,
      error: { code: 'CHECKPOINT_MALFORMED', field: 'size' },
    });
  });

  it('refuses cosignature timestamps it cannot hold exactly (above 2^53 - 1)', () => {
    const t = 9007199254740993n;
    const time = new Uint8Array(8);
    new DataView(time.buffer).setBigUint64(0, t);
    const signature = ed25519.sign(utf8(`cosignature/v1\ntime ${t}\n${text}`), w1.seed);
    const line = formatSignatureLine({
      name: w1.key.name,
      keyHash: w1.key.keyHash,
      signature: concatBytes(time, signature),
    });
    expect(verifyCosignedCheckpoint(cosigned(line), policy(0))).toMatchObject({
      ok: false,
      error: { code: 'COSIGNATURE_INVALID' },
    });
  });

  it.each([
    ['a quorum above the number of witnesses', { quorum: 4 }, 'quorum'],
    ['a negative quorum', { quorum: -1 }, 'quorum'],
    ['a fractional quorum', { quorum: 0.5 }, 'quorum'],
    ['a log key of the cosignature type', { logKey: w3.key, witnesses: [w1.key] }, 'logKey'],
    [
      'a witness key of the plain type',
      { witnesses: [noteSigner('w', seed(0xc0)).key] },
      'witnesses[0]',
    ],
    ['the log key listed again as a witness', { witnesses: [log.key] }, 'keys[1]'],
    [
      'a witness sharing the log public key',
      { witnesses: [noteVerifierKey('w', log.key.publicKey, 0x04)] },
      'witnesses[0]',
    ],
  ])('throws NOTE_POLICY_INVALID for %s', (_, change, field) => {
    expect(thrown(() => verifyCosignedCheckpoint(note, { ...policy(1), ...change }))).toEqual({
      code: 'NOTE_POLICY_INVALID',
      field,
    });
  });
});
