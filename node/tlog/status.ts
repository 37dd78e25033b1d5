/**
 * GET /v1/log/status on the node's admin API (docs/node.md "Monitor"): the last verified
 * checkpoint, the last monitor pass, the open alerts, and how many of our statements are proved
 * at the last verified size. Alerts carry public log data only (sizes, roots, signed notes, ids
 * of our own statements).
 */
import type { NodeDatabase } from '../store/index.js';
import { logRepository } from '../store/index.js';
import type { LogSettings } from './log-view.js';
import { witnessKeyText, type WitnessIdentity } from './witness.js';

export interface LogStatus {
  readonly origin: string | null;
  /** SPX_NODE_LOG_ORIGIN pinned it (else: first seen). */
  readonly originPinned: boolean;
  readonly checkpoint: {
    readonly size: number;
    readonly origin: string;
    readonly root: string;
    readonly source: string;
    readonly verifiedAt: string;
    readonly note: string;
  } | null;
  readonly lastRun: unknown;
  readonly alerts: readonly {
    readonly id: number;
    readonly code: string;
    readonly message: string;
    readonly detail: Record<string, unknown>;
    readonly at: string;
    readonly lastAt: string;
    readonly count: number;
  }[];
  readonly statements: { readonly tracked: number; readonly provedAtCheckpoint: number };
  readonly witnesses: { readonly keys: readonly string[]; readonly quorum: number };
  /**
   * This node as a witness (SPX_NODE_WITNESS), and the verifier key its cosignatures verify
   * under: what other nodes list in SPX_NODE_LOG_WITNESSES.
   */
  readonly witness: { readonly enabled: boolean; readonly key: string };
}

export async function logStatus(
  db: NodeDatabase,
  settings: LogSettings,
  self: { readonly identity: WitnessIdentity; readonly witness: boolean },
): Promise<LogStatus> {
  const repo = logRepository(db);
  const latest = await repo.latestCheckpoint();
  const counts = await repo.inclusionCounts(latest?.size ?? 0);
  const alerts = await repo.openAlerts();
  return {
    origin: settings.origin ?? (await repo.origin()) ?? null,
    originPinned: settings.origin !== undefined,
    checkpoint:
      latest === undefined
        ? null
        : {
            size: latest.size,
            origin: latest.origin,
            root: latest.root,
            source: latest.source,
            verifiedAt: latest.verifiedAt.toISOString(),
            note: latest.note,
          },
    lastRun: (await repo.lastRun()) ?? null,
    alerts: alerts.map((a) => ({
      id: a.id,
      code: a.code,
      message: a.message,
      detail: a.detail,
      at: a.at.toISOString(),
      lastAt: a.lastAt.toISOString(),
      count: a.count,
    })),
    statements: { tracked: counts.tracked, provedAtCheckpoint: counts.provedAtSize },
    witnesses: { keys: settings.witnesses.map((k) => k.name), quorum: settings.quorum },
    witness: { enabled: self.witness, key: witnessKeyText(self.identity) },
  };
}
