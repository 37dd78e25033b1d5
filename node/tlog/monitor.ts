/**
 * One pass of the node's log monitor (docs/node.md "Monitor"), in this order:
 *
 *  1. fetch the hub's latest checkpoint (GET /v1/log/checkpoint)        LOG_UNREACHABLE
 *  2. verify its signature by a trusted hub key under our origin        LOG_BAD_SIGNATURE,
 *                                                                       LOG_ORIGIN_MISMATCH
 *  3. relate it to the last verified checkpoint: smaller is a rollback, LOG_ROLLBACK, LOG_FORK,
 *     same size with another root a fork, larger needs a consistency    LOG_INCONSISTENT
 *     proof (GET /v1/log/proof/consistency)
 *  4. prove again, at the new size, the inclusion of each of our own    LOG_OMISSION
 *     accepted statements, from OUR copy of the statement and its salt
 *     (GET /v1/log/proof/inclusion, bounded concurrency): an altered,
 *     dropped or reordered statement no longer verifies
 *  5. as a witness (SPX_NODE_WITNESS), cosign it and give it to the hub LOG_COSIGN_FAILED
 *  6. require the witness quorum, if one is configured                  LOG_QUORUM_NOT_MET
 *  7. only then store it as the last verified checkpoint.
 *
 * Every alert is a JSON log line and a row in log_alerts; a pass closes the transient alerts
 * whose condition it showed to be over (the hub answered, the quorum was met, our cosignature
 * was taken). The pass never throws for anything the
 * hub does; only a local failure (the database) propagates.
 */
import { appendSignatureLines } from '../../crypto/note/index.js';
import { toBase64url } from '../../crypto/encoding.js';
import { isClientError, type HubClient } from '../clients/index.js';
import { logRepository, type NodeDatabase } from '../store/index.js';
import { logAlert, TRANSIENT_ALERT_CODES, type LogAlert, type LogAlertCode } from './alerts.js';
import { mapBounded } from './bounded.js';
import type { LogView } from './log-view.js';
import {
  verifyCheckpointNote,
  quorumAlert,
  type LogTrust,
  type VerifiedCheckpoint,
} from './verify-checkpoint.js';
import { verifyStatementInclusion } from './verify-proofs.js';
import { cosignAndSubmit, type WitnessIdentity } from './witness.js';

export type MonitorHub = Pick<
  HubClient,
  'logCheckpoint' | 'logConsistencyProof' | 'logInclusionProof' | 'submitCosignature'
>;

export interface MonitorDeps {
  readonly db: NodeDatabase;
  readonly hub: MonitorHub;
  readonly view: LogView;
  readonly now: () => Date;
  /** Set when this node cosigns what it verified (SPX_NODE_WITNESS=true). */
  readonly witness?: WitnessIdentity | undefined;
  /** Inclusion proofs in flight at once (default 8). */
  readonly concurrency?: number;
  /** Statements proved per pass, least recently proved first (default 2000). */
  readonly maxProofsPerPass?: number;
}

export interface MonitorResult {
  /** True when the pass raised no alert. */
  readonly ok: boolean;
  readonly at: string;
  /** The checkpoint the hub served, once its signature verified. */
  readonly checkpoint: {
    readonly size: number;
    readonly origin: string;
    readonly root: string;
  } | null;
  /** The last verified checkpoint's size before this pass. */
  readonly previousSize: number | null;
  /** Whether the checkpoint is now the last verified one. */
  readonly stored: boolean;
  /** Our statements proved at this size in this pass, and those left for the next pass. */
  readonly proved: number;
  readonly remaining: number;
  /** null when this node is not a witness. */
  readonly cosigned: boolean | null;
  readonly alerts: readonly { readonly code: LogAlertCode; readonly message: string }[];
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_MAX_PROOFS = 2000;

export async function runMonitor(deps: MonitorDeps): Promise<MonitorResult> {
  const repo = logRepository(deps.db);
  const at = deps.now();
  const alerts: LogAlert[] = [];
  /** Transient conditions this pass showed to be over. */
  const cleared = new Set<LogAlertCode>();
  let result: Omit<MonitorResult, 'ok' | 'at' | 'alerts'> = {
    checkpoint: null,
    previousSize: null,
    stored: false,
    proved: 0,
    remaining: 0,
    cosigned: deps.witness === undefined ? null : false,
  };

  async function finish(): Promise<MonitorResult> {
    for (const alert of alerts) await deps.view.raise(alert, 'monitor');
    const raised = new Set(alerts.map((a) => a.code));
    const over = [...cleared].filter((c) => TRANSIENT_ALERT_CODES.has(c) && !raised.has(c));
    await repo.resolveCodes(over, deps.now());
    const done: MonitorResult = {
      ...result,
      ok: alerts.length === 0,
      at: at.toISOString(),
      alerts: alerts.map((a) => ({ code: a.code, message: a.message })),
    };
    await repo.setLastRun({ ...done }, deps.now());
    return done;
  }

  // 1, 2. The latest checkpoint, signed by the hub under our origin.
  let note: string;
  let trust: LogTrust;
  try {
    note = await deps.hub.logCheckpoint();
    trust = await deps.view.trust();
  } catch (e) {
    if (!isClientError(e)) throw e;
    alerts.push(logAlert('LOG_UNREACHABLE', `the hub's log: ${e.code}`, { reason: e.code }));
    return finish();
  }
  cleared.add('LOG_UNREACHABLE');
  const checked = verifyCheckpointNote(note, trust);
  if (!checked.ok) {
    alerts.push(checked.alert);
    return finish();
  }
  let checkpoint = checked.checkpoint;
  result = { ...result, checkpoint: summary(checkpoint) };

  // 3. Rollback, fork, consistency with the last verified checkpoint.
  const related = await deps.view.advance(checkpoint, 'monitor', { latest: true, store: false });
  if (!related.ok) {
    alerts.push(related.alert);
    return finish();
  }
  result = { ...result, previousSize: related.previous?.size ?? null };

  // 4. Our statements, proved again at this size.
  const proofs = await reprove(deps, checkpoint);
  result = { ...result, proved: proofs.proved.length, remaining: proofs.remaining };
  if (proofs.alerts.length > 0) {
    alerts.push(...proofs.alerts);
    return finish();
  }

  // 5. Cosign what we verified; 6. the quorum, our own fresh cosignature counted.
  if (deps.witness !== undefined) {
    const cosigned = await cosignAndSubmit(deps.hub, checkpoint, deps.witness, deps.now());
    if (cosigned.ok) {
      cleared.add('LOG_COSIGN_FAILED');
      result = { ...result, cosigned: true };
      const withOurs = verifyCheckpointNote(
        appendSignatureLines(checkpoint.note, cosigned.line),
        trust,
      );
      if (withOurs.ok) checkpoint = withOurs.checkpoint;
    } else {
      alerts.push(cosigned.alert);
    }
  }
  const quorum = quorumAlert(checkpoint, trust);
  if (quorum !== undefined) {
    alerts.push(quorum);
    return finish();
  }
  cleared.add('LOG_QUORUM_NOT_MET');

  // 7. Store; then our statements count as proved at this size.
  const stored = await deps.view.commit(checkpoint, 'monitor', related.previous);
  if (!stored.ok) {
    alerts.push(stored.alert);
    return finish();
  }
  await repo.markProved(proofs.proved, checkpoint.size, deps.now());
  result = { ...result, stored: stored.stored };
  return finish();
}

function summary(c: VerifiedCheckpoint): NonNullable<MonitorResult['checkpoint']> {
  return { size: c.size, origin: c.origin, root: toBase64url(c.root) };
}

/** Proves our statements last proved below `checkpoint.size` (a bounded batch per pass). */
async function reprove(
  deps: MonitorDeps,
  checkpoint: VerifiedCheckpoint,
): Promise<{ proved: string[]; remaining: number; alerts: LogAlert[] }> {
  const repo = logRepository(deps.db);
  const max = deps.maxProofsPerPass ?? DEFAULT_MAX_PROOFS;
  const due = await repo.statementsBelow(checkpoint.size, max);
  const outcomes = await mapBounded(due, deps.concurrency ?? DEFAULT_CONCURRENCY, async (s) => {
    const detail = { attestationId: s.attestationId, index: s.logIndex, size: checkpoint.size };
    const omission = (reason: string) =>
      logAlert('LOG_OMISSION', `statement ${s.attestationId} is not proved at its index`, {
        ...detail,
        reason,
      });
    let proof: readonly string[];
    try {
      proof = (await deps.hub.logInclusionProof(s.logIndex, checkpoint.size)).proof;
    } catch (e) {
      if (!isClientError(e)) throw e;
      if (e.retryable)
        return logAlert('LOG_UNREACHABLE', `inclusion proof: ${e.code}`, { reason: e.code });
      return omission(e.code);
    }
    const checked = verifyStatementInclusion(checkpoint, s.jws, {
      index: s.logIndex,
      salt: s.salt,
      proof,
    });
    return checked.ok ? s.attestationId : omission(checked.error.code);
  });
  const proved = outcomes.filter((o): o is string => typeof o === 'string');
  const failures = outcomes.filter((o): o is LogAlert => typeof o !== 'string');
  // One unreachable alert stands for all the proofs that could not be fetched.
  const unreachable = failures.find((a) => a.code === 'LOG_UNREACHABLE');
  const alerts = [
    ...failures.filter((a) => a.code !== 'LOG_UNREACHABLE'),
    ...(unreachable ? [unreachable] : []),
  ];
  const { tracked, provedAtSize } = await repo.inclusionCounts(checkpoint.size);
  return { proved, alerts, remaining: Math.max(0, tracked - provedAtSize - proved.length) };
}
