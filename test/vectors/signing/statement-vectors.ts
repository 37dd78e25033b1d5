/**
 * Golden vectors for signed statements (docs/protocol.md §6). The expected
 * code of every invalid case is written here by hand from the spec's checklist;
 * only the bytes (keys, signatures) are computed.
 */
import { toBase64url } from '../../../crypto/encoding.js';
import { canonicalJson, signStatement, signingKeyFromSeed } from '../../../crypto/signing/index.js';
import type { JsonObject, SigningKey, StatementVerifyCode } from '../../../crypto/signing/index.js';
import { b64, counterBytes, craftJws, headerText } from './craft.js';

/** Seeds: bytes 0x00..0x1f (the registered signer) and 0x20..0x3f (an unregistered one). */
export const SIGNER_SEED = counterBytes(0x00, 32);
export const OTHER_SEED = counterBytes(0x20, 32);

const ATTESTATION = 'spx-attestation+jws';
const EXAMPLE = 'spx-example+jws';
const CERTIFICATION = 'spx-certification+jws';
const CREDENTIAL = 'spx-credential+jws';
const REVOCATION = 'spx-credential-revocation+jws';
const AFFIRMATION = 'spx-credential-affirmation+jws';

/** Illustrative payloads: the real statement schemas belong to the protocol layer. */
const VALID: readonly { name: string; typ: string; payload: JsonObject }[] = [
  {
    name: 'attestation-shaped statement',
    typ: ATTESTATION,
    payload: {
      v: 1,
      agency: 'VA0000001',
      tokens: ['q0Zp8v1k3mJc2y2o9r5X0b7fV4nQ1hW6aL8eT3uS2dA'],
      category: 'termination',
      date: '2025-03-14',
      status: 'final',
      useOfForce: true,
      localRef: 'IA-2025-0042',
    },
  },
  {
    name: 'non-ASCII strings, numbers and nesting in canonical form',
    typ: EXAMPLE,
    payload: {
      name: 'Zoë Ø’Brien €',
      numbers: [0, -1, 1.5, 1e21, 1e-7, 333333333.3333333],
      nested: { b: true, a: null, '\u20ac': 'euro', '\r': 'cr' },
      control: '\u0000\t\n"\\',
    },
  },
  { name: 'empty object', typ: CERTIFICATION, payload: {} },
  // Credentials (docs/protocol.md §5.16): these three payloads are also valid under their
  // schemas (protocol/credential.ts), so an implementation can check both layers on them.
  {
    name: 'credential by a credentialing body',
    typ: CREDENTIAL,
    payload: {
      v: 1,
      id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      body: 'calea',
      ori: 'CA0194200',
      standardsList: 1,
      standards: {
        use_of_force_policy_lawful: true,
        chokehold_ban: true,
        de_escalation_training: true,
        early_warning_system: false,
      },
      assessedOn: '2026-04-20',
      issuedAt: '2026-05-01T12:00:00Z',
    },
  },
  {
    name: 'credential revocation',
    typ: REVOCATION,
    payload: {
      v: 1,
      id: '0196b000-0000-7000-8000-000000000001',
      body: 'calea',
      credential: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      reason: 'standards_not_met',
      issuedAt: '2026-06-01T09:00:00Z',
    },
  },
  {
    name: "agency chief's in-process affirmation",
    typ: AFFIRMATION,
    payload: {
      v: 1,
      id: '0196b000-0000-7000-8000-000000000002',
      issuer: 'CA0194200',
      affirmedOn: '2026-05-01',
      issuedAt: '2026-05-01T12:00:00Z',
    },
  },
];

export interface StatementVectors {
  description: string;
  signer: { seed: string; publicJwk: object; kid: string };
  unregistered: { seed: string; publicJwk: object; kid: string };
  valid: { name: string; typ: string; payload: JsonObject; canonical: string; jws: string }[];
  invalid: { name: string; allowedTyp: string[]; jws: string; code: StatementVerifyCode }[];
}

const flip = (text: string, index: number): string => {
  const c = text[index]!;
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
};

async function invalidCases(
  signer: SigningKey,
  other: SigningKey,
  valid: StatementVectors['valid'],
): Promise<StatementVectors['invalid']> {
  const [first, second] = valid as [StatementVectors['valid'][0], StatementVectors['valid'][0]];
  const [h1, , s1] = first.jws.split('.') as [string, string, string];
  const [, p2] = second.jws.split('.') as [string, string];
  const hdr = headerText(signer, ATTESTATION);
  const body = first.canonical;
  const craft = (header: string, payload: string | Uint8Array) => craftJws(signer, header, payload);
  const everyKind = [ATTESTATION, EXAMPLE, CERTIFICATION];
  const cases: [string, string, StatementVerifyCode, string[]?][] = [
    // Signature
    ['payload of another statement under this signature', `${h1}.${p2}.${s1}`, 'SIG_BAD_SIGNATURE'],
    [
      'one signature character changed',
      `${h1}.${first.jws.split('.')[1]}.${flip(s1, 0)}`,
      'SIG_BAD_SIGNATURE',
    ],
    [
      'signature of 63 bytes',
      `${first.jws.slice(0, first.jws.lastIndexOf('.'))}.${b64(new Uint8Array(63))}`,
      'SIG_BAD_SIGNATURE',
    ],
    [
      'registered kid, signed by another key',
      await craftJws(other, hdr, body),
      'SIG_BAD_SIGNATURE',
    ],
    // Key
    [
      'signed by an unregistered key',
      await signStatement(first.payload, { typ: ATTESTATION, key: other }),
      'SIG_UNKNOWN_KEY',
    ],
    // Algorithm
    [
      'alg "none" with an empty signature',
      `${b64(headerText(signer, ATTESTATION, 'none'))}.${b64(body)}.`,
      'SIG_ALG_UNSUPPORTED',
    ],
    [
      'alg "EdDSA" (RFC 8037 name), validly signed',
      await craft(headerText(signer, ATTESTATION, 'EdDSA'), body),
      'SIG_ALG_UNSUPPORTED',
    ],
    [
      'alg "HS256"',
      await craft(headerText(signer, ATTESTATION, 'HS256'), body),
      'SIG_ALG_UNSUPPORTED',
    ],
    [
      'no alg',
      await craft(JSON.stringify({ kid: signer.kid, typ: ATTESTATION }), body),
      'SIG_ALG_UNSUPPORTED',
    ],
    // Header
    [
      'header carries the key (jwk)',
      await craft(
        JSON.stringify({
          alg: 'Ed25519',
          jwk: signer.publicJwk,
          kid: signer.kid,
          typ: ATTESTATION,
        }),
        body,
      ),
      'SIG_HEADER_INVALID',
    ],
    [
      'header points at a key (jku)',
      await craft(
        JSON.stringify({
          alg: 'Ed25519',
          jku: 'https://attacker.example/jwks',
          kid: signer.kid,
          typ: ATTESTATION,
        }),
        body,
      ),
      'SIG_HEADER_INVALID',
    ],
    [
      'header carries a certificate chain (x5c)',
      await craft(
        JSON.stringify({ alg: 'Ed25519', kid: signer.kid, typ: ATTESTATION, x5c: ['MIIB'] }),
        body,
      ),
      'SIG_HEADER_INVALID',
    ],
    [
      'header has crit',
      await craft(
        JSON.stringify({
          alg: 'Ed25519',
          crit: ['exp'],
          exp: 1,
          kid: signer.kid,
          typ: ATTESTATION,
        }),
        body,
      ),
      'SIG_HEADER_INVALID',
    ],
    [
      'header without kid',
      await craft(JSON.stringify({ alg: 'Ed25519', typ: ATTESTATION }), body),
      'SIG_HEADER_INVALID',
    ],
    [
      'header without typ',
      await craft(JSON.stringify({ alg: 'Ed25519', kid: signer.kid }), body),
      'SIG_HEADER_INVALID',
    ],
    [
      'kid that is not a thumbprint',
      await craft(JSON.stringify({ alg: 'Ed25519', kid: 'agency-key-1', typ: ATTESTATION }), body),
      'SIG_HEADER_INVALID',
    ],
    // Type
    [
      'typ of another statement kind',
      await craft(headerText(signer, CERTIFICATION), body),
      'SIG_TYP_MISMATCH',
      [ATTESTATION],
    ],
    [
      'valid statement, verifier expects another kind',
      first.jws,
      'SIG_TYP_MISMATCH',
      [EXAMPLE, CERTIFICATION],
    ],
    ['typ "JWT"', await craft(headerText(signer, 'JWT'), body), 'SIG_TYP_MISMATCH'],
    [
      'credential where a revocation or an affirmation is expected',
      valid.find((v) => v.typ === CREDENTIAL)!.jws,
      'SIG_TYP_MISMATCH',
      [REVOCATION, AFFIRMATION],
    ],
    // One byte form
    [
      'header members out of order',
      await craft(JSON.stringify({ typ: ATTESTATION, alg: 'Ed25519', kid: signer.kid }), body),
      'SIG_NOT_CANONICAL',
    ],
    [
      'payload with whitespace',
      await craft(hdr, JSON.stringify(first.payload, null, 1)),
      'SIG_NOT_CANONICAL',
    ],
    ['payload members out of order', await craft(hdr, '{"b":1,"a":2}'), 'SIG_NOT_CANONICAL'],
    ['payload number not in shortest form', await craft(hdr, '{"a":1.0}'), 'SIG_NOT_CANONICAL'],
    [
      'payload integer beyond 2^53',
      await craft(hdr, '{"a":9007199254740993}'),
      'SIG_NOT_CANONICAL',
    ],
    ['payload duplicate member', await craft(hdr, '{"a":1,"a":2}'), 'SIG_NOT_CANONICAL'],
    [
      'payload escapes a character JCS writes as is',
      await craft(hdr, '{"a":"\\u00e9"}'),
      'SIG_NOT_CANONICAL',
    ],
    // Structure
    ['payload is an array', await craft(hdr, '[1,2]'), 'SIG_MALFORMED'],
    [
      'payload is not UTF-8',
      await craft(hdr, Uint8Array.of(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d)),
      'SIG_MALFORMED',
    ],
    ['payload has a lone surrogate', await craft(hdr, '{"a":"\\ud800"}'), 'SIG_MALFORMED'],
    ['payload number overflows binary64', await craft(hdr, '{"a":1e400}'), 'SIG_MALFORMED'],
    ['header is not JSON', await craft('{alg:Ed25519}', body), 'SIG_MALFORMED'],
    ['padded base64url', `${first.jws}==`, 'SIG_MALFORMED'],
    ['two segments', first.jws.slice(0, first.jws.lastIndexOf('.')), 'SIG_MALFORMED'],
    ['four segments', `${first.jws}.`, 'SIG_MALFORMED'],
    ['trailing newline', `${first.jws}\n`, 'SIG_MALFORMED'],
    [
      'JWS JSON serialization',
      JSON.stringify({ protected: h1, payload: p2, signature: s1 }),
      'SIG_MALFORMED',
    ],
    ['empty string', '', 'SIG_MALFORMED'],
  ];
  return cases.map(([name, jws, code, allowedTyp = everyKind]) => ({
    name,
    allowedTyp,
    jws,
    code,
  }));
}

const describeKey = (seed: Uint8Array, key: SigningKey) => ({
  seed: toBase64url(seed),
  publicJwk: { ...key.publicJwk },
  kid: key.kid,
});

export async function buildStatementVectors(): Promise<StatementVectors> {
  const signer = await signingKeyFromSeed(SIGNER_SEED);
  const other = await signingKeyFromSeed(OTHER_SEED);
  const valid: StatementVectors['valid'] = [];
  for (const { name, typ, payload } of VALID) {
    const jws = await signStatement(payload, { typ, key: signer });
    valid.push({ name, typ, payload, canonical: canonicalJson(payload), jws });
  }
  return {
    description:
      'Signed statements (docs/protocol.md §6). The verifier knows only `signer` ' +
      '(resolveKey(signer.kid) = signer.publicJwk). Each invalid case is verified with its ' +
      'allowedTyp and must fail with `code`.',
    signer: describeKey(SIGNER_SEED, signer),
    unregistered: describeKey(OTHER_SEED, other),
    valid,
    invalid: await invalidCases(signer, other, valid),
  };
}
