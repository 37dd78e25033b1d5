/**
 * Where a key changeover stands (docs/hub.md "Epochs"): the current statements — heads of their
 * chains, not retracted or expired — counted by epoch and issuing agency. When none is left under
 * the old epoch, every record has been re-stated under the new one and the window can close.
 */
import { and, asc, count, isNull, notInArray } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';

/** Statuses that are never shown, so never need re-stating (§5.5.2). */
const WITHDRAWN = ['retracted', 'expired'];

export interface EpochStanding {
  readonly epoch: number;
  /** Current statements under this epoch. */
  readonly statements: number;
  /** The agencies that issued them, by ORI, with how many each. */
  readonly agencies: readonly { readonly ori: string; readonly statements: number }[];
}

/** Every epoch that holds a current statement, ascending; agencies by ORI. */
export async function epochStanding(db: HubDatabase): Promise<EpochStanding[]> {
  const rows = await db
    .select({ epoch: attestations.epoch, ori: attestations.issuer, n: count() })
    .from(attestations)
    .where(and(isNull(attestations.supersededBy), notInArray(attestations.status, WITHDRAWN)))
    .groupBy(attestations.epoch, attestations.issuer)
    .orderBy(asc(attestations.epoch), asc(attestations.issuer));
  const out = new Map<
    number,
    { statements: number; agencies: { ori: string; statements: number }[] }
  >();
  for (const r of rows) {
    const e = out.get(r.epoch) ?? { statements: 0, agencies: [] };
    e.statements += r.n;
    e.agencies.push({ ori: r.ori, statements: r.n });
    out.set(r.epoch, e);
  }
  return [...out.entries()].sort(([a], [b]) => a - b).map(([epoch, e]) => ({ epoch, ...e }));
}
