/**
 * Witness cosignatures (docs/transparency.md, "Witnesses"): a witness agency submits its
 * cosignature of a checkpoint the hub issued; the hub checks it (cosignature-check.ts) and keeps
 * one line per (size, witness), a newer timestamp replacing an older one. Resubmitting the same
 * line is harmless.
 */
import type { AuthenticatedAgency } from '../../platform/http/agency-auth.js';
import { ProtocolError } from '../../protocol/decode.js';
import type { CosignatureSubmission } from '../../protocol/tlog.js';
import type { HubDatabase } from '../database.js';
import { checkCosignature } from './cosignature-check.js';
import { logRepository } from './tlog.repository.js';
import { invalidateCache } from '../cache/generations.js';

export interface StoredCosignature {
  readonly size: number;
  readonly keyName: string;
  /** The timestamp now stored for this witness and size (an older submission leaves it). */
  readonly timestamp: number;
}

export function cosignatureService(db: HubDatabase) {
  const repo = logRepository(db);
  return {
    async submit(
      agency: AuthenticatedAgency,
      submission: CosignatureSubmission,
      now: Date,
    ): Promise<StoredCosignature> {
      const checkpoint = await repo.checkpointAt(submission.size);
      if (checkpoint === undefined) {
        throw new ProtocolError(
          'NOT_FOUND',
          `the hub issued no checkpoint of size ${submission.size}`,
          {
            errors: [
              { field: 'size', code: 'invalid_value', message: 'no checkpoint of this size' },
            ],
          },
        );
      }
      const accepted = checkCosignature({
        checkpointNote: checkpoint.note,
        line: submission.cosignature,
        ori: agency.ori,
        activeKeys: agency.entry.keys.filter((k) => k.status === 'active').map((k) => k.jwk.x),
        now,
      });
      const row = {
        size: submission.size,
        ori: agency.ori,
        keyName: accepted.keyName,
        line: accepted.line,
        timestamp: accepted.timestamp,
        receivedAt: now,
      };
      const timestamp = await repo.keepCosignature(row);
      // Check answers served from memory carry the new cosignature from now on.
      invalidateCache(db, 'log');
      return { size: row.size, keyName: row.keyName, timestamp };
    },
  };
}
