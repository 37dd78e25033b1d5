/**
 * The transparency log (docs/transparency.md, docs/protocol.md §9): what the hub appends, and
 * the evidence it hands out. Pure: schemas and the functions that turn statements into leaves.
 *
 * A leaf is RFC 9162's hash of one *log entry*, the UTF-8 bytes of a canonical (RFC 8785) JSON
 * object:
 *
 *   { "v": 1, "kind": "attestation", "commitment": "<base64url SHA-256>" }
 *       commitment = SHA-256("SPX1 log-commitment" || 0x00 || salt || UTF-8(compact JWS)),
 *       salt = 32 random bytes chosen by the hub at intake. The statement itself stays in the
 *       hub's database; deleting it and its salt (expungement) leaves a leaf that still verifies
 *       but can no longer be linked to any statement.
 *   { "v": 1, "kind": "agency", "event": "enrolled" | "key_rotated" | "suspended" |
 *     "reinstated", "ori": "<ORI>", "kid": "<kid>", "publicJwk": {…} | null, "at": "<ts>" }
 *       registry changes, public: anyone can see which key an agency had when.
 *   { "v": 1, "kind": "keyholder_key", "epoch": 1, "publicKey": "<element>",
 *     "shares": [{ "index": 1, "publicKey": "<element>" }, …], "at": "<ts>" }
 *       the keyholder's public key per epoch (and t-of-n shares), so a substituted key shows.
 *   { "v": 1, "kind": "certification", "id": "<UUIDv7>", "ori": "<ORI>", "period": "2026-Q2",
 *     "sworn": 412, "statements": 3, "supersedes": null | "<UUIDv7>", "at": "<ts>" }
 *       an accepted period certification (§5.15), public: coverage is recomputed from these.
 *   { "v": 1, "kind": "credentialing_body", "event": "enrolled" | "key_rotated" | "suspended" |
 *     "reinstated" | "retired", "body": "<body id>", "kid": "<kid>", "publicJwk": {…} | null,
 *     "at": "<ts>" }
 *       the hub operator's enrolment of a credentialing body (§5.16) and its changes.
 *   { "v": 1, "kind": "credential", "id": "<UUIDv7>", "body": "<body id>", "ori": "<ORI>",
 *     "standardsList": 1, "standards": ["chokehold_ban", …], "mandatoryMet": true,
 *     "assessedOn": "<date>", "at": "<ts>" }
 *   { "v": 1, "kind": "credential_revocation", "id": "<UUIDv7>", "body": "<body id>",
 *     "credential": "<UUIDv7>", "reason": "<reason>", "at": "<ts>" }
 *   { "v": 1, "kind": "credential_affirmation", "id": "<UUIDv7>", "ori": "<ORI>",
 *     "affirmedOn": "<date>", "at": "<ts>" }
 *       accepted credentials, revocations and affirmations (§5.16), public: every agency's
 *       credential standing is recomputed from these and the body entries.


 *   { "v": 1, "kind": "statistics_release", "version": 7, "asOf": "<ts>", "tier": "full",
 *     "coverage": { "period": "2026-Q2", "certifiedSworn": …, "knownSworn": …, … },
 *     "json": "<base64url SHA-256>", "csv": "<base64url SHA-256>", "at": "<ts>" }
 *       a public statistics release (§5.17): its number, cutoff, coverage and tier, and the
 *       digests of its JSON and CSV bodies, so a reader can tell a release the hub logged.
 *
 * Evidence: an inclusion proof `{ index, salt, proof }` for an attestation against a signed
 * checkpoint (C2SP tlog-checkpoint as a C2SP signed note, signed by the hub's key under the
 * log's origin). Receipts and check answers carry one per statement, next to the checkpoint.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { toBase64url, utf8 } from '../crypto/encoding.js';
import { leafHash } from '../crypto/merkle/hash.js';
import { canonicalJson } from '../crypto/signing/canonical-json.js';
import { Ed25519PublicJwkSchema, KidSchema } from './agency-key.js';
import {
  EpochSchema,
  fixedBytes,
  IsoDateSchema,
  OprfElementSchema,
  OriSchema,
  ShareIndexSchema,
  StatementIdSchema,
  TimestampSchema,
} from './common.js';
import { ProtocolVersionSchema } from './version.js';
import { MAX_PERIOD_STATEMENTS, MAX_SWORN, PeriodSchema } from './certification.js';
import { BodyIdSchema, REVOCATION_REASONS } from './credential.js';
import { MAX_STANDARDS, STANDARD_ID_PATTERN } from './credential-standards.js';
import { CoverageSchema, RELEASE_TIERS } from './statistics-coverage.js';

/**
 * A log origin as a verifier accepts it; it is also a signed-note key name (C2SP signed-note):
 * 1 to 255 printable ASCII characters without space or "+". (The hub's own SPX_HUB_LOG_ORIGIN
 * is stricter: hub/tlog/checkpoint-note.ts.)
 */
export const LOG_ORIGIN_TEXT = /^[\x21-\x2a\x2c-\x7e]{1,255}$/;
export const LogOriginSchema = z.string().regex(LOG_ORIGIN_TEXT);

export const LOG_SALT_BYTES = 32;
export const LOG_HASH_BYTES = 32;
/** A proof has at most one element per tree level; 2^63 leaves is far beyond any log. */
export const MAX_LOG_PROOF = 63;
/** A signed checkpoint with its hub signature and up to ~100 witness cosignatures. */
export const MAX_CHECKPOINT_NOTE_CHARS = 16_384;
/** Entries per page of GET /v1/log/entries. */
export const MAX_LOG_ENTRIES_PAGE = 1000;

export const LogHashSchema = fixedBytes(LOG_HASH_BYTES);
export const LogSaltSchema = fixedBytes(LOG_SALT_BYTES);
export const LogIndexSchema = z
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER - 1);
export const LogSizeSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
export const LogProofSchema = z.array(LogHashSchema).max(MAX_LOG_PROOF);
/** A signed note's text: shape only; crypto/note parses and verifies it. */
export const CheckpointNoteSchema = z.string().min(1).max(MAX_CHECKPOINT_NOTE_CHARS);

export const AttestationLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('attestation'),
  commitment: LogHashSchema,
});

export const AGENCY_LOG_EVENTS = ['enrolled', 'key_rotated', 'suspended', 'reinstated'] as const;
export type AgencyLogEvent = (typeof AGENCY_LOG_EVENTS)[number];

export const AgencyLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('agency'),
  event: z.enum(AGENCY_LOG_EVENTS),
  ori: OriSchema,
  /** The agency's active key after the event. */
  kid: KidSchema,
  /** Its public key, on `enrolled` and `key_rotated`; null otherwise. */
  publicJwk: Ed25519PublicJwkSchema.nullable(),
  at: TimestampSchema,
});

export const KeyholderKeyLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('keyholder_key'),
  epoch: EpochSchema,
  publicKey: OprfElementSchema,
  shares: z
    .array(z.strictObject({ index: ShareIndexSchema, publicKey: OprfElementSchema }))
    .max(255),
  at: TimestampSchema,
});

/**
 * An accepted period certification (§5.15), in the clear: certifications carry no officer data,
 * and coverage (the share of sworn officers whose agencies certified) is recomputed from them.
 */
export const CertificationLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('certification'),
  id: StatementIdSchema,
  ori: OriSchema,
  period: PeriodSchema,
  sworn: z.int().min(0).max(MAX_SWORN),
  statements: z.int().min(0).max(MAX_PERIOD_STATEMENTS),
  supersedes: StatementIdSchema.nullable(),
  at: TimestampSchema,
});

export const BODY_LOG_EVENTS = [
  'enrolled',
  'key_rotated',
  'suspended',
  'reinstated',
  'retired',
] as const;
export type BodyLogEvent = (typeof BODY_LOG_EVENTS)[number];

/** A credentialing body's enrolment by the hub operator and its changes (§5.16.2). */
export const CredentialingBodyLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('credentialing_body'),
  event: z.enum(BODY_LOG_EVENTS),
  body: BodyIdSchema,
  /** The body's active key after the event. */
  kid: KidSchema,
  /** Its public key, on `enrolled` and `key_rotated`; null otherwise. */
  publicJwk: Ed25519PublicJwkSchema.nullable(),
  at: TimestampSchema,
});

/** An accepted credential (§5.16), in the clear: the standards met, not the body's file. */
export const CredentialLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('credential'),
  id: StatementIdSchema,
  body: BodyIdSchema,
  ori: OriSchema,
  standardsList: z.int().min(1).max(1000),
  standards: z.array(z.string().regex(STANDARD_ID_PATTERN)).max(MAX_STANDARDS),
  mandatoryMet: z.boolean(),
  assessedOn: IsoDateSchema,
  at: TimestampSchema,
});

export const CredentialRevocationLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('credential_revocation'),
  id: StatementIdSchema,
  body: BodyIdSchema,
  credential: StatementIdSchema,
  reason: z.enum(REVOCATION_REASONS),
  at: TimestampSchema,
});

export const CredentialAffirmationLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('credential_affirmation'),
  id: StatementIdSchema,
  ori: OriSchema,
  affirmedOn: IsoDateSchema,
  at: TimestampSchema,
});

/** Release numbers: 1, 2, … in the order the hub published them. */
export const ReleaseVersionSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * A statistics release (§5.17): public, like the release itself. The digests are of the exact
 * bytes `GET /v1/statistics` serves (identity encoding) as JSON and as CSV.
 */
export const StatisticsReleaseLogEntrySchema = z.strictObject({
  v: ProtocolVersionSchema,
  kind: z.literal('statistics_release'),
  version: ReleaseVersionSchema,
  asOf: TimestampSchema,
  tier: z.enum(RELEASE_TIERS),
  coverage: CoverageSchema,
  json: LogHashSchema,
  csv: LogHashSchema,
  at: TimestampSchema,
});

export const LogEntrySchema = z.discriminatedUnion('kind', [
  AttestationLogEntrySchema,
  AgencyLogEntrySchema,
  KeyholderKeyLogEntrySchema,
  CertificationLogEntrySchema,
  CredentialingBodyLogEntrySchema,
  CredentialLogEntrySchema,
  CredentialRevocationLogEntrySchema,
  CredentialAffirmationLogEntrySchema,
  StatisticsReleaseLogEntrySchema,
]);
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type AttestationLogEntry = z.infer<typeof AttestationLogEntrySchema>;
export type AgencyLogEntry = z.infer<typeof AgencyLogEntrySchema>;
export type KeyholderKeyLogEntry = z.infer<typeof KeyholderKeyLogEntrySchema>;
export type CertificationLogEntry = z.infer<typeof CertificationLogEntrySchema>;
export type CredentialingBodyLogEntry = z.infer<typeof CredentialingBodyLogEntrySchema>;
export type CredentialLogEntry = z.infer<typeof CredentialLogEntrySchema>;
export type CredentialRevocationLogEntry = z.infer<typeof CredentialRevocationLogEntrySchema>;
export type CredentialAffirmationLogEntry = z.infer<typeof CredentialAffirmationLogEntrySchema>;
export type StatisticsReleaseLogEntry = z.infer<typeof StatisticsReleaseLogEntrySchema>;
export type LogEntryKind = LogEntry['kind'];

const COMMITMENT_LABEL = utf8('SPX1 log-commitment\u0000');

/** base64url(SHA-256("SPX1 log-commitment" || 0x00 || salt || UTF-8(statement))). */
export function statementCommitment(salt: Uint8Array, compactJws: string): string {
  const body = utf8(compactJws);
  const input = new Uint8Array(COMMITMENT_LABEL.length + salt.length + body.length);
  input.set(COMMITMENT_LABEL, 0);
  input.set(salt, COMMITMENT_LABEL.length);
  input.set(body, COMMITMENT_LABEL.length + salt.length);
  return toBase64url(sha256(input));
}

export function attestationLogEntry(salt: Uint8Array, compactJws: string): AttestationLogEntry {
  return { v: 1, kind: 'attestation', commitment: statementCommitment(salt, compactJws) };
}

/** The entry's canonical JSON text: what the log stores and serves, and what the leaf hashes. */
export function encodeLogEntry(entry: LogEntry): string {
  return canonicalJson(entry);
}

/** RFC 9162 leaf hash of an entry: SHA-256(0x00 || UTF-8(canonical JSON)). */
export function logEntryLeafHash(entry: LogEntry): Uint8Array {
  return leafHash(utf8(encodeLogEntry(entry)));
}

/**
 * Parses an entry served by a log: valid JSON, a known schema, and in canonical form (so one
 * entry has exactly one leaf hash). Returns the field errors' first message on failure.
 */
export function parseLogEntry(
  text: string,
): { ok: true; entry: LogEntry } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'entry is not JSON' };
  }
  const parsed = LogEntrySchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'invalid' };
  if (encodeLogEntry(parsed.data) !== text) return { ok: false, error: 'entry is not canonical' };
  return { ok: true, entry: parsed.data };
}

/** Where a statement sits in the log and how to prove it: in receipts and check answers. */
export const InclusionEvidenceSchema = z.strictObject({
  index: LogIndexSchema,
  salt: LogSaltSchema,
  proof: LogProofSchema,
});
export type InclusionEvidence = z.infer<typeof InclusionEvidenceSchema>;

/** The checkpoint that evidence in a receipt or answer is proved against. */
export const CheckpointEvidenceSchema = z.strictObject({ checkpoint: CheckpointNoteSchema });

/** GET /v1/log/proof/inclusion?index=…&size=… (or ?leafHash=…&size=…). */
export const InclusionProofResponseSchema = z.strictObject({
  index: LogIndexSchema,
  size: LogSizeSchema,
  leafHash: LogHashSchema,
  proof: LogProofSchema,
});
export type InclusionProofResponse = z.infer<typeof InclusionProofResponseSchema>;

/** GET /v1/log/proof/consistency?from=…&to=… */
export const ConsistencyProofResponseSchema = z.strictObject({
  from: LogSizeSchema,
  to: LogSizeSchema,
  proof: LogProofSchema,
});
export type ConsistencyProofResponse = z.infer<typeof ConsistencyProofResponseSchema>;

/** GET /v1/log/entries?start=…&end=… — entries [start, end), at most MAX_LOG_ENTRIES_PAGE. */
export const LogEntriesResponseSchema = z.strictObject({
  start: LogIndexSchema,
  entries: z
    .array(z.strictObject({ index: LogIndexSchema, entry: z.string().min(1).max(8192) }))
    .max(MAX_LOG_ENTRIES_PAGE),
});
export type LogEntriesResponse = z.infer<typeof LogEntriesResponseSchema>;

/**
 * POST /v1/log/cosignatures (role witness): a C2SP tlog-cosignature line over the checkpoint of
 * `size` that the hub issued. The key name is `witnessKeyName(ori)`; the key is the agency's.
 */
export const CosignatureSubmissionSchema = z.strictObject({
  size: LogSizeSchema,
  cosignature: z.string().min(1).max(512),
});
export type CosignatureSubmission = z.infer<typeof CosignatureSubmissionSchema>;

/** The C2SP key name under which an agency cosigns checkpoints as a witness. */
export function witnessKeyName(ori: string): string {
  return `spx-witness/${ori}`;
}
