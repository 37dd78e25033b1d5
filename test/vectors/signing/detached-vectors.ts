/**
 * Golden vectors for detached signatures over published documents (docs/protocol.md §6.9,
 * crypto/signing/detached.ts): a compliance report in JSON and in CSV signed as published, and
 * signatures a verifier must refuse, each with the code of the first check that fails. The
 * expected codes are written by hand from §6.9 and §6.6; only keys and signatures are computed.
 */
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import { signDetached, signingKeyFromSeed } from '../../../crypto/signing/index.js';
import type { StatementVerifyCode } from '../../../crypto/signing/index.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import { b64, craftJws, headerText } from './craft.js';
import { OTHER_SEED, SIGNER_SEED } from './statement-vectors.js';

const JSON_TYP = STATEMENT_TYPES.complianceReport;
const CSV_TYP = STATEMENT_TYPES.complianceReportCsv;

/** Small documents in the shapes the hub publishes (RFC 8785 JSON; RFC 4180 CSV, CRLF). */
const REPORT_JSON =
  '{"agencies":[{"eligible":true,"ori":"CA0194200","reasons":[{"code":"credential_active","outcome":"meets"}]}],"period":"2026-Q1","rule":1}';
const REPORT_CSV =
  'ori,eligible,reasons\r\nCA0194200,true,credential_active\r\n"TX2270100",false,"credential_missing; reports_late"\r\n';

/** `header..signature` of a compact JWS: its payload segment dropped (RFC 7515 Appendix F). */
const detach = (jws: string) => {
  const [h, , s] = jws.split('.');
  return `${h}..${s}`;
};

export async function buildDetachedVectors() {
  const signer = await signingKeyFromSeed(SIGNER_SEED);
  const other = await signingKeyFromSeed(OTHER_SEED);
  const valid = [
    { name: 'compliance report, JSON', typ: JSON_TYP, document: REPORT_JSON },
    { name: 'compliance report, CSV (CRLF line ends)', typ: CSV_TYP, document: REPORT_CSV },
    { name: 'empty document', typ: CSV_TYP, document: '' },
  ];
  const signed = await Promise.all(
    valid.map(async (c) => {
      const signature = await signDetached(utf8(c.document), { typ: c.typ, key: signer });
      return {
        ...c,
        documentBase64url: toBase64url(utf8(c.document)),
        signature,
        // The same JWS with the payload put back: what a verifier checks (§6.9).
        attached: signature.replace('..', `.${toBase64url(utf8(c.document))}.`),
      };
    }),
  );
  const [json, csv] = signed;
  const invalid: {
    name: string;
    typ: string;
    document: string;
    signature: string;
    code: StatementVerifyCode;
  }[] = [
    {
      name: 'payload segment not empty (the attached form)',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: json!.attached,
      code: 'SIG_MALFORMED',
    },
    {
      name: 'two segments',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: json!.signature.replace('..', '.'),
      code: 'SIG_MALFORMED',
    },
    {
      name: 'longer than 1 024 characters',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: `${json!.signature}${'A'.repeat(1024)}`,
      code: 'SIG_MALFORMED',
    },
    {
      name: 'alg is not Ed25519',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: detach(await craftJws(signer, headerText(signer, JSON_TYP, 'EdDSA'), REPORT_JSON)),
      code: 'SIG_ALG_UNSUPPORTED',
    },
    {
      name: 'header members out of RFC 8785 order',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: detach(
        await craftJws(
          signer,
          JSON.stringify({ alg: 'Ed25519', typ: JSON_TYP, kid: signer.kid }),
          REPORT_JSON,
        ),
      ),
      code: 'SIG_HEADER_INVALID',
    },
    {
      name: 'extra header member (b64: false, RFC 7797)',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: detach(
        await craftJws(
          signer,
          JSON.stringify({ alg: 'Ed25519', b64: false, kid: signer.kid, typ: JSON_TYP }),
          REPORT_JSON,
        ),
      ),
      code: 'SIG_HEADER_INVALID',
    },
    {
      name: 'the CSV signature offered for the JSON format (typ)',
      typ: JSON_TYP,
      document: REPORT_CSV,
      signature: csv!.signature,
      code: 'SIG_TYP_MISMATCH',
    },
    {
      name: 'signed under another kid',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: await signDetached(utf8(REPORT_JSON), { typ: JSON_TYP, key: other }),
      code: 'SIG_UNKNOWN_KEY',
    },
    {
      name: 'the signer’s kid, another key’s signature',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: detach(await craftJws(other, headerText(signer, JSON_TYP), REPORT_JSON)),
      code: 'SIG_BAD_SIGNATURE',
    },
    {
      name: 'document changed: one more space',
      typ: JSON_TYP,
      document: REPORT_JSON.replace(':', ': '),
      signature: json!.signature,
      code: 'SIG_BAD_SIGNATURE',
    },
    {
      name: 'document changed: CRLF line ends turned into LF',
      typ: CSV_TYP,
      document: REPORT_CSV.replaceAll('\r\n', '\n'),
      signature: csv!.signature,
      code: 'SIG_BAD_SIGNATURE',
    },
    {
      name: 'header not base64url JSON',
      typ: JSON_TYP,
      document: REPORT_JSON,
      signature: `${b64('not json')}..${json!.signature.split('..')[1]}`,
      code: 'SIG_MALFORMED',
    },
  ];
  return {
    description:
      'Detached JWS over published documents (docs/protocol.md §6.9): valid signatures over the exact bytes of a JSON and a CSV document, and refused signatures with the verifier code.',
    signer: { seed: toBase64url(SIGNER_SEED), kid: signer.kid, publicJwk: signer.publicJwk },
    valid: signed,
    invalid,
  };
}

export type DetachedVectors = Awaited<ReturnType<typeof buildDetachedVectors>>;
