/**
 * Registry storage: agencies and their keys as protocol registry entries (docs/protocol.md
 * §5.3). Built from a db handle or a transaction; constraint violations become HubError codes.
 * Every change runs `inTx` inside its transaction: the service appends the change to the
 * transparency log there (docs/transparency.md), so a change and its log entry commit together.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import {
  AGENCY_ROLES,
  type AgencyStatus,
  type RegistryEntry,
} from '../../protocol/registry-entry.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import { HubError } from '../errors.js';
import type { HubDatabase, InTransaction } from '../database.js';
import { agencies, agencyKeys } from './registry.table.js';

type AgencyRow = typeof agencies.$inferSelect;
type KeyRow = typeof agencyKeys.$inferSelect;

function toKey(row: KeyRow): AgencyKey {
  return {
    kid: row.kid,
    status: row.status as AgencyKey['status'],
    jwk: { kty: 'OKP', crv: 'Ed25519', x: row.x },
  };
}

/** Rows as stored → the wire form. Keys oldest first, so the active key is usually last. */
export function toRegistryEntry(agency: AgencyRow, keys: readonly KeyRow[]): RegistryEntry {
  return {
    ori: agency.ori,
    name: agency.name,
    jurisdiction: agency.jurisdiction as RegistryEntry['jurisdiction'],
    state: agency.state as RegistryEntry['state'],
    roles: AGENCY_ROLES.filter((r) => agency.roles.includes(r)),
    keys: keys.map(toKey),
    contact: { name: agency.contactName, email: agency.contactEmail, phone: agency.contactPhone },
    status: agency.status as AgencyStatus,
  };
}

export function registryRepository(db: HubDatabase) {
  async function keysOf(oris: readonly string[]): Promise<Map<string, KeyRow[]>> {
    const byOri = new Map<string, KeyRow[]>();
    if (oris.length === 0) return byOri;
    const rows = await db
      .select()
      .from(agencyKeys)
      .where(inArray(agencyKeys.ori, [...oris]))
      .orderBy(asc(agencyKeys.addedAt), asc(agencyKeys.kid));
    for (const row of rows) {
      const list = byOri.get(row.ori);
      if (list) list.push(row);
      else byOri.set(row.ori, [row]);
    }
    return byOri;
  }

  return {
    async find(ori: string): Promise<RegistryEntry | undefined> {
      const [agency] = await db.select().from(agencies).where(eq(agencies.ori, ori));
      if (agency === undefined) return undefined;
      return toRegistryEntry(agency, (await keysOf([ori])).get(ori) ?? []);
    },

    /** Several entries at once (intake and checks look up every issuer of a batch). */
    async findMany(oris: readonly string[]): Promise<Map<string, RegistryEntry>> {
      const unique = [...new Set(oris)];
      const out = new Map<string, RegistryEntry>();
      if (unique.length === 0) return out;
      const rows = await db.select().from(agencies).where(inArray(agencies.ori, unique));
      const keys = await keysOf(unique);
      for (const row of rows) out.set(row.ori, toRegistryEntry(row, keys.get(row.ori) ?? []));
      return out;
    },

    /** Every entry, ordered by ORI. */
    async list(): Promise<RegistryEntry[]> {
      const rows = await db.select().from(agencies).orderBy(asc(agencies.ori));
      const keyRows = await db
        .select()
        .from(agencyKeys)
        .orderBy(asc(agencyKeys.addedAt), asc(agencyKeys.kid));
      const keys = new Map<string, KeyRow[]>();
      for (const k of keyRows) keys.set(k.ori, [...(keys.get(k.ori) ?? []), k]);
      return rows.map((row) => toRegistryEntry(row, keys.get(row.ori) ?? []));
    },

    /** Stores a validated entry; AGENCY_EXISTS or KEY_IN_USE on a clash. */
    async insert(entry: RegistryEntry, now: Date, inTx: InTransaction): Promise<void> {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(agencies).values({
            ori: entry.ori,
            name: entry.name,
            jurisdiction: entry.jurisdiction,
            state: entry.state,
            roles: [...entry.roles],
            contactName: entry.contact.name,
            contactEmail: entry.contact.email,
            contactPhone: entry.contact.phone,
            status: entry.status,
            enrolledAt: now,
            updatedAt: now,
          });
          await tx.insert(agencyKeys).values(
            entry.keys.map((k) => ({
              kid: k.kid,
              ori: entry.ori,
              x: k.jwk.x,
              status: k.status,
              addedAt: now,
              retiredAt: k.status === 'retired' ? now : null,
            })),
          );
          await inTx(tx);
        });
      } catch (e) {
        if (isUniqueViolation(e, 'agencies_pkey')) {
          throw new HubError('AGENCY_EXISTS', `agency ${entry.ori} is already enrolled`, {
            field: 'ori',
          });
        }
        if (isUniqueViolation(e, 'agency_keys_pkey')) {
          throw new HubError('KEY_IN_USE', 'this key is already registered', { field: 'keys' });
        }
        throw e;
      }
    },

    /**
     * Suspends or reinstates; returns false when there is no such agency. `inTx` runs only
     * when the status actually changes.
     */
    async setStatus(
      ori: string,
      status: AgencyStatus,
      now: Date,
      inTx: InTransaction,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ status: agencies.status })
          .from(agencies)
          .where(eq(agencies.ori, ori))
          .for('update');
        if (row === undefined) return false;
        await tx.update(agencies).set({ status, updatedAt: now }).where(eq(agencies.ori, ori));
        if (row.status !== status) await inTx(tx);
        return true;
      });
    },

    /** The kid of the agency's active key, read inside a change's transaction. */
    async activeKid(ori: string): Promise<string | undefined> {
      const [row] = await db
        .select({ kid: agencyKeys.kid })
        .from(agencyKeys)
        .where(and(eq(agencyKeys.ori, ori), eq(agencyKeys.status, 'active')))
        .orderBy(desc(agencyKeys.addedAt), asc(agencyKeys.kid))
        .limit(1);
      return row?.kid;
    },

    /**
     * Retires every active key of `ori` and registers `key` as its one active key, atomically,
     * so there is no moment with no active key or with both.
     */
    /**
     * Retires the active key and adds `key`, in one transaction. The agency's row is locked
     * first, so two rotations of one agency run one after the other (the second then sees the
     * first's new key and retires it) and the key limit holds under concurrency:
     * `maxKeys` is checked again under the lock.
     */
    async rotateKey(
      ori: string,
      key: AgencyKey,
      now: Date,
      inTx: InTransaction,
      maxKeys: number,
    ): Promise<void> {
      try {
        await db.transaction(async (tx) => {
          await tx
            .select({ ori: agencies.ori })
            .from(agencies)
            .where(eq(agencies.ori, ori))
            .for('update');
          const held = await tx
            .select({ kid: agencyKeys.kid })
            .from(agencyKeys)
            .where(eq(agencyKeys.ori, ori));
          if (held.length >= maxKeys) {
            throw new HubError('KEY_LIMIT', `${ori} already has ${maxKeys} keys`, { field: 'jwk' });
          }
          await tx
            .update(agencyKeys)
            .set({ status: 'retired', retiredAt: now })
            .where(and(eq(agencyKeys.ori, ori), eq(agencyKeys.status, 'active')));
          await tx.insert(agencyKeys).values({
            kid: key.kid,
            ori,
            x: key.jwk.x,
            status: 'active',
            addedAt: now,
            retiredAt: null,
          });
          await tx.update(agencies).set({ updatedAt: now }).where(eq(agencies.ori, ori));
          await inTx(tx);
        });
      } catch (e) {
        if (isUniqueViolation(e, 'agency_keys_pkey')) {
          throw new HubError('KEY_IN_USE', 'this key is already registered', { field: 'jwk' });
        }
        throw e;
      }
    },
  };
}

export type RegistryRepository = ReturnType<typeof registryRepository>;
