/**
 * What a node says when the hub's transparency log does not verify (docs/node.md "Monitor").
 * Codes are public API: they appear in the node's JSON log lines, in GET /v1/log/status and in
 * `spx node monitor --json`, and each keeps its meaning once released.
 *
 * Two kinds. An *evidence* alert means the hub showed something it cannot have shown honestly
 * (a bad signature, a rollback, a fork, a log that does not extend the last one, a statement
 * of ours missing, a false receipt): it stays open until a person resolves it, because the
 * signed notes in its detail are the evidence to take to the hub operator and the other
 * agencies. A *transient* alert (unreachable, quorum not yet met, cosignature not delivered)
 * is closed by the next pass that succeeds.
 */

export const LOG_ALERT_CODES = [
  /** A checkpoint that is malformed, not signed by a trusted hub key under the log's origin, or
   *  that carries a cosignature line by a configured witness that does not verify. */
  'LOG_BAD_SIGNATURE',
  /** A validly signed checkpoint of another log than the pinned (or first-seen) origin. */
  'LOG_ORIGIN_MISMATCH',
  /** The hub's latest checkpoint is smaller than one this node already verified. */
  'LOG_ROLLBACK',
  /** Two signed checkpoints of the same size with different roots. */
  'LOG_FORK',
  /** A larger (or smaller) checkpoint that the hub cannot prove consistent with the last
   *  verified one: history was rewritten. */
  'LOG_INCONSISTENT',
  /** One of this node's accepted statements cannot be proved in the log at its index any more
   *  (altered, dropped, reordered). */
  'LOG_OMISSION',
  /** An intake receipt whose evidence does not prove the statement sent at the index claimed;
   *  the statement is not recorded as delivered. */
  'LOG_RECEIPT_INVALID',
  /** The latest checkpoint does not carry the configured number of witness cosignatures. */
  'LOG_QUORUM_NOT_MET',
  /** The hub's log endpoints could not be reached or answered with an error. */
  'LOG_UNREACHABLE',
  /** This node (a witness) could not deliver its cosignature to the hub. */
  'LOG_COSIGN_FAILED',
] as const;
export type LogAlertCode = (typeof LOG_ALERT_CODES)[number];

/** Closed by the next successful pass rather than by a person. */
export const TRANSIENT_ALERT_CODES: ReadonlySet<LogAlertCode> = new Set([
  'LOG_QUORUM_NOT_MET',
  'LOG_UNREACHABLE',
  'LOG_COSIGN_FAILED',
]);

/** Detail values are small and public: sizes, indexes, ids of our own statements, notes. */
export type AlertDetail = Readonly<Record<string, string | number | boolean | null>>;

export interface LogAlert {
  readonly code: LogAlertCode;
  readonly message: string;
  readonly detail: AlertDetail;
}

export function logAlert(code: LogAlertCode, message: string, detail: AlertDetail = {}): LogAlert {
  return { code, message, detail };
}

/**
 * What makes two alerts "the same" while one is open: repeats only count up. A fork is one
 * alert per size, an omission or a false receipt one per statement.
 */
export function alertKey(alert: LogAlert): string {
  const d = alert.detail;
  const part = d['attestationId'] ?? d['size'] ?? d['witness'] ?? '';
  return `${alert.code}:${String(part)}`;
}

/**
 * Exit code of a CLI command that found a log alert (`spx node monitor`, `log-status`, `spx
 * audit-log`) or evidence that did not verify (`verify-evidence`); 1 stays "the command failed".
 */
export const MONITOR_ALERT_EXIT_CODE = 3;
