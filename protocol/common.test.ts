import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toBase64url } from '../crypto/encoding.js';
import {
  base64urlLength,
  CompactJwsSchema,
  displayText,
  EpochSchema,
  fixedBytes,
  formatTimestamp,
  HubIndexSchema,
  IsoDateSchema,
  opaqueRef,
  OriSchema,
  ShareIndexSchema,
  StatementIdSchema,
  timestampDate,
  TimestampSchema,
  VoprfProofSchema,
} from './common.js';
import { decodeOutcome, rejected } from './outcome.js';

const wrap = (schema: z.ZodType) => z.strictObject({ x: schema });
const outcome = (schema: z.ZodType, x: unknown) => decodeOutcome(wrap(schema), { x });
const ok = { ok: true };

describe('ORI', () => {
  it('accepts nine upper-case characters after a US state, DC or territory code', () => {
    for (const ori of [
      'CA0194200',
      'DCFBIWA00',
      'NY0303000',
      'PR0010000',
      'GU0000000',
      'AZ014013Z',
    ]) {
      expect(outcome(OriSchema, ori)).toEqual(ok);
    }
  });

  it('rejects other lengths, lower case, punctuation and unknown prefixes', () => {
    expect(outcome(OriSchema, 'CA019420')).toEqual(rejected('VALIDATION_FAILED', 'x: too_short'));
    expect(outcome(OriSchema, 'CA01942000')).toEqual(rejected('VALIDATION_FAILED', 'x: too_long'));
    expect(outcome(OriSchema, 'ca0194200')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_format'),
    );
    expect(outcome(OriSchema, 'CA01942-0')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_format'),
    );
    // CN (Canada) and ZZ are not USPS codes.
    expect(outcome(OriSchema, 'CN0000000')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_value'),
    );
    expect(outcome(OriSchema, 'ZZ0000000')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_value'),
    );
    expect(outcome(OriSchema, 123456789)).toEqual(rejected('VALIDATION_FAILED', 'x: invalid_type'));
  });
});

describe('fixed-size base64url bytes', () => {
  it('accepts exactly the canonical unpadded encoding of the right number of bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(outcome(HubIndexSchema, toBase64url(bytes))).toEqual(ok);
      }),
    );
    const proof = toBase64url(new Uint8Array(64).fill(7));
    expect(proof).toHaveLength(base64urlLength(64));
    expect(outcome(VoprfProofSchema, proof)).toEqual(ok);
  });

  it('rejects the wrong size, padding, the standard alphabet and non-zero trailing bits', () => {
    expect(outcome(HubIndexSchema, toBase64url(new Uint8Array(31)))).toEqual(
      rejected('VALIDATION_FAILED', 'x: too_short'),
    );
    expect(outcome(HubIndexSchema, toBase64url(new Uint8Array(33)))).toEqual(
      rejected('VALIDATION_FAILED', 'x: too_long'),
    );
    // 32 bytes padded is 44 characters.
    expect(outcome(HubIndexSchema, toBase64url(new Uint8Array(32)) + '=')).toEqual(
      rejected('VALIDATION_FAILED', 'x: too_long'),
    );
    const std = '+'.repeat(43);
    expect(outcome(HubIndexSchema, std)).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_encoding'),
    );
    // The last character of 32 bytes carries 4 data bits and 2 zero bits: 'B' has a bit set there.
    const canonical = toBase64url(new Uint8Array(32));
    expect(canonical.endsWith('A')).toBe(true);
    expect(outcome(HubIndexSchema, canonical.slice(0, -1) + 'B')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_encoding'),
    );
  });

  it('reports a length that decodes to another byte count as invalid_length', () => {
    // 3 characters is the canonical length of 2 bytes; ask for a schema of 2 bytes but feed 1 byte padded out.
    const twoBytes = fixedBytes(2);
    expect(outcome(twoBytes, 'AAA')).toEqual(ok);
    expect(outcome(twoBytes, 'AA')).toEqual(rejected('VALIDATION_FAILED', 'x: too_short'));
  });
});

describe('dates', () => {
  it('accepts real calendar dates, including 29 February of leap years', () => {
    for (const d of ['2024-02-29', '2000-02-29', '1900-01-01', '2023-12-31']) {
      expect(outcome(IsoDateSchema, d)).toEqual(ok);
    }
  });

  it('rejects impossible dates, other spellings and years before 1900', () => {
    for (const d of [
      '2023-02-29',
      '1900-02-29',
      '2100-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-1-01',
      '20230101',
      '2023-01-01T00:00:00Z',
    ]) {
      expect(outcome(IsoDateSchema, d)).toEqual(rejected('VALIDATION_FAILED', 'x: invalid_format'));
    }
    expect(outcome(IsoDateSchema, '1899-12-31')).toEqual(
      rejected('VALIDATION_FAILED', 'x: invalid_value'),
    );
  });
});

describe('timestamps', () => {
  it('accepts RFC 3339 UTC timestamps with whole seconds and Z', () => {
    expect(outcome(TimestampSchema, '2025-01-02T03:04:05Z')).toEqual(ok);
  });

  it('rejects fractions, offsets, lower-case z, missing seconds and leap seconds', () => {
    for (const t of [
      '2025-01-02T03:04:05.000Z',
      '2025-01-02T03:04:05+00:00',
      '2025-01-02T03:04:05z',
      '2025-01-02T03:04Z',
      '2016-12-31T23:59:60Z',
      '2025-01-02 03:04:05Z',
    ]) {
      expect(outcome(TimestampSchema, t)).toEqual(
        rejected('VALIDATION_FAILED', 'x: invalid_format'),
      );
    }
  });

  it('formats any instant as a valid timestamp truncated to the second', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const ts = formatTimestamp(d);
          expect(outcome(TimestampSchema, ts)).toEqual(ok);
          expect(Date.parse(ts)).toBe(Math.floor(d.getTime() / 1000) * 1000);
          expect(timestampDate(ts)).toBe(d.toISOString().slice(0, 10));
        },
      ),
    );
  });
});

describe('statement ids', () => {
  it('accepts lower-case UUIDv7 only', () => {
    expect(outcome(StatementIdSchema, '017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toEqual(ok);
    for (const id of [
      '017F22E2-79B0-7CC3-98C4-DC0C0C07398F', // upper case
      '017f22e2-79b0-4cc3-98c4-dc0c0c07398f', // version 4
      '017f22e2-79b0-7cc3-c8c4-dc0c0c07398f', // variant 0b110
      '017f22e2_79b0_7cc3_98c4_dc0c0c07398f',
    ]) {
      expect(outcome(StatementIdSchema, id)).toEqual(
        rejected('VALIDATION_FAILED', 'x: invalid_format'),
      );
    }
  });
});

describe('numbers', () => {
  it('bounds epochs to 1..2^31-1 (PostgreSQL integer) and share indexes to 1..255, integers only', () => {
    expect(outcome(EpochSchema, 1)).toEqual(ok);
    expect(outcome(EpochSchema, 2 ** 31 - 1)).toEqual(ok);
    expect(outcome(EpochSchema, 0)).toEqual(rejected('VALIDATION_FAILED', 'x: too_small'));
    expect(outcome(EpochSchema, 2 ** 31)).toEqual(rejected('VALIDATION_FAILED', 'x: too_big'));
    expect(outcome(EpochSchema, 2 ** 32 - 1)).toEqual(rejected('VALIDATION_FAILED', 'x: too_big'));
    expect(outcome(EpochSchema, 1.5)).toEqual(rejected('VALIDATION_FAILED', 'x: invalid_type'));
    expect(outcome(EpochSchema, '1')).toEqual(rejected('VALIDATION_FAILED', 'x: invalid_type'));
    expect(outcome(ShareIndexSchema, 255)).toEqual(ok);
    expect(outcome(ShareIndexSchema, 256)).toEqual(rejected('VALIDATION_FAILED', 'x: too_big'));
    expect(outcome(ShareIndexSchema, 0)).toEqual(rejected('VALIDATION_FAILED', 'x: too_small'));
  });
});

describe('opaque references', () => {
  const ref = opaqueRef(64);

  it('accepts case numbers and random handles', () => {
    for (const r of ['IA-2023-0042', 'case:2024/17', 'Zx7_q-1.2', '2023-01-15-001']) {
      expect(outcome(ref, r)).toEqual(ok);
    }
  });

  it('rejects free text, empty values, overlong values and anything shaped like an SSN', () => {
    expect(outcome(ref, 'John Smith')).toEqual(rejected('VALIDATION_FAILED', 'x: invalid_format'));
    expect(outcome(ref, '')).toEqual(rejected('VALIDATION_FAILED', 'x: too_short'));
    expect(outcome(ref, 'a'.repeat(65))).toEqual(rejected('VALIDATION_FAILED', 'x: too_long'));
    for (const r of ['123-45-6789', '123456789', 'IA-123456789', 'ref:123-456789']) {
      expect(outcome(ref, r)).toEqual(rejected('VALIDATION_FAILED', 'x: not_allowed'));
    }
  });
});

describe('display text', () => {
  const text = displayText(5);

  it('counts Unicode code points, not UTF-16 units', () => {
    expect(outcome(text, '🚓🚓🚓🚓🚓')).toEqual(ok);
    expect(outcome(text, '🚓🚓🚓🚓🚓🚓')).toEqual(rejected('VALIDATION_FAILED', 'x: too_long'));
  });

  it('rejects control characters, lone surrogates and surrounding white space', () => {
    expect(outcome(text, 'a\u0000b')).toEqual(rejected('VALIDATION_FAILED', 'x: not_allowed'));
    expect(outcome(text, 'a\ud800')).toEqual(rejected('VALIDATION_FAILED', 'x: not_allowed'));
    expect(outcome(text, ' ab')).toEqual(rejected('VALIDATION_FAILED', 'x: not_allowed'));
    expect(outcome(text, '')).toEqual(rejected('VALIDATION_FAILED', 'x: too_short'));
  });
});

describe('compact JWS', () => {
  const sig = toBase64url(new Uint8Array(64));

  it('accepts three base64url segments with a 64-byte signature', () => {
    expect(outcome(CompactJwsSchema, `eyJh.eyJi.${sig}`)).toEqual(ok);
  });

  it('rejects other shapes', () => {
    for (const s of [
      `eyJh.eyJi`,
      `eyJh..${sig}`,
      `eyJh.eyJi.${sig}A`,
      `eyJh.ey Ji.${sig}`,
      `a.b.c.${sig}`,
    ]) {
      expect(outcome(CompactJwsSchema, s)).toEqual(
        rejected('VALIDATION_FAILED', 'x: invalid_format'),
      );
    }
  });
});
