/**
 * Officers and their aliases. Written once against the driver-neutral `NodeDatabase`, so it
 * runs on PGlite, on PostgreSQL and inside a transaction (docs/storage.md).
 */
import { asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db/index.js';
import { NodeError } from '../errors.js';
import type { NodeDatabase } from './database.js';
import { officerAliases, officers } from './officers.table.js';
import { outcomes } from './outcomes.table.js';

export type OfficerRow = typeof officers.$inferSelect;

export interface OfficerAlias {
  /** Null when the alias keeps the officer's first name. */
  readonly firstName: string | null;
  readonly lastName: string;
}

/** What an import or a user sets on an officer; ids and timestamps are the store's. */
export interface OfficerFields {
  readonly employeeId: string;
  readonly firstName: string;
  readonly middleName: string | null;
  readonly lastName: string;
  readonly suffix: string | null;
  readonly dateOfBirth: string | null;
  readonly ssn: string | null;
  readonly licenseState: string | null;
  readonly licenseNumber: string | null;
  readonly hireDate: string | null;
  readonly separationDate: string | null;
  readonly aliases: readonly OfficerAlias[];
}

export type Officer = OfficerRow & { readonly aliases: readonly OfficerAlias[] };

/** Bound on values per statement: PostgreSQL's protocol allows 65 535 parameters. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function columnsOf(fields: OfficerFields) {
  const { aliases: _aliases, ...columns } = fields;
  return columns;
}

function duplicateEmployee(e: unknown, employeeId: string): unknown {
  return isUniqueViolation(e, 'officers_employee_id_unique')
    ? new NodeError('OFFICER_EXISTS', `an officer with employee id ${employeeId} exists`, {
        field: 'employeeId',
        cause: e,
      })
    : e;
}

export function officersRepository(db: NodeDatabase) {
  async function aliasesOf(ids: readonly number[]): Promise<Map<number, OfficerAlias[]>> {
    const byOfficer = new Map<number, OfficerAlias[]>();
    for (const part of chunks(ids)) {
      const rows = await db
        .select()
        .from(officerAliases)
        .where(inArray(officerAliases.officerId, part))
        .orderBy(asc(officerAliases.officerId), asc(officerAliases.position));
      for (const r of rows) {
        const list = byOfficer.get(r.officerId) ?? [];
        list.push({ firstName: r.firstName, lastName: r.lastName });
        byOfficer.set(r.officerId, list);
      }
    }
    return byOfficer;
  }

  async function withAliases(rows: readonly OfficerRow[]): Promise<Officer[]> {
    const aliases = await aliasesOf(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, aliases: aliases.get(r.id) ?? [] }));
  }

  async function insertAliases(officerId: number, aliases: readonly OfficerAlias[]) {
    if (aliases.length === 0) return;
    await db.insert(officerAliases).values(
      aliases.map((a, position) => ({
        officerId,
        position,
        firstName: a.firstName,
        lastName: a.lastName,
      })),
    );
  }

  return {
    /** Inserts officers (and their aliases) in multi-row statements; OFFICER_EXISTS on a taken id. */
    async insertMany(list: readonly OfficerFields[], now: Date): Promise<Officer[]> {
      const out: Officer[] = [];
      for (const part of chunks(list, 500)) {
        let rows: OfficerRow[];
        try {
          rows = await db
            .insert(officers)
            .values(part.map((f) => ({ ...columnsOf(f), createdAt: now, updatedAt: now })))
            .returning();
        } catch (e) {
          throw duplicateEmployee(e, part.length === 1 ? part[0]!.employeeId : '(one of a batch)');
        }
        const aliasRows = rows.flatMap((row, i) =>
          part[i]!.aliases.map((a, position) => ({
            officerId: row.id,
            position,
            firstName: a.firstName,
            lastName: a.lastName,
          })),
        );
        for (const aliasPart of chunks(aliasRows, 2000)) {
          await db.insert(officerAliases).values(aliasPart);
        }
        rows.forEach((row, i) => out.push({ ...row, aliases: part[i]!.aliases }));
      }
      return out;
    },

    async insert(fields: OfficerFields, now: Date): Promise<Officer> {
      const [officer] = await this.insertMany([fields], now);
      return officer!;
    },

    /** Replaces every field and the alias list. */
    async update(id: number, fields: OfficerFields, now: Date): Promise<Officer> {
      let row: OfficerRow | undefined;
      try {
        [row] = await db
          .update(officers)
          .set({ ...columnsOf(fields), updatedAt: now })
          .where(eq(officers.id, id))
          .returning();
      } catch (e) {
        throw duplicateEmployee(e, fields.employeeId);
      }
      if (row === undefined) throw new NodeError('OFFICER_UNKNOWN', `no officer ${id}`);
      await db.delete(officerAliases).where(eq(officerAliases.officerId, id));
      await insertAliases(id, fields.aliases);
      return { ...row, aliases: fields.aliases };
    },

    async get(id: number): Promise<Officer> {
      const rows = await db.select().from(officers).where(eq(officers.id, id));
      if (rows.length === 0) throw new NodeError('OFFICER_UNKNOWN', `no officer ${id}`);
      return (await withAliases(rows))[0]!;
    },

    async findByEmployeeId(employeeId: string): Promise<Officer | undefined> {
      return (await this.findByEmployeeIds([employeeId])).get(employeeId);
    },

    /** The officers with these employee ids, keyed by employee id (absent ids are absent). */
    async findByEmployeeIds(employeeIds: readonly string[]): Promise<Map<string, Officer>> {
      const found = new Map<string, Officer>();
      for (const part of chunks([...new Set(employeeIds)])) {
        const rows = await db.select().from(officers).where(inArray(officers.employeeId, part));
        for (const officer of await withAliases(rows)) found.set(officer.employeeId, officer);
      }
      return found;
    },

    /** A page of officers in id order, for walking the whole table (e.g. to re-tokenize). */
    async list(page: { afterId?: number; limit: number }): Promise<Officer[]> {
      const rows = await db
        .select()
        .from(officers)
        .where(gt(officers.id, page.afterId ?? 0))
        .orderBy(asc(officers.id))
        .limit(page.limit);
      return withAliases(rows);
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(officers);
      return row?.n ?? 0;
    },

    /**
     * Marks every outcome of the officer as needing a new attestation: its tokens change when
     * the officer's match keys do. Returns how many outcomes were marked.
     */
    async markOutcomesForReattestation(officerId: number, now: Date): Promise<number> {
      const rows = await db
        .update(outcomes)
        .set({ revision: sql`${outcomes.revision} + 1`, updatedAt: now })
        .where(eq(outcomes.officerId, officerId))
        .returning({ id: outcomes.id });
      return rows.length;
    },
  };
}

export type OfficersRepository = ReturnType<typeof officersRepository>;
