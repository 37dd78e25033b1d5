import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';

const ROOT = Uint8Array.from({ length: 32 }, (_, i) => i);
const ROOT_B64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, field } = e as { code: string; field: string };
    return { code, field };
  }
  return undefined;
};

describe('formatCheckpoint / parseCheckpoint', () => {
  it('writes origin, size and root hash lines, then extension lines, and reads them back', () => {
    const c: Checkpoint = {
      origin: 'spx.example/log',
      size: 42,
      rootHash: ROOT,
      extensions: ['ext a'],
    };
    const text = formatCheckpoint(c);
    expect(text).toBe(`spx.example/log\n42\n${ROOT_B64}\next a\n`);
    expect(parseCheckpoint(text)).toEqual(c);
  });

  it('writes the empty tree as size 0', () => {
    const c: Checkpoint = { origin: 'o', size: 0, rootHash: ROOT, extensions: [] };
    expect(formatCheckpoint(c)).toBe(`o\n0\n${ROOT_B64}\n`);
  });

  it('accepts origins with spaces and plus signs (the spec only recommends against them)', () => {
    expect(parseCheckpoint(`go.sum database tree\n1\n${ROOT_B64}\n`).origin).toBe(
      'go.sum database tree',
    );
    expect(parseCheckpoint(`a+b\n1\n${ROOT_B64}\n`).origin).toBe('a+b');
  });

  it.each([
    ['no final newline', `o\n1\n${ROOT_B64}`, 'text'],
    ['two lines', `o\n1\n`, 'text'],
    ['an empty origin', `\n1\n${ROOT_B64}\n`, 'origin'],
    ['an origin of 256 bytes', `${'é'.repeat(128)}\n1\n${ROOT_B64}\n`, 'origin'],
    ['a leading zero', `o\n01\n${ROOT_B64}\n`, 'size'],
    ['a sign', `o\n+1\n${ROOT_B64}\n`, 'size'],
    ['a negative size', `o\n-1\n${ROOT_B64}\n`, 'size'],
    ['a space in the size', `o\n 1\n${ROOT_B64}\n`, 'size'],
    ['a fractional size', `o\n1.0\n${ROOT_B64}\n`, 'size'],
    ['an empty size', `o\n\n${ROOT_B64}\n`, 'size'],
    ['a 31-byte root hash', `o\n1\n${'A'.repeat(40)}AA==\n`, 'rootHash'],
    ['an unpadded root hash', `o\n1\n${ROOT_B64.slice(0, -1)}\n`, 'rootHash'],
    ['a base64url root hash', 'o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n', 'rootHash'],
    ['an empty extension line', `o\n1\n${ROOT_B64}\n\n`, 'extensions[0]'],
    ['a control character', `o\u0001\n1\n${ROOT_B64}\n`, 'text'],
  ])('refuses %s', (_, text, field) => {
    expect(thrown(() => parseCheckpoint(text))).toEqual({ code: 'CHECKPOINT_MALFORMED', field });
  });

  it('accepts an origin of 255 bytes and the largest safe size, and refuses larger sizes', () => {
    const origin = `${'é'.repeat(127)}a`;
    const max = parseCheckpoint(`${origin}\n9007199254740991\n${ROOT_B64}\n`);
    expect(max.size).toBe(Number.MAX_SAFE_INTEGER);
    for (const size of ['9007199254740992', '18446744073709551615', '9'.repeat(400)]) {
      expect(thrown(() => parseCheckpoint(`o\n${size}\n${ROOT_B64}\n`))).toEqual({
        code: 'CHECKPOINT_SIZE_UNSUPPORTED',
        field: 'size',
      });
    }
  });

  it('refuses to format values that would not parse back', () => {
    const base: Checkpoint = { origin: 'o', size: 1, rootHash: ROOT, extensions: [] };
    const cases: [Partial<Checkpoint>, string, string][] = [
      [{ origin: 'a\nb' }, 'CHECKPOINT_MALFORMED', 'origin'],
      [{ size: 1.5 }, 'CHECKPOINT_MALFORMED', 'size'],
      [{ size: -1 }, 'CHECKPOINT_MALFORMED', 'size'],
      [{ size: Number.NaN }, 'CHECKPOINT_MALFORMED', 'size'],
      [{ size: 2 ** 53 }, 'CHECKPOINT_SIZE_UNSUPPORTED', 'size'],
      [{ rootHash: new Uint8Array(33) }, 'CHECKPOINT_MALFORMED', 'rootHash'],
      [{ extensions: ['a', ''] }, 'CHECKPOINT_MALFORMED', 'extensions[1]'],
      [{ extensions: ['a\nb'] }, 'CHECKPOINT_MALFORMED', 'extensions[0]'],
    ];
    for (const [change, code, field] of cases) {
      expect(thrown(() => formatCheckpoint({ ...base, ...change }))).toEqual({ code, field });
    }
  });
});
