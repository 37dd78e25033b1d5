/**
 * Verifying the log evidence of an intake receipt (docs/protocol.md §5.6, docs/node.md
 * "Monitor"): the batch checkpoint is a checkpoint of our log signed by the hub, and each item
 * proves exactly the statement this node sent, at the index the hub claims, in that
 * checkpoint's tree. Pure; consistency with the node's last verified checkpoint needs the hub
 * and is the log view's (log-view.ts).
 */
import { logAlert, type LogAlert } from './alerts.js';
import {
  verifyCheckpointNote,
  type LogTrust,
  type VerifiedCheckpoint,
} from './verify-checkpoint.js';
import { verifyStatementInclusion, type StatementEvidence } from './verify-proofs.js';

/** The parts of an IntakeReceipt (protocol/intake.ts) that carry log evidence. */
export interface ReceiptWithEvidence {
  readonly receipts: readonly { readonly id: string; readonly log: StatementEvidence }[];
  readonly log: { readonly checkpoint: string };
}

/** A statement as this node sent it. */
export interface SentStatement {
  readonly id: string;
  readonly jws: string;
}

export type ReceiptItemCheck =
  | { readonly id: string; readonly ok: true; readonly index: number; readonly salt: string }
  | { readonly id: string; readonly ok: false; readonly alert: LogAlert };

export type ReceiptVerification =
  | {
      readonly ok: true;
      readonly checkpoint: VerifiedCheckpoint;
      /** One per statement sent, in order. */
      readonly items: readonly ReceiptItemCheck[];
    }
  | { readonly ok: false; readonly alert: LogAlert };

export function verifyReceiptEvidence(
  sent: readonly SentStatement[],
  receipt: ReceiptWithEvidence,
  trust: LogTrust,
): ReceiptVerification {
  const checked = verifyCheckpointNote(receipt.log.checkpoint, trust);
  if (!checked.ok) return checked;
  const { checkpoint } = checked;
  const items = sent.map((statement, i): ReceiptItemCheck => {
    const item = receipt.receipts[i];
    const invalid = (reason: string) => ({
      id: statement.id,
      ok: false as const,
      alert: logAlert(
        'LOG_RECEIPT_INVALID',
        `the receipt does not prove statement ${statement.id}`,
        {
          attestationId: statement.id,
          reason,
          index: item?.log.index ?? null,
          size: checkpoint.size,
        },
      ),
    });
    if (item === undefined || item.id !== statement.id) return invalid('RECEIPT_NOT_FOR_STATEMENT');
    const proved = verifyStatementInclusion(checkpoint, statement.jws, item.log);
    if (!proved.ok) return invalid(proved.error.code);
    return { id: statement.id, ok: true, index: item.log.index, salt: item.log.salt };
  });
  return { ok: true, checkpoint, items };
}
