import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatementIdSchema } from './common.js';
import { newStatementId, statementIdTime } from './statement-id.js';

describe('newStatementId', () => {
  it('reproduces the UUIDv7 example of RFC 9562 Appendix A.6', () => {
    // unix_ts_ms 0x017F22E279B0, rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F.
    const random = Uint8Array.from([0x0c, 0xc3, 0x18, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]);
    expect(newStatementId(0x017f22e279b0, () => random)).toBe(
      '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
    );
  });

  it('always yields a valid id carrying its timestamp, whatever the random bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, random) => {
          const id = newStatementId(ms, () => random);
          expect(StatementIdSchema.safeParse(id).success).toBe(true);
          expect(statementIdTime(id)).toBe(ms);
        },
      ),
    );
  });

  it('sorts ids by creation time as plain strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, r1, r2) => {
          expect(newStatementId(ms, () => r1) < newStatementId(ms + 1, () => r2)).toBe(true);
        },
      ),
    );
  });

  it('rejects out-of-range times and a short random source', () => {
    const rng = () => new Uint8Array(10);
    expect(() => newStatementId(-1, rng)).toThrow(RangeError);
    expect(() => newStatementId(2 ** 48, rng)).toThrow(RangeError);
    expect(() => newStatementId(1.5, rng)).toThrow(RangeError);
    expect(() => newStatementId(0, () => new Uint8Array(9))).toThrow(RangeError);
  });
});

describe('statementIdTime', () => {
  it('returns undefined for anything but a lower-case UUIDv7', () => {
    expect(statementIdTime('017F22E2-79B0-7CC3-98C4-DC0C0C07398F')).toBeUndefined();
    expect(statementIdTime('017f22e2-79b0-4cc3-98c4-dc0c0c07398f')).toBeUndefined();
  });
});
