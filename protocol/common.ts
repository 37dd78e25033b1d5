/**
 * Field types shared by every SPX1 message (docs/protocol.md §5.1). Each schema here pins one
 * spelling per value — upper-case ORIs, lower-case UUIDs, unpadded base64url, `Z` timestamps
 * without fractions — so that a signed statement re-encodes to the same bytes everywhere.
 *
 * Custom issues carry `params.code`, which problem.ts turns into the stable field-error code.
 */
import { z } from 'zod';
import { fromBase64url } from '../crypto/encoding.js';
import { MAX_EPOCH } from '../crypto/oprf/suite.js';
import { MATCH_KEY_KINDS } from '../crypto/match-key-kind.js';
import { isUsJurisdictionCode, US_JURISDICTION_CODES } from '../crypto/us-jurisdictions.js';

/** Issue codes that schemas put in `params.code` (see FIELD_ERROR_CODES in problem.ts). */
export type CustomIssueCode =
  | 'invalid_value'
  | 'duplicate'
  | 'invalid_encoding'
  | 'invalid_length'
  | 'not_allowed'
  | 'out_of_order'
  | 'mismatch'
  | 'unsupported_version'
  | 'unsupported_category_list';

/** Adds a custom issue with a stable code; `path` is relative to the refined value. */
export function addIssue(
  ctx: z.RefinementCtx,
  code: CustomIssueCode,
  path: (string | number)[],
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code } });
}

/** Runs cross-field rules only once every field is valid, so they never report noise. */
export const whenFieldsValid = {
  when: (p: { issues: readonly unknown[] }) => p.issues.length === 0,
};

// ---------------------------------------------------------------------------------------------
// Agencies

/**
 * FBI/NCIC Originating Agency Identifier: nine characters, the first two the USPS code of the
 * state or territory where the agency sits (federal ORIs too, e.g. `DCFBIWA00`), the other seven
 * assigned by CJIS (county code, agency, suffix), digits or letters. Upper case only; Canadian,
 * Mexican and NCIC-internal prefixes are not US agencies and are rejected.
 */
export const ORI_PATTERN = /^[A-Z]{2}[A-Z0-9]{7}$/;
export const OriSchema = z
  .string()
  .length(9)
  .regex(ORI_PATTERN)
  .refine((s) => isUsJurisdictionCode(s.slice(0, 2)), {
    message: 'ORI must start with a USPS state, DC or territory code',
    params: { code: 'invalid_value' },
  });
export type Ori = z.infer<typeof OriSchema>;

export const UsJurisdictionSchema = z.enum(US_JURISDICTION_CODES);

// ---------------------------------------------------------------------------------------------
// Bytes

/** Length of the unpadded base64url encoding of n bytes (RFC 4648 §5, no `=`). */
export function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/**
 * A binary value of exactly `bytes` bytes in canonical unpadded base64url. The length is
 * checked on the text first so that oversized input is rejected before it is decoded.
 */
export function fixedBytes(bytes: number) {
  return z
    .string()
    .length(base64urlLength(bytes))
    .superRefine((s, ctx) => {
      const decoded = fromBase64url(s);
      if (decoded === undefined) {
        addIssue(ctx, 'invalid_encoding', [], 'not canonical unpadded base64url');
      } else if (decoded.length !== bytes) {
        addIssue(ctx, 'invalid_length', [], `must encode exactly ${bytes} bytes`);
      }
    });
}

/** RFC 9497 ristretto255 SerializeElement output (blinded and evaluated elements). */
export const ELEMENT_BYTES = 32;
/** RFC 9497 §2.2.1 proof: two serialized scalars (c, s). */
export const PROOF_BYTES = 64;
/** HKDF output stored by the hub instead of the OPRF output (§4.6). */
export const HUB_INDEX_BYTES = 32;

export const OprfElementSchema = fixedBytes(ELEMENT_BYTES);
export const VoprfProofSchema = fixedBytes(PROOF_BYTES);
export const HubIndexSchema = fixedBytes(HUB_INDEX_BYTES);

// ---------------------------------------------------------------------------------------------
// Numbers

/** OPRF key epochs: 1..MAX_EPOCH (2^31-1; §4.2, defined with the suite in crypto/oprf). */
export { MAX_EPOCH };
export const EpochSchema = z.int().min(1).max(MAX_EPOCH);

/** Shamir x-coordinate of a keyholder share; 1 for a whole key. One byte on the wire of §4. */
export const ShareIndexSchema = z.int().min(1).max(255);

// ---------------------------------------------------------------------------------------------
// Time

/**
 * A real calendar date `YYYY-MM-DD` (zod's ISO date regex checks month lengths and leap years),
 * with a year of at least 1900 so that placeholder dates such as 0001-01-01 are refused.
 * Fixed-width dates compare correctly as strings, which the cross-field rules rely on.
 */
export const IsoDateSchema = z.iso.date().refine((s) => s >= '1900-01-01', {
  message: 'date must not be before 1900-01-01',
  params: { code: 'invalid_value' },
});
export type IsoDate = z.infer<typeof IsoDateSchema>;

/**
 * RFC 3339 §5.6 date-time in UTC, `YYYY-MM-DDTHH:MM:SSZ`: whole seconds, `Z` only, no leap
 * second. One instant has one spelling, and two timestamps compare correctly as strings.
 */
export const TimestampSchema = z.iso
  .datetime({ precision: 0 })
  .refine((s) => s >= '1900-01-01T00:00:00Z', {
    message: 'timestamp must not be before 1900',
    params: { code: 'invalid_value' },
  });
export type Timestamp = z.infer<typeof TimestampSchema>;

/** The wire spelling of an instant, truncated to the second. */
export function formatTimestamp(instant: Date): Timestamp {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('formatTimestamp: invalid Date');
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The calendar date (UTC) of a timestamp. */
export function timestampDate(ts: Timestamp): IsoDate {
  return ts.slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/**
 * UUID version 7 (RFC 9562 §5.7), lower case: time-ordered, so the hub's indexes on statement
 * and check ids stay append-mostly at national scale. Its timestamp reveals nothing that
 * `issuedAt` does not already state.
 */
export const UUID_V7_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const StatementIdSchema = z.string().length(36).regex(UUID_V7_PATTERN);
export type StatementId = z.infer<typeof StatementIdSchema>;

/**
 * An opaque reference to something that stays at a node (a local record, a signed consent
 * form). Printable ASCII from a small set so it cannot carry free text; senders MUST NOT put
 * identifiers in it. A run of exactly nine digits (optionally 3-2-4 dashed) is refused
 * because it has the shape of an SSN.
 */
export const OPAQUE_REF_PATTERN = /^[A-Za-z0-9._:/-]+$/;
const SSN_SHAPE = /(?:^|[^0-9])[0-9]{3}-?[0-9]{2}-?[0-9]{4}(?:[^0-9]|$)/;
export function opaqueRef(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .regex(OPAQUE_REF_PATTERN)
    .refine((s) => !SSN_SHAPE.test(s), {
      message: 'must not have the shape of an SSN',
      params: { code: 'not_allowed' },
    });
}

// ---------------------------------------------------------------------------------------------
// Text shown to people (agency names, contact names)

/** Control characters and lone surrogates; the latter would make the JSON unencodable (RFC 8785 §3.2.2.2). */
const FORBIDDEN_TEXT = /[\p{Cc}\p{Cs}]/u;

/**
 * Human-readable text of 1..max Unicode code points (not UTF-16 units, so every language
 * counts the same), without control characters or surrounding white space.
 */
export function displayText(maxCodePoints: number) {
  return z
    .string()
    .min(1)
    .max(maxCodePoints * 2)
    .superRefine((s, ctx) => {
      if ([...s].length > maxCodePoints) {
        ctx.addIssue({
          code: 'too_big',
          origin: 'string',
          maximum: maxCodePoints,
          inclusive: true,
          input: s,
          message: `at most ${maxCodePoints} code points`,
        });
      }
      if (FORBIDDEN_TEXT.test(s)) addIssue(ctx, 'not_allowed', [], 'control character');
      if (s.trim() !== s) addIssue(ctx, 'not_allowed', [], 'leading or trailing white space');
    });
}

// ---------------------------------------------------------------------------------------------
// Statements and tokens

/**
 * A compact JWS (RFC 7515 §7.1) with an Ed25519 signature: three base64url segments, the last
 * exactly 64 bytes (86 characters). Only the shape is checked here; §6 verifies it.
 */
export const MAX_JWS_LENGTH = 16_384;
export const CompactJwsSchema = z
  .string()
  .min(1)
  .max(MAX_JWS_LENGTH)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);

export const MatchKeyKindSchema = z.enum(MATCH_KEY_KINDS);

/** One token as the hub sees it: the kind of match key and the hub index derived from it. */
export const TokenKeySchema = z.strictObject({
  kind: MatchKeyKindSchema,
  index: HubIndexSchema,
});
export type TokenKey = z.infer<typeof TokenKeySchema>;

/** Reports the second and later occurrences of a value in a list, at `path[i].sub`. */
export function rejectDuplicates<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  key: (item: T) => string,
  path: (i: number) => (string | number)[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) addIssue(ctx, 'duplicate', path(i), 'duplicate value');
    seen.add(k);
  });
}
