/**
 * A credentialing body as the hub knows it (docs/protocol.md §5.16.2):
 *
 *   { "id": "calea", "name": "Commission on Accreditation for Law Enforcement Agencies",
 *     "keys": [ AgencyKey, … ], "contact": { "name": …, "email": …, "phone": … },
 *     "status": "active" | "suspended" | "retired", "statusSince": "<ts>" }
 *
 * Enrolled, suspended, reinstated and retired by the hub operator only: enrolment stands for
 * the Attorney General's certification of the body (EO 13929 sec. 2(a)). Retirement is final
 * (the certification withdrawn); a suspended body can be reinstated.
 */
import { z } from 'zod';
import { AgencyKeySchema } from './agency-key.js';
import { displayText, TimestampSchema } from './common.js';
import { BodyIdSchema } from './credential.js';
import { ContactSchema, MAX_AGENCY_KEYS, MAX_NAME_CODE_POINTS } from './registry-entry.js';

export const BODY_STATUSES = ['active', 'suspended', 'retired'] as const;
export type BodyStatus = (typeof BODY_STATUSES)[number];

export const CredentialingBodySchema = z.strictObject({
  id: BodyIdSchema,
  name: displayText(MAX_NAME_CODE_POINTS),
  keys: z.array(AgencyKeySchema).min(1).max(MAX_AGENCY_KEYS),
  contact: ContactSchema,
  status: z.enum(BODY_STATUSES),
  statusSince: TimestampSchema,
});
export type CredentialingBody = z.infer<typeof CredentialingBodySchema>;

/** GET /v1/credentialing-bodies: every enrolled body, public (as the log is). */
export const CredentialingBodyListSchema = z.strictObject({
  bodies: z.array(CredentialingBodySchema).max(10_000),
});
export type CredentialingBodyList = z.infer<typeof CredentialingBodyListSchema>;
