/**
 * Outcomes retired under the node's retention action (docs/node.md "Retention"): once the hub
 * has accepted an outcome's `expired` statement, `delete` and `archive` take the outcome and its
 * statements out of the working tables and leave one row here. The row's `case_digest` keeps a
 * later import of the same case from bringing the record back; `archive` also keeps the detail
 * as a JSON document for the records custodian; `delete` keeps nothing else.
 */
import {
  date,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const retiredOutcomes = pgTable(
  'retired_outcomes',
  {
    id: serial('id').primaryKey(),
    /**
     * base64url(SHA-256(employee id, NUL, case number)): recognises the case on a later import
     * without the row naming the officer or the case.
     */
    caseDigest: text('case_digest').notNull(),
    /** The accepted `expired` statement (its row is gone with the others). */
    expiredAttestationId: uuid('expired_attestation_id').notNull(),
    /** Its statusDate: the day the record expired. */
    expiredOn: date('expired_on', { mode: 'string' }).notNull(),
    /** `delete` or `archive`: the action in force when the outcome was retired. */
    action: text('action').notNull(),
    /** `archive` only: the outcome's fields, the officer's employee id, every statement. */
    archive: jsonb('archive').$type<unknown>(),
    retiredAt: stamp('retired_at').notNull(),
  },
  (t) => [uniqueIndex('retired_outcomes_case_unique').on(t.caseDigest)],
);
