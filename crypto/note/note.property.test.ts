import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { MAX_ORIGIN_BYTES, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';
import { cosignCheckpoint, verifyCosignedCheckpoint } from './cosignature.js';
import { noteSigner } from './keys.js';
import { appendSignatureLines, parseSignedNote, signNote } from './signed-note.js';
import { isNoteSafeText } from './text.js';
import { verifyNote } from './verify-note.js';

const seed = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff);
const log = noteSigner('spx.example/log', seed(0x00));
const w1 = noteSigner('witness.example/w1', seed(0x20), 0x04);
const w2 = noteSigner('witness.example/w2', seed(0x40), 0x04);
const outsider = noteSigner('witness.example/outsider', seed(0x60), 0x04);

/** One line of note-safe text: any Unicode but control characters and newline. */
const lineOf = (minLength: number) =>
  fc
    .string({ unit: 'grapheme', minLength, maxLength: 12 })
    .filter((s) => isNoteSafeText(s) && !s.includes('\n'));

const checkpointArb: fc.Arbitrary<Checkpoint> = fc.record({
  origin: lineOf(1).filter((s) => utf8(s).length <= MAX_ORIGIN_BYTES),
  size: fc.maxSafeNat(),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  extensions: fc.array(lineOf(1), { maxLength: 3 }),
});

describe('notes and checkpoints (properties)', () => {
  it('formatCheckpoint then parseCheckpoint returns the same checkpoint', () => {
    fc.assert(
      fc.property(checkpointArb, (c) => {
        expect(parseCheckpoint(formatCheckpoint(c))).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it('a signed note of any text parses back to that text and verifies', () => {
    const textArb = fc
      .array(lineOf(0), { minLength: 1, maxLength: 5 })
      .map((l) => `${l.join('\n')}\n`);
    fc.assert(
      fc.property(textArb, (text) => {
        const note = signNote(text, [log]);
        expect(parseSignedNote(note).text).toBe(text);
        expect(verifyNote(note, [log.key])).toMatchObject({ ok: true, value: { text } });
      }),
      { numRuns: 150 },
    );
  });

  it('a cosigned checkpoint with one byte changed fails, unless the byte is in an ignored line', () => {
    const text = formatCheckpoint({
      origin: 'spx.example/log',
      size: 1234,
      rootHash: seed(0x99),
      extensions: ['ext'],
    });
    const lines = [w1, outsider, w2]
      .map((w, i) => cosignCheckpoint(text, w, 1767225600 + i))
      .join('');
    const note = utf8(appendSignatureLines(signNote(text, [log]), lines));
    const policy = { logKey: log.key, witnesses: [w1.key, w2.key], quorum: 2 };
    const original = verifyCosignedCheckpoint(note, policy);
    expect(original.ok).toBe(true);
    const outsiderLine = utf8(lines.split('\n')[1]!);
    const outsiderStart = note.length - utf8(lines).length + utf8(lines.split('\n')[0]!).length + 1;
    fc.assert(
      fc.property(
        fc.nat({ max: note.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, delta) => {
          const mutated = Uint8Array.from(note);
          mutated[at] = (mutated[at]! + delta) & 0xff;
          const result = verifyCosignedCheckpoint(mutated, policy);
          const inOutsider = at >= outsiderStart && at < outsiderStart + outsiderLine.length;
          if (result.ok) {
            expect(inOutsider).toBe(true);
            expect(result).toEqual(original);
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('a signed note with any one character replaced fails verification', () => {
    const note = signNote('first\n\nthird line\n', [log]);
    fc.assert(
      fc.property(
        fc.nat({ max: note.length - 1 }),
        fc.integer({ min: 0x20, max: 0x7e }),
        (at, code) => {
          const c = String.fromCharCode(code);
          fc.pre(note[at] !== c);
          const mutated = note.slice(0, at) + c + note.slice(at + 1);
          expect(verifyNote(mutated, [log.key]).ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
