/**
 * Officers and their former or other names, as the agency's HR system knows them. These are
 * raw identifiers: they live in the node's own database only and never leave it (design
 * brief §3). Values are stored as imported (trimmed), not normalized: normalization is a pure
 * function of them (docs/protocol.md §2) and is recomputed whenever keys are needed, so a
 * stored copy could never disagree with the rules in force (docs/csv-formats.md).
 */
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const officers = pgTable(
  'officers',
  {
    /** Node-local id; never leaves the node. */
    id: serial('id').primaryKey(),
    /** The HR system's id, unique within the agency; joins the outcomes file to officers. */
    employeeId: text('employee_id').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    lastName: text('last_name').notNull(),
    suffix: text('suffix'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    ssn: text('ssn'),
    /** POST licence or certification: issuing state (USPS code) and number, as exported. */
    licenseState: text('license_state'),
    licenseNumber: text('license_number'),
    hireDate: date('hire_date', { mode: 'string' }),
    separationDate: date('separation_date', { mode: 'string' }),
    createdAt: stamp('created_at').notNull(),
    updatedAt: stamp('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('officers_employee_id_unique').on(t.employeeId),
    // A licence is a pair: a number without its issuing state identifies no one.
    check('officers_license_pair', sql`(${t.licenseState} is null) = (${t.licenseNumber} is null)`),
  ],
);

/** Maiden names, names before or after a marriage, legal name changes: each yields keys. */
export const officerAliases = pgTable(
  'officer_aliases',
  {
    id: serial('id').primaryKey(),
    officerId: integer('officer_id')
      .notNull()
      .references(() => officers.id, { onDelete: 'cascade' }),
    /** 0-based order as imported; match keys of aliases follow this order (§2.8). */
    position: integer('position').notNull(),
    /** Null when the alias keeps the officer's first name (the usual maiden-name case). */
    firstName: text('first_name'),
    lastName: text('last_name').notNull(),
  },
  (t) => [uniqueIndex('officer_aliases_position_unique').on(t.officerId, t.position)],
);
