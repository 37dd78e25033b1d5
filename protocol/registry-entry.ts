/**
 * A registry entry: one agency as the hub knows it (docs/protocol.md §5.3).
 *
 *   { "ori": "CA0194200", "name": "Los Angeles Police Department",
 *     "jurisdiction": "local", "state": "CA",
 *     "roles": ["reporter", "checker"],
 *     "keys": [ AgencyKey, … ],                      1..16, distinct kid
 *     "contact": { "name": "Records Unit", "email": "records@example.gov", "phone": "+12135550100" },
 *     "status": "active" }
 *
 * `contact` is the agency's records custodian (a role or the person acting in it), whom a
 * hiring agency contacts after a hit — never officer data.
 *
 * `state` by jurisdiction level:
 * - state, local: REQUIRED, a state or DC, equal to the ORI prefix (NCIC assigns ORIs by location).
 * - territorial: REQUIRED, a territory code, equal to the ORI prefix.
 * - local agencies of a territory (e.g. a Puerto Rico municipal police) give the territory code.
 * - federal: the state of the office when the entry is for a field office, null for a national HQ.
 * - tribal: the state where the agency is located, or null when its lands span several states;
 *   tribal sovereignty does not make a tribe part of the state, so no ORI-prefix rule applies.
 */
import { z } from 'zod';
import { isTerritory, type UsJurisdictionCode } from '../crypto/us-jurisdictions.js';
import { AgencyKeySchema } from './agency-key.js';
import {
  addIssue,
  displayText,
  OriSchema,
  rejectDuplicates,
  UsJurisdictionSchema,
  whenFieldsValid,
} from './common.js';

export const JURISDICTION_LEVELS = ['federal', 'state', 'local', 'tribal', 'territorial'] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

/**
 * reporter: publishes attestations; checker: runs checks; operator: administers the hub;
 * witness: cosigns the hub's log checkpoints (C2SP tlog-cosignature, docs/transparency.md).
 */
export const AGENCY_ROLES = ['reporter', 'checker', 'operator', 'witness'] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export const AGENCY_STATUSES = ['active', 'suspended'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

export const MAX_AGENCY_KEYS = 16;
/**
 * Names are bounded in code points; 120 holds the longest US agency names with room to spare,
 * and keeps a signed check response under the 65 536-character statement limit (§6.5).
 */
export const MAX_NAME_CODE_POINTS = 120;

/**
 * An e-mail address: an RFC 5322 §3.2.3 dot-atom local part, `@`, and a domain of RFC 1035
 * letter-digit-hyphen labels ending in an alphabetic top-level label. No quoted local parts, IP
 * literals or comments: a records custodian's address never needs them.
 */
export const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** ITU-T E.164 in its `+` form: country code and number, 7 to 15 digits, no separators. */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;

export const ContactSchema = z.strictObject({
  name: displayText(MAX_NAME_CODE_POINTS),
  email: z.string().max(254).regex(EMAIL_PATTERN),
  phone: z.string().max(16).regex(E164_PATTERN),
});
export type Contact = z.infer<typeof ContactSchema>;

export const RegistryEntrySchema = z
  .strictObject({
    ori: OriSchema,
    name: displayText(MAX_NAME_CODE_POINTS),
    jurisdiction: z.enum(JURISDICTION_LEVELS),
    state: UsJurisdictionSchema.nullable(),
    roles: z.array(z.enum(AGENCY_ROLES)).min(1).max(AGENCY_ROLES.length),
    keys: z.array(AgencyKeySchema).min(1).max(MAX_AGENCY_KEYS),
    contact: ContactSchema,
    status: z.enum(AGENCY_STATUSES),
  })
  .superRefine((entry, ctx) => {
    rejectDuplicates(
      ctx,
      entry.roles,
      (r) => r,
      (i) => ['roles', i],
    );
    rejectDuplicates(
      ctx,
      entry.keys,
      (k) => k.kid,
      (i) => ['keys', i, 'kid'],
    );
    checkState(ctx, entry.jurisdiction, entry.state, entry.ori);
    if (entry.status === 'active' && !entry.keys.some((k) => k.status === 'active')) {
      addIssue(ctx, 'not_allowed', ['keys'], 'an active agency needs an active key');
    }
  }, whenFieldsValid);
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

function checkState(
  ctx: z.RefinementCtx,
  level: JurisdictionLevel,
  state: UsJurisdictionCode | null,
  ori: string,
): void {
  if (level === 'federal' || level === 'tribal') return;
  if (state === null) {
    addIssue(ctx, 'not_allowed', ['state'], `a ${level} agency must give its state or territory`);
    return;
  }
  if (level === 'state' && isTerritory(state)) {
    addIssue(ctx, 'not_allowed', ['state'], 'a territory agency has jurisdiction territorial');
  }
  if (level === 'territorial' && !isTerritory(state)) {
    addIssue(ctx, 'not_allowed', ['state'], 'territorial agencies give a territory code');
  }
  if (ori.slice(0, 2) !== state) {
    addIssue(ctx, 'mismatch', ['state'], 'state must equal the first two characters of the ORI');
  }
}
