/**
 * The OPRF key epochs a hub serves (docs/protocol.md §4.8), published at `GET /v1/epochs` so that
 * a node tokenizes under an epoch the hub accepts and sees when an older one retires:
 *
 *   { "epochs": [ { "epoch": 1, "retiresAt": "2026-09-01T00:00:00Z" },
 *                 { "epoch": 2, "retiresAt": null } ] }
 *
 * Ascending, distinct, 1 to MAX_SERVED_EPOCHS entries. Only an epoch older than the newest can
 * carry a `retiresAt`: the moment the hub stops serving it (intake and checks, `EPOCH_UNKNOWN`).
 * An epoch the hub has retired is no longer listed.
 */
import { z } from 'zod';
import { addIssue, EpochSchema, TimestampSchema, whenFieldsValid } from './common.js';

/** More epochs than a changeover needs (two), with room for an operator's mistakes. */
export const MAX_SERVED_EPOCHS = 16;

export const ServedEpochSchema = z.strictObject({
  epoch: EpochSchema,
  retiresAt: TimestampSchema.nullable(),
});
export type ServedEpoch = z.infer<typeof ServedEpochSchema>;

export const ServedEpochsSchema = z
  .strictObject({ epochs: z.array(ServedEpochSchema).min(1).max(MAX_SERVED_EPOCHS) })
  .superRefine((s, ctx) => {
    s.epochs.forEach((e, i) => {
      if (i > 0 && e.epoch <= s.epochs[i - 1]!.epoch) {
        addIssue(ctx, 'out_of_order', ['epochs', i, 'epoch'], 'epochs ascend, each once');
      }
    });
    const newest = s.epochs.length - 1;
    if (s.epochs[newest]!.retiresAt !== null) {
      addIssue(ctx, 'not_allowed', ['epochs', newest, 'retiresAt'], 'the newest epoch stays');
    }
  }, whenFieldsValid);
export type ServedEpochs = z.infer<typeof ServedEpochsSchema>;
