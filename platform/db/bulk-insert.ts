/**
 * Many rows in one INSERT with one bind parameter: the rows travel as one JSON array and
 * PostgreSQL spreads it into columns (`jsonb_to_recordset`, PostgreSQL manual §9.16.3).
 *
 * The query builder's multi-row `insert(…).values(rows)` binds every value of every row on its
 * own — an intake batch of 500 statements made some 20,000 parameters, which drizzle walks and
 * checks one by one and the driver encodes one by one: that, not PostgreSQL, was most of the
 * hub's time for a batch. Here the values are converted by each column's own mapping to the
 * driver (a Date column to its ISO text), serialized once by JSON.stringify, and typed by the
 * columns' SQL types. Same rows, same constraints, on PGlite and PostgreSQL alike.
 *
 * Values must be what the columns take: text, numbers (up to 2^53), booleans, null, and what a
 * column maps to one of those (dates). A column no row gives is left to its default; one that
 * some rows give and others leave out gets null in those.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';

/** Column SQL types that JSON carries exactly. */
const JSON_SAFE_TYPE = /^(text|integer|bigint|boolean|timestamp( \(\d\))? with time zone)$/;

/**
 * Inserts `rows` into `table` in one statement. Throws (before sending anything) for a column
 * whose type JSON does not carry exactly.
 */
export async function insertRows<T extends PgTable, TSchema extends Record<string, unknown>>(
  db: Database<TSchema>,
  table: T,
  rows: readonly T['$inferInsert'][],
): Promise<void> {
  const query = insertRowsQuery(table, rows);
  if (query !== undefined) await db.execute(query);
}

/**
 * Several data-changing statements sent as one: each becomes a data-modifying `WITH` query of
 * one statement (PostgreSQL manual §7.8.4), so they cost one round trip and run in the
 * caller's transaction (or their own). They all see the database as it was before the
 * statement and none sees another's changes: give only statements that do not depend on each
 * other (rows of different tables, an `UPDATE` of a row none of them writes). A constraint
 * violated by any of them fails the whole statement, as it would have failed its own.
 */
export async function executeTogether<TSchema extends Record<string, unknown>>(
  db: Database<TSchema>,
  statements: readonly (SQL | undefined)[],
): Promise<void> {
  const parts = statements.filter((s): s is SQL => s !== undefined);
  if (parts.length === 0) return;
  if (parts.length === 1) {
    await db.execute(parts[0]!);
    return;
  }
  const withs = sql.join(
    parts.map((part, i) => sql`${sql.raw(`w${i}`)} as (${part})`),
    sql`, `,
  );
  await db.execute(sql`with ${withs} select 1`);
}

/** `insertRows`'s statement, to send with `executeTogether`; undefined for no rows. */
export function insertRowsQuery<T extends PgTable>(
  table: T,
  rows: readonly T['$inferInsert'][],
): SQL | undefined {
  if (rows.length === 0) return undefined;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) =>
    rows.some((row) => (row as Record<string, unknown>)[key] !== undefined),
  );
  for (const [, column] of columns) {
    if (!JSON_SAFE_TYPE.test(column.getSQLType())) {
      throw new Error(`insertRows: column ${column.name} of type ${column.getSQLType()}`);
    }
  }
  const json = JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = (row as Record<string, unknown>)[key];
        out[column.name] =
          value === undefined || value === null ? null : column.mapToDriverValue(value);
      }
      return out;
    }),
  );
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const types: SQL = sql.join(
    columns.map(([, c]) => sql`${sql.identifier(c.name)} ${sql.raw(c.getSQLType())}`),
    sql`, `,
  );
  return sql`insert into ${sql.identifier(getTableName(table))} (${names})
        select ${names} from jsonb_to_recordset(${json}::jsonb) as r(${types})`;
}
