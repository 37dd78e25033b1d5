/**
 * Enrollment for continuous monitoring (docs/protocol.md §5.14): an agency enrolls, renews and
 * removes the hub indexes of its current officers. Each agency's enrollments are applied one
 * request at a time (its registry row is locked), lapse after the term unless renewed, and are
 * capped per agency: a request that would leave more active enrollments than the limit is
 * refused whole (ENROLLMENT_LIMIT), nothing applied.
 */
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError } from '../../protocol/decode.js';
import type {
  EnrollmentReceipt,
  EnrollmentRequest,
  EnrollmentSummary,
} from '../../protocol/monitoring.js';
import type { HubDatabase } from '../database.js';
import type { EpochWindow } from '../epochs/epoch-window.js';
import { monitoringRepository } from './monitoring.repository.js';

const DAY_MS = 86_400_000;

export interface MonitoringLimits {
  /** Most active enrollments per agency (SPX_HUB_MONITORING_MAX_ENROLLMENTS). */
  readonly maxEnrollments: number;
  /** Days an enrollment lasts unless renewed (SPX_HUB_MONITORING_TERM_DAYS). */
  readonly termDays: number;
}

/** Room for a large state agency's roster at a few indexes per officer. */
export const DEFAULT_MONITORING_LIMITS: MonitoringLimits = {
  maxEnrollments: 200_000,
  termDays: 90,
};

export interface MonitoringService {
  enroll(agency: string, request: EnrollmentRequest, now: Date): Promise<EnrollmentReceipt>;
  summary(agency: string, now: Date): Promise<EnrollmentSummary>;
  pruneLapsed(now: Date): Promise<number>;
}

export function monitoringService(
  db: HubDatabase,
  deps: { readonly epochs: EpochWindow; readonly limits?: MonitoringLimits | undefined },
): MonitoringService {
  const limits = deps.limits ?? DEFAULT_MONITORING_LIMITS;
  return {
    async enroll(agency, request, now) {
      if (request.enroll.length > 0 && !deps.epochs.accepts(request.epoch, now)) {
        throw new ProtocolError('EPOCH_UNKNOWN', `epoch ${request.epoch} is not served`, {
          errors: [
            {
              field: 'epoch',
              code: 'not_allowed',
              message: `not served (served: ${deps.epochs.served(now).join(', ')})`,
            },
          ],
        });
      }
      const expiresAt = new Date(now.getTime() + limits.termDays * DAY_MS);
      return db.transaction(async (tx) => {
        const repo = monitoringRepository(tx);
        await repo.lockAgency(agency);
        await repo.deleteLapsed(agency, now);
        const removed = await repo.remove(agency, request.remove);
        const indexes = request.enroll.map((k) => k.index);
        const held = await repo.enrolledOf(agency, indexes);
        await repo.upsert(agency, request.enroll, request.epoch, now, expiresAt);
        const { active } = await repo.summary(agency, now);
        if (active > limits.maxEnrollments) {
          // Thrown inside the transaction: nothing of the request is applied.
          throw new ProtocolError(
            'ENROLLMENT_LIMIT',
            `the request would leave ${active} active enrollments; the limit is ${limits.maxEnrollments} per agency`,
            {
              errors: [
                {
                  field: 'enroll',
                  code: 'too_many',
                  message: `at most ${limits.maxEnrollments} active enrollments per agency`,
                },
              ],
            },
          );
        }
        return {
          enrolled: indexes.length - held.size,
          renewed: held.size,
          removed,
          active,
          limit: limits.maxEnrollments,
          expiresAt: formatTimestamp(expiresAt),
        };
      });
    },

    async summary(agency, now) {
      const { active, nextExpiry } = await monitoringRepository(db).summary(agency, now);
      return {
        active,
        limit: limits.maxEnrollments,
        termDays: limits.termDays,
        nextExpiry: nextExpiry === null ? null : formatTimestamp(nextExpiry),
      };
    },

    pruneLapsed: (now) => monitoringRepository(db).pruneLapsed(now),
  };
}
