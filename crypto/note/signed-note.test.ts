import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { noteSigner, noteVerifierKey } from './keys.js';
import {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  appendSignatureLines,
  formatSignatureLine,
  formatSignedNote,
  parseSignedNote,
  signNote,
} from './signed-note.js';
import { fromBase64, toBase64 } from './text.js';
import { verifyNote } from './verify-note.js';

const seed = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff);
const alice = noteSigner('alice.example/log', seed(0x00));
const bob = noteSigner('bob.example/log', seed(0x20));
const TEXT = 'first line\n\nthird line, after an empty one\n';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, field } = e as { code: string; field: string };
    return { code, field };
  }
  return undefined;
};

describe('parseSignedNote', () => {
  const note = signNote(TEXT, [alice, bob]);

  it('splits the text from the signatures at the last empty line', () => {
    const parsed = parseSignedNote(note);
    expect(parsed.text).toBe(TEXT);
    expect(parsed.signatures.map((s) => s.name)).toEqual([alice.key.name, bob.key.name]);
    expect(parsed.signatures[0]!.keyHash).toEqual(alice.key.keyHash);
    expect(parsed.signatures[0]!.signature).toHaveLength(64);
    expect(formatSignedNote(parsed)).toBe(note);
  });

  it('accepts the bytes as received, and refuses bytes that are not UTF-8', () => {
    expect(parseSignedNote(utf8(note)).text).toBe(TEXT);
    const bad = Uint8Array.from([0xff, ...utf8(note)]);
    expect(thrown(() => parseSignedNote(bad))).toEqual({ code: 'NOTE_MALFORMED', field: 'note' });
  });

  const line = note.slice(note.lastIndexOf('\u2014'));
  it.each([
    ['no empty line at all', 'one line\n', 'note'],
    ['a text whose last empty line is followed by text, not signatures', TEXT, 'signatures[0]'],
    ['an empty signature block', `${TEXT}\n`, 'signatures'],
    ['a last line without newline', note.slice(0, -1), 'signatures'],
    ['a carriage return', note.replace('first line', 'first\rline'), 'note'],
    ['a tab', note.replace('first line', 'first\tline'), 'note'],
    ['a NUL', note.replace('first line', 'first\u0000line'), 'note'],
    ['a lone surrogate', note.replace('first line', 'first\ud800line'), 'note'],
    [
      'two hyphens for the em dash',
      note.replace(line, line.replace('\u2014', '--')),
      'signatures[1]',
    ],
    ['a name with a plus', note.replace(line, line.replace('bob.', 'bob+')), 'signatures[1]'],
    ['no space after the name', note.replace(line, line.replace('log ', 'log')), 'signatures[1]'],
    ['an unexpected line after the signatures', `${note}Unexpected line.\n`, 'signatures[2]'],
  ])('refuses %s', (_, text, field) => {
    expect(thrown(() => parseSignedNote(text))).toEqual({ code: 'NOTE_MALFORMED', field });
  });

  it('refuses base64 without padding, with non-zero trailing bits, or too short to hold a key hash', () => {
    const sig = { name: 'a', keyHash: new Uint8Array(4), signature: new Uint8Array(64) };
    const good = formatSignatureLine(sig);
    const b64 = good.slice(4, -1);
    expect(fromBase64(b64)).toHaveLength(68);
    const cases = [
      b64.replace(/=+$/, ''),
      `${b64.slice(0, -2)}B=`, // 68 bytes end in 'A=' (2 zero pad bits); 'B' sets one
      toBase64(new Uint8Array(4)),
    ];
    for (const c of cases) {
      expect(thrown(() => parseSignedNote(`x\n\n\u2014 a ${c}\n`))?.code).toBe('NOTE_MALFORMED');
    }
  });

  it(`accepts ${MAX_NOTE_SIGNATURES} signature lines and refuses one more`, () => {
    const oneLine = note.slice(
      note.indexOf('\u2014'),
      note.indexOf('\n', note.indexOf('\u2014')) + 1,
    );
    const many = (n: number) => `${TEXT}\n${oneLine.repeat(n)}`;
    expect(parseSignedNote(many(MAX_NOTE_SIGNATURES)).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
    expect(thrown(() => parseSignedNote(many(MAX_NOTE_SIGNATURES + 1)))).toEqual({
      code: 'NOTE_MALFORMED',
      field: 'signatures',
    });
  });

  it(`refuses notes larger than ${MAX_NOTE_BYTES} bytes, counting UTF-8 bytes`, () => {
    const text = `${'é'.repeat(MAX_NOTE_BYTES / 2)}\n`; // one character, two bytes
    expect(text.length).toBeLessThan(MAX_NOTE_BYTES);
    expect(thrown(() => parseSignedNote(`${text}\n${line}`))).toEqual({
      code: 'NOTE_MALFORMED',
      field: 'note',
    });
  });
});

describe('signNote and formatSignedNote', () => {
  it('refuse text without a final newline or with control characters', () => {
    expect(thrown(() => signNote('abc', [alice]))).toEqual({
      code: 'NOTE_MALFORMED',
      field: 'text',
    });
    expect(thrown(() => signNote('a\u0007\n', [alice]))).toEqual({
      code: 'NOTE_MALFORMED',
      field: 'text',
    });
    expect(thrown(() => formatSignedNote({ text: 'a\n', signatures: [] }))).toEqual({
      code: 'NOTE_MALFORMED',
      field: 'signatures',
    });
  });

  it('refuse a cosignature key, which needs a timestamp', () => {
    const witness = noteSigner('w.example', seed(0x40), 0x04);
    expect(thrown(() => signNote('a\n', [witness]))).toEqual({
      code: 'KEY_INVALID',
      field: 'signers[0]',
    });
  });
});

describe('appendSignatureLines', () => {
  it('adds new lines and drops lines already present', () => {
    const byAlice = signNote(TEXT, [alice]);
    const byBob = signNote(TEXT, [bob]);
    const bobLine = byBob.slice(byBob.lastIndexOf('\u2014'));
    const both = appendSignatureLines(byAlice, bobLine);
    expect(both).toBe(signNote(TEXT, [alice, bob]));
    expect(appendSignatureLines(both, bobLine)).toBe(both);
    expect(thrown(() => appendSignatureLines(byAlice, 'not a line\n'))?.code).toBe(
      'NOTE_MALFORMED',
    );
  });
});

describe('verifyNote', () => {
  const note = signNote(TEXT, [alice, bob]);

  it('reports the known keys that signed, ignoring unknown ones', () => {
    const result = verifyNote(note, [bob.key]);
    expect(result).toEqual({
      ok: true,
      value: { text: TEXT, verifiedBy: [{ key: bob.key, timestamp: undefined }] },
    });
  });

  it('ignores a line whose name matches a known key but whose key hash does not', () => {
    const sameName = noteSigner(alice.key.name, seed(0x60));
    const result = verifyNote(note, [sameName.key]);
    expect(result).toEqual({ ok: false, error: { code: 'NOTE_UNVERIFIED', field: undefined } });
  });

  it('rejects the whole note when a known key signature does not verify', () => {
    const aliceSig = parseSignedNote(note).signatures[0]!;
    const bobOnOther = parseSignedNote(signNote('other text\n', [bob])).signatures[0]!;
    const forged = formatSignedNote({ text: TEXT, signatures: [aliceSig, bobOnOther] });
    expect(verifyNote(forged, [alice.key])).toMatchObject({ ok: true });
    expect(verifyNote(forged, [alice.key, bob.key])).toEqual({
      ok: false,
      error: { code: 'NOTE_SIGNATURE_INVALID', field: 'signatures[1]' },
    });
  });

  it('refuses a malleated signature (S + L), as strict RFC 8032 requires', () => {
    const single = signNote(TEXT, [alice]);
    const sig = parseSignedNote(single).signatures[0]!;
    const s = sig.signature.slice(32).reverse(); // little-endian → big-endian
    const L = ed25519.Point.CURVE().n;
    let n = BigInt(`0x${bytesToHex(s)}`) + L;
    const sPlusL = new Uint8Array(32);
    for (let i = 0; i < 32; i++, n >>= 8n) sPlusL[i] = Number(n & 0xffn);
    const malleated = {
      ...sig,
      signature: Uint8Array.from([...sig.signature.slice(0, 32), ...sPlusL]),
    };
    const note2 = formatSignedNote({ text: TEXT, signatures: [malleated] });
    expect(verifyNote(note2, [alice.key])).toEqual({
      ok: false,
      error: { code: 'NOTE_SIGNATURE_INVALID', field: 'signatures[0]' },
    });
  });

  it('returns NOTE_MALFORMED instead of throwing on a malformed note', () => {
    expect(verifyNote('garbage', [alice.key])).toEqual({
      ok: false,
      error: { code: 'NOTE_MALFORMED', field: 'note' },
    });
  });

  it('throws NOTE_POLICY_INVALID for two known keys with the same name and hash', () => {
    const copy = noteVerifierKey(alice.key.name, alice.key.publicKey);
    expect(thrown(() => verifyNote(note, [alice.key, copy]))).toEqual({
      code: 'NOTE_POLICY_INVALID',
      field: 'known[1]',
    });
    const wrongHash = { ...alice.key, keyHash: new Uint8Array(4) };
    expect(thrown(() => verifyNote(note, [wrongHash]))?.code).toBe('NOTE_POLICY_INVALID');
  });
});
