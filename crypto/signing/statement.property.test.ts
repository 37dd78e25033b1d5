import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../encoding.js';
import type { JsonObject } from './canonical-json.js';
import { canonicalJson } from './canonical-json.js';
import { signingKeyFromSeed } from './keys.js';
import { signStatement, verifyStatement } from './statement.js';

const TYP = 'spx-example+jws';
const signer = await signingKeyFromSeed(Uint8Array.from({ length: 32 }, (_, i) => i * 7));
const resolveKey = (kid: string) => (kid === signer.kid ? signer.publicJwk : undefined);

/** Arbitrary I-JSON objects, with full Unicode strings (well-formed) and any finite number. */
const jsonObject: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
  { maxKeys: 6 },
) as fc.Arbitrary<JsonObject>;

describe('signed statements (properties)', () => {
  it('sign then verify returns the same JSON for arbitrary objects', async () => {
    await fc.assert(
      fc.asyncProperty(jsonObject, async (payload) => {
        const jws = await signStatement(payload, { typ: TYP, key: signer });
        const result = await verifyStatement(jws, { typ: TYP, resolveKey });
        expect(result.ok).toBe(true);
        // Compared through the canonical form: -0 and 0 are the same JSON number.
        if (result.ok) expect(canonicalJson(result.value.payload)).toBe(canonicalJson(payload));
      }),
      { numRuns: 150 },
    );
  });

  it('any changed character, in header, payload or signature, fails verification', async () => {
    const jws = await signStatement(
      { v: 1, category: 'termination', tokens: ['a', 'b'], useOfForce: true },
      { typ: TYP, key: signer },
    );
    const replacement = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: jws.length - 1 }), replacement, async (at, char) => {
        fc.pre(jws[at] !== char);
        const tampered = jws.slice(0, at) + char + jws.slice(at + 1);
        const result = await verifyStatement(tampered, { typ: TYP, resolveKey });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('any changed bit of any signed byte fails verification', async () => {
    const payload = { agency: 'VA0000001', n: [1, 2.5, -3] };
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    const segments = jws.split('.').map((s) => fromBase64url(s)!);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (segment, index, bit) => {
          const bytes = Uint8Array.from(segments[segment]!);
          bytes[index % bytes.length]! ^= 1 << bit;
          const parts = segments.map(toBase64url);
          parts[segment] = toBase64url(bytes);
          const result = await verifyStatement(parts.join('.'), { typ: TYP, resolveKey });
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
