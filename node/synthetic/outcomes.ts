/**
 * Synthetic outcomes in the outcomes import format, obeying the protocol's rules for an
 * attestation (docs/protocol.md §5.5): event ≤ outcome ≤ status date ≤ asOf, notified for
 * pending_appeal and final, use of force for a civil judgment for improper use of force.
 */
import type { SyntheticAgency } from './agencies.js';
import { addDays, type Random } from './random.js';
import type { SyntheticOfficer, SyntheticOutcome } from './records.js';

export interface OutcomeSpec {
  readonly category: string;
  readonly status: 'notice_sent' | 'pending_appeal' | 'final' | 'overturned';
  readonly useOfForce: boolean;
  /** Days between the event and asOf. */
  readonly eventDaysAgo: number;
}

/** Categories after which the officer has left the agency. */
const SEPARATING = new Set([
  'termination',
  'resignation_under_investigation',
  'retirement_under_investigation',
]);

const STATUSES: readonly OutcomeSpec['status'][] = [
  'final',
  'final',
  'final',
  'final',
  'final',
  'final',
  'notice_sent',
  'notice_sent',
  'pending_appeal',
  'overturned',
];

const min = (a: string, b: string) => (a < b ? a : b);

/**
 * The oldest random event, in days before asOf: about five and a half years, so that every
 * synthetic record's final decision is inside the default seven-year retention period
 * (docs/protocol.md §5.13) at asOf and for more than a year after — a demo run months after its
 * fixed asOf does not see its random records expire in the middle of its tour.
 */
const OLDEST_EVENT_DAYS = 2000;

/** A plausible outcome for an officer of `agency`, or a given one (`spec`). */
export function outcomeFor(
  officer: SyntheticOfficer,
  agency: SyntheticAgency,
  random: Random,
  options: { asOf: string; caseSeq: number; spec?: OutcomeSpec },
): { outcome: SyntheticOutcome; separationDate: string | null } | undefined {
  const { asOf } = options;
  const category = options.spec?.category ?? random.pick(agency.categories);
  const latestEvent = addDays(asOf, -60);
  if (officer.hireDate > latestEvent) return undefined;
  const eventDate = options.spec
    ? addDays(asOf, -options.spec.eventDaysAgo)
    : random.date(
        officer.hireDate > addDays(asOf, -OLDEST_EVENT_DAYS)
          ? officer.hireDate
          : addDays(asOf, -OLDEST_EVENT_DAYS),
        latestEvent,
      );
  const outcomeDate = min(addDays(eventDate, random.between(10, 200)), asOf);
  const statusDate = min(addDays(outcomeDate, random.between(0, 120)), asOf);
  const status = options.spec?.status ?? random.pick(STATUSES);
  const useOfForce =
    options.spec?.useOfForce ?? (category === 'civil_judgment_use_of_force' || random.chance(0.3));
  const disputed =
    (status === 'final' || status === 'pending_appeal') && !options.spec && random.chance(0.1)
      ? random.date(outcomeDate, asOf)
      : '';
  const year = eventDate.slice(0, 4);
  return {
    outcome: {
      employeeId: officer.employeeId,
      caseNumber: `${agency.caseNumberPrefix}${year}-${String(options.caseSeq).padStart(4, '0')}`,
      category,
      useOfForce: useOfForce ? 'yes' : 'no',
      eventDate,
      outcomeDate,
      status,
      statusDate,
      officerNotified: 'yes',
      disputedSince: disputed,
    },
    separationDate: SEPARATING.has(category) && status !== 'overturned' ? outcomeDate : null,
  };
}
