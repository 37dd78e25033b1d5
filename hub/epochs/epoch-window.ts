/**
 * Which OPRF key epochs the hub serves at a given moment (docs/protocol.md §4.8, docs/hub.md
 * "Epochs"). Pure: the configured epochs and the end of the transition window come in as data,
 * the time as an argument.
 *
 * `SPX_HUB_EPOCHS` lists the epochs served. During a changeover it lists the old and the new
 * one; `SPX_HUB_EPOCH_WINDOW_END` then states when the window closes: from that moment only the
 * newest listed epoch is served, and intake and checks under an older one are refused
 * (`EPOCH_UNKNOWN`) — without a restart, on every replica at the same instant. Without a window
 * end, the listed epochs are served until the operator changes the list.
 */
import { formatTimestamp } from '../../protocol/common.js';
import type { ServedEpochs } from '../../protocol/served-epochs.js';

export interface EpochWindow {
  /** The epochs served at `now`, ascending. */
  served(now: Date): number[];
  accepts(epoch: number, now: Date): boolean;
  /** What GET /v1/epochs answers at `now` (protocol/served-epochs.ts). */
  describe(now: Date): ServedEpochs;
}

/**
 * `epochs`: at least one, each 1..2^31−1 (hub/config.ts checks them). `windowEnd`: when every
 * epoch but the newest stops being served; undefined for no date.
 */
export function epochWindow(epochs: readonly number[], windowEnd?: Date): EpochWindow {
  const listed = [...new Set(epochs)].sort((a, b) => a - b);
  if (listed.length === 0) throw new RangeError('epochWindow: no epoch');
  const newest = listed[listed.length - 1]!;
  const closed = (now: Date) => windowEnd !== undefined && now.getTime() >= windowEnd.getTime();
  const served = (now: Date) => (closed(now) ? [newest] : [...listed]);
  const retiresAt = windowEnd === undefined ? null : formatTimestamp(windowEnd);
  return {
    served,
    accepts: (epoch, now) => served(now).includes(epoch),
    describe: (now) => ({
      epochs: served(now).map((epoch) => ({
        epoch,
        retiresAt: epoch === newest ? null : retiresAt,
      })),
    }),
  };
}
