/**
 * Catching up a hub that held data before it had a log (docs/transparency.md, "Upgrading"): at
 * start-up, every registered agency without an `agency` entry gets one (`enrolled` with its
 * active key, then `suspended` if it is), and every stored statement without a leaf gets one
 * (in the order received, with a fresh salt). One transaction under the head lock, so two
 * replicas starting at once do it once. On a hub that has always had its log there is nothing
 * to do and this costs two queries.
 */
import type { Rng } from '../../protocol/statement-id.js';
import type { HubDatabase } from '../database.js';
import type { NewLogEntry } from './append-plan.js';
import { backfillRepository } from './backfill.repository.js';
import { agencyEntry, attestationEntry } from './entries.js';
import { appendEntries, lockHead } from './tlog.repository.js';

/** Statements per append: bounded memory however many there are. */
const CHUNK = 1000;

export interface BackfillResult {
  readonly agencies: number;
  readonly statements: number;
}

async function unloggedAgencies(tx: HubDatabase): Promise<NewLogEntry[]> {
  const rows = await backfillRepository(tx).unloggedAgencies();
  return rows.flatMap((r) => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: r.x } as const;
    const enrolled = agencyEntry('enrolled', r.ori, r.kid, jwk, r.enrolledAt);
    if (r.status !== 'suspended') return [enrolled];
    return [enrolled, agencyEntry('suspended', r.ori, r.kid, null, r.updatedAt)];
  });
}

export async function backfillLog(db: HubDatabase, rng: Rng, now: Date): Promise<BackfillResult> {
  return db.transaction(async (tx) => {
    await lockHead(tx, now);
    const registry = await unloggedAgencies(tx);
    if (registry.length > 0) await appendEntries(tx, registry, now);
    let statements = 0;
    for (;;) {
      const rows = await backfillRepository(tx).unloggedStatements(CHUNK);
      if (rows.length === 0) break;
      await appendEntries(
        tx,
        rows.map((r) => attestationEntry(r.id, r.jws, rng)),
        now,
      );
      statements += rows.length;
    }
    const oris = registry.map((e) => (e.entry.kind === 'agency' ? e.entry.ori : ''));
    return { agencies: new Set(oris).size, statements };
  });
}
