/**
 * A check answer's checkpoint against the node's view of the log (docs/node.md "Monitor"). The
 * answer's own evidence (signature, inclusion) is verified by verifyCheckAnswer; this holds its
 * checkpoint against the last one the node verified, so a hub cannot answer checks from a
 * fork or a rewritten history it does not show the monitor. A newer checkpoint that extends
 * the last verified one moves the view forward.
 */
import type { LogView } from '../tlog/log-view.js';
import type { VerifiedCheckpoint } from '../tlog/verify-checkpoint.js';
import { CheckError } from './check-error.js';

export type AnswerLogView = Pick<LogView, 'trust' | 'advance' | 'raise'>;

/**
 * Throws LOG_CHECKPOINT_INCONSISTENT when the checkpoint contradicts the node's view (the alert
 * is raised too). A hub that cannot be asked for the proof right now (LOG_UNREACHABLE) does
 * not fail the check: its evidence verified on its own, and the monitor will try again.
 */
export async function holdAnswerCheckpoint(
  view: AnswerLogView,
  checkpoint: VerifiedCheckpoint,
): Promise<void> {
  const moved = await view.advance(checkpoint, 'answer');
  if (moved.ok) return;
  await view.raise(moved.alert, 'answer');
  if (moved.alert.code === 'LOG_UNREACHABLE') return;
  throw new CheckError('LOG_CHECKPOINT_INCONSISTENT', moved.alert.message, {
    errors: [{ field: 'log.checkpoint', code: 'mismatch', message: moved.alert.code }],
  });
}
