/**
 * A synthetic but production-shaped hub corpus: N officers (no real people), each with an SSN,
 * a name and a date of birth, turned into the protocol's real match-key strings
 * (crypto/match-keys: ssn, name_dob, last_dob) and into hub indexes; one attestation per
 * officer, a real Ed25519-signed compact JWS by one of A reporting agencies, valid under the
 * protocol's schema.
 *
 * One step is a stand-in: the keyholder's OPRF evaluation. Each key string goes through
 * SHA-512 under a fixed label instead (like the OPRF under one key, a deterministic function of
 * the key string, though not a secret one), and the hub index is then derived from that 64-byte
 * value with the protocol's real HKDF step (crypto/oprf hubIndex). Evaluating 300 000 keys through the OPRF would take minutes and
 * measures the keyholder, not the hub (keyholder-eval.ts does that); the hub cannot tell the
 * two kinds of index apart.
 *
 * The raw key strings are kept too: the baseline's central index stores exactly those.
 */
import { randomBytes } from 'node:crypto';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import type { MatchKeyKind } from '../../../crypto/match-key-kind.js';
import { deriveMatchKeys } from '../../../crypto/match-keys/index.js';
import { hubIndex } from '../../../crypto/oprf/index.js';
import { formatAuthorization } from '../../../crypto/request-auth/authorization-header.js';
import { createRequestToken } from '../../../crypto/request-auth/request-token.js';
import { signStatement, type JsonObject } from '../../../crypto/signing/index.js';
import { signingKeyFromSeed, type SigningKey } from '../../../crypto/signing/keys.js';
import {
  AttestationPayloadSchema,
  type AttestationPayload,
} from '../../../protocol/attestation.js';
import { CATEGORIES } from '../../../protocol/categories.js';
import { retentionDue } from '../../../protocol/retention.js';
import type { CheckPolicy, CheckRequest } from '../../../protocol/check-request.js';
import { formatTimestamp } from '../../../protocol/common.js';
import { safeDecode } from '../../../protocol/decode.js';
import { newStatementId } from '../../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import type { NewStatement } from '../../../hub/intake/intake.repository.js';

export const rng = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export interface OfficerKey {
  readonly kind: MatchKeyKind;
  /** The normalized identifiers in the clear: what a central index of raw identities holds. */
  readonly keyString: string;
  /** base64url hub index: what the hub holds. */
  readonly index: string;
}

const FIRST = [
  'JAMES',
  'MARIA',
  'ROBERT',
  'LINDA',
  'MICHAEL',
  'ANA',
  'DAVID',
  'SARAH',
  'JOSE',
  'KAREN',
  'WILLIAM',
  'NANCY',
  'CARLOS',
  'LISA',
  'THOMAS',
  'BETTY',
  'DANIEL',
  'SANDRA',
  'KEVIN',
  'DONNA',
  'BRIAN',
  'CAROL',
  'JASON',
  'MICHELLE',
  'ERIC',
  'EMILY',
  'TYLER',
  'ROSA',
  'AARON',
  'KIM',
];
const SYLLABLES = [
  'AN',
  'BER',
  'CAS',
  'DEL',
  'ER',
  'FOR',
  'GAR',
  'HAL',
  'IN',
  'JOR',
  'KEL',
  'LOP',
  'MAR',
  'NOR',
  'OS',
  'PER',
  'QUIN',
  'ROD',
  'SAN',
  'TOR',
  'UL',
  'VAN',
  'WIL',
  'YOUNG',
];
const AS_OF = '2026-01-01';

/** Deterministic synthetic officer `i` (i ≥ N gives candidates absent from the corpus). */
export function officerKeys(i: number, salt = 'corpus'): OfficerKey[] {
  const h = sha256(utf8(`spx bench officer ${salt} ${i}`));
  const word = (k: number) => (h[k]! << 8) | h[k + 1]!;
  const last = [0, 2, 4].map((k) => SYLLABLES[word(k) % SYLLABLES.length]).join('');
  const dob = new Date(Date.UTC(1960, 0, 1) + ((word(6) * 256 + h[8]!) % 14_600) * 86_400_000);
  const ssn =
    `${1 + (word(9) % 665)}`.padStart(3, '0') +
    `${1 + (h[11]! % 99)}`.padStart(2, '0') +
    `${1 + (word(12) % 9999)}`.padStart(4, '0');
  const keys = deriveMatchKeys(
    {
      firstName: FIRST[h[14]! % FIRST.length]!,
      lastName: last,
      dob: dob.toISOString().slice(0, 10),
      ssn,
    },
    { asOf: AS_OF },
  );
  return keys.map((k) => ({
    kind: k.kind,
    keyString: k.keyString,
    index: toBase64url(hubIndex(sha512(utf8(`SPX bench stand-in for the OPRF|${k.keyString}`)))),
  }));
}

export interface BenchAgency {
  readonly ori: string;
  readonly key: SigningKey;
}

const STATES = ['CA', 'TX', 'NY', 'FL', 'IL', 'PA', 'OH', 'GA', 'NC', 'MI', 'WA', 'AZ', 'NM'];

export async function benchAgency(i: number): Promise<BenchAgency> {
  const ori = `${STATES[i % STATES.length]}${String(100_000 + i).padStart(7, '0')}`;
  return { ori, key: await signingKeyFromSeed(sha256(utf8(`spx bench agency ${i}`))) };
}

export interface CorpusStatement extends NewStatement {
  readonly officer: number;
}

/** The attestation about officer `i`, reported by `agency`, issued at `issuedMs`. */
export function attestationFor(
  i: number,
  keys: readonly OfficerKey[],
  agency: BenchAgency,
  issuedMs: number,
): AttestationPayload {
  const year = 2016 + (i % 9);
  const day = String(10 + (i % 18));
  const category = CATEGORIES[i % CATEGORIES.length]!;
  const status = i % 10 === 0 ? 'pending_appeal' : i % 10 === 1 ? 'notice_sent' : 'final';
  const payload: AttestationPayload = {
    v: 1,
    id: newStatementId(issuedMs, rng),
    issuer: agency.ori,
    tokens: { epoch: 1, keys: keys.map((k) => ({ kind: k.kind, index: k.index })) },
    categoryList: 1,
    category,
    useOfForce: category === 'civil_judgment_use_of_force' || i % 3 === 0,
    eventDate: `${year}-03-${day}`,
    outcomeDate: `${year}-07-${day}`,
    status,
    statusDate: `${year}-09-${day}`,
    notified: true,
    disputed: i % 20 === 0 ? { since: `${year}-10-01` } : null,
    supersedes: null,
    localRef: `IA-${year}-${String(i).padStart(6, '0')}`,
    issuedAt: formatTimestamp(new Date(issuedMs)),
  };
  const checked = safeDecode(AttestationPayloadSchema, payload);
  if (!checked.ok) throw new Error(`bench attestation ${i} is invalid: ${checked.error.message}`);
  return checked.value;
}

export interface Corpus {
  readonly reporters: readonly BenchAgency[];
  readonly statements: readonly CorpusStatement[];
  readonly officers: readonly (readonly OfficerKey[])[];
}

/**
 * Signs `n` attestations (in parallel chunks: WebCrypto signs off the main thread). Issued a
 * day before now, so that the hub's clock checks pass.
 */
export async function buildCorpus(
  n: number,
  reporterCount: number,
  progress: (done: number) => void = () => undefined,
): Promise<Corpus> {
  const reporters = await Promise.all(
    Array.from({ length: reporterCount }, (_, i) => benchAgency(i)),
  );
  const issuedMs = Date.now() - 86_400_000;
  const officers: OfficerKey[][] = [];
  const statements: CorpusStatement[] = [];
  const CHUNK = 256;
  for (let start = 0; start < n; start += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, n - start) }, (_, k) => start + k);
    const signed = await Promise.all(
      chunk.map(async (i) => {
        const keys = officerKeys(i);
        const agency = reporters[i % reporters.length]!;
        const payload = attestationFor(i, keys, agency, issuedMs + i);
        const jws = await signStatement(payload as unknown as JsonObject, {
          typ: STATEMENT_TYPES.attestation,
          key: agency.key,
        });
        return { keys, statement: { officer: i, jws, kid: agency.key.kid, payload } };
      }),
    );
    for (const s of signed) {
      officers.push(s.keys);
      statements.push(s.statement);
    }
    progress(statements.length);
  }
  return { reporters, statements, officers };
}

/**
 * The officers whose statement a check shows today: not past its retention period
 * (protocol/retention.ts, as enrolled by support/hub-setup.ts: local agencies of the ORI's
 * state). The corpus's dates are fixed (2016–2024) and retention is measured from today, so a
 * share of the corpus is already due and matches nothing: a check about such an officer would
 * be a miss. Hits are drawn from these.
 */
export function shownOfficers(corpus: Corpus, now: Date = new Date()): number[] {
  return corpus.statements
    .filter(
      ({ payload: p }) =>
        !retentionDue(p, { jurisdiction: 'local', state: p.issuer.slice(0, 2) }, now),
    )
    .map((s) => s.officer);
}

export const BENCH_POLICY: CheckPolicy = {
  categoryList: 1,
  disqualifying: ['decertification', 'criminal_conviction_on_duty', 'termination'],
  review: ['resignation_under_investigation', 'retirement_under_investigation', 'suspension'],
  otherCategories: 'review',
  useOfForce: 'at_least_review',
  findingStrength: 'moderate',
  lookbackYears: null,
  disputed: 'count',
};

export function checkRequestFor(keys: readonly OfficerKey[], n: number): CheckRequest {
  return {
    purpose: 'hiring',
    consentRef: `consent/2026/${String(n).padStart(6, '0')}`,
    epoch: 1,
    keys: keys.map((k) => ({ kind: k.kind, index: k.index })),
    policy: BENCH_POLICY,
  };
}

/** Headers for a request signed as `agency` (docs/protocol.md §7), valid for five minutes. */
export async function signedHeaders(
  agency: BenchAgency,
  audience: string,
  path: string,
  body: string,
  now: Date,
): Promise<Record<string, string>> {
  const token = await createRequestToken({
    key: agency.key,
    issuer: agency.ori,
    audience,
    method: 'POST',
    path,
    body: utf8(body),
    now,
    lifetimeSeconds: 300,
    rng,
  });
  return { authorization: formatAuthorization(token), 'content-type': 'application/json' };
}
