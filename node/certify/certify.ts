/**
 * The agency's period certification (docs/node.md "Certifications", docs/protocol.md §5.15):
 * count the statements the node issued in a closed period exactly as the hub counts them, take
 * the sworn headcount from the caller or the roster, sign with the agency key, send with a
 * signed request and keep the receipt (node_settings, key `certification:<period>`).
 *
 * Choices:
 * - The period defaults to the last closed one of `periodLength` (quarter unless asked): the
 *   hub does not publish its SPX_HUB_CERTIFICATION_PERIOD, so a node of a hub configured to
 *   another length passes it (the hub refuses a period of another length, naming its own).
 * - The count is the hub's (hub/certifications/certifications.service.ts): every attestation
 *   statement of this agency whose `issuedAt` (UTC) falls in the period, superseding ones
 *   included. The node counts those the hub accepted; a statement of the period still waiting
 *   in the outbox makes the run refuse (CERTIFICATION_UNDELIVERED: publish first), since the
 *   hub would answer COUNT_MISMATCH. Statements the hub rejected are not held there and are not
 *   counted.
 * - The roster's sworn headcount is the officers hired on or before the period's last day (or
 *   with no hire date) and not separated by then (no separation date, or one after that day).
 * - A second run for a certified period sends a correction (superseding the kept one) only when
 *   the sworn headcount or the count changed; otherwise it answers `unchanged` and sends nothing.
 */
import { parseStatement, signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import {
  CertificationPayloadSchema,
  isClosedPeriod,
  lastClosedPeriod,
  periodBounds,
  periodLength,
  type CertificationPayload,
  type Period,
  type PeriodLength,
} from '../../protocol/certification.js';
import {
  CertificationReceiptSchema,
  type CertificationReceipt,
} from '../../protocol/certification-api.js';
import {
  certificationDeadline,
  certificationDeadlineTable,
  CURRENT_CERTIFICATION_DEADLINE_VERSION,
  deadlineRule,
} from '../../protocol/certification-deadlines.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { CertificationDue, CertifyRequest, CertifyResponse } from '../api/certify.js';
import type { ReportingJurisdiction } from '../../protocol/retention.js';
import type { HubClient } from '../clients/index.js';
import { registeredJurisdiction } from '../retention/jurisdiction.js';
import type { NodeDatabase } from '../store/database.js';
import { settingsRepository } from '../store/settings.repository.js';
import { z } from 'zod';
import type { Logger } from '../../platform/logging/json-lines.js';
import { certificationCountsRepository } from '../store/certification-counts.repository.js';
import { affirmationReminder } from '../credentials/affirmation-reminder.js';

export const DEFAULT_PERIOD_LENGTH: PeriodLength = 'quarter';

export type CertifyErrorCode =
  /** The period has not ended (a future or the current period). */
  | 'PERIOD_OPEN'
  /** The period is not of the length asked for. */
  | 'PERIOD_LENGTH_MISMATCH'
  /** Statements issued in the period wait in the outbox: publish first. */
  | 'CERTIFICATION_UNDELIVERED'
  /** The roster counts no sworn officer but the agency issued statements. */
  | 'SWORN_REQUIRED';

export class CertifyError extends Error {
  constructor(
    readonly code: CertifyErrorCode,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'CertifyError';
  }
}

export function isCertifyError(e: unknown): e is CertifyError {
  return e instanceof CertifyError;
}

/** What is kept per period: the latest certification sent and its receipt. */
const KeptSchema = z.object({
  jws: z.string(),
  payload: CertificationPayloadSchema,
  receipt: CertificationReceiptSchema,
});
type Kept = z.infer<typeof KeptSchema>;

const keyOf = (period: Period) => `certification:${period}`;

export interface CertifyDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'agency' | 'submitCertification' | 'certifications'>;
  readonly ori: string;
  readonly key: SigningKey;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
}

/** Statements of this agency issued in [from, to] (timestamps), by delivery state. */
export async function countIssued(
  db: NodeDatabase,
  from: string,
  to: string,
): Promise<{ accepted: number; waiting: number }> {
  // `issuedAt` lives in the signed payload only; the publisher sets it to its clock when it
  // signs (or one second after the statement it supersedes), so the rows are narrowed by
  // `createdAt` with a day's margin each side, then decided by the payload's own `issuedAt`.
  // The bounds are canonical whole-second UTC timestamps: comparing strings orders instants.
  const day = 86_400_000;
  const rows = await certificationCountsRepository(db).statementsCreatedBetween(
    new Date(Date.parse(from) - day),
    new Date(Date.parse(to) + day),
  );
  let accepted = 0;
  let waiting = 0;
  for (const row of rows) {
    const parsed = parseStatement(row.jws, [STATEMENT_TYPES.attestation]);
    const issuedAt = parsed.ok ? parsed.value.payload['issuedAt'] : undefined;
    if (typeof issuedAt !== 'string' || issuedAt < from || issuedAt > to) continue;
    if (row.delivery === 'accepted') accepted++;
    else waiting++;
  }
  return { accepted, waiting };
}

/** Officers sworn on `day`: hired by then (or undated) and not separated by then. */
export async function swornOn(db: NodeDatabase, day: string): Promise<number> {
  return certificationCountsRepository(db).swornOn(day);
}

export async function keptCertification(
  db: NodeDatabase,
  period: Period,
): Promise<Kept | undefined> {
  const value = await settingsRepository(db).get(keyOf(period));
  const kept = KeptSchema.safeParse(value);
  return kept.success ? kept.data : undefined;
}

/**
 * The hub's certification period (GET /v1/certifications `periodLength`); a quarter from a hub
 * that does not state it (it predates the member) or does not answer.
 */
export async function hubPeriodLength(
  hub: Pick<HubClient, 'certifications'>,
): Promise<PeriodLength> {
  try {
    return (await hub.certifications()).periodLength ?? DEFAULT_PERIOD_LENGTH;
  } catch {
    return DEFAULT_PERIOD_LENGTH;
  }
}

/** The hub's period, kept after the first answer that stated it. */
export function cachedPeriodLength(
  hub: Pick<HubClient, 'certifications'>,
): () => Promise<PeriodLength> {
  let known: PeriodLength | undefined;
  return async () => {
    if (known !== undefined) return known;
    try {
      const stated = (await hub.certifications()).periodLength;
      if (stated !== undefined) known = stated;
      return stated ?? DEFAULT_PERIOD_LENGTH;
    } catch {
      return DEFAULT_PERIOD_LENGTH;
    }
  };
}

function resolvePeriod(request: CertifyRequest, now: Date, hubLength: PeriodLength): Period {
  const length = request.periodLength ?? hubLength;
  const period = request.period ?? lastClosedPeriod(now, length);
  if (request.periodLength !== undefined && periodLength(period) !== length) {
    throw new CertifyError(
      'PERIOD_LENGTH_MISMATCH',
      `period ${period} is a ${periodLength(period)}, not a ${length}`,
      'period',
    );
  }
  if (!isClosedPeriod(period, now)) {
    throw new CertifyError(
      'PERIOD_OPEN',
      `period ${period} has not ended (it ends ${periodBounds(period).end}); certify it after`,
      'period',
    );
  }
  return period;
}

export async function certifyPeriod(
  deps: CertifyDeps,
  request: CertifyRequest,
): Promise<CertifyResponse> {
  const now = deps.now();
  // Without a period or a length, the hub's period: a month on a monthly hub.
  const hubLength =
    request.period === undefined && request.periodLength === undefined
      ? await hubPeriodLength(deps.hub)
      : DEFAULT_PERIOD_LENGTH;
  const period = resolvePeriod(request, now, hubLength);
  const bounds = periodBounds(period);
  const { accepted, waiting } = await countIssued(
    deps.db,
    `${bounds.start}T00:00:00Z`,
    `${bounds.end}T23:59:59Z`,
  );
  if (waiting > 0) {
    throw new CertifyError(
      'CERTIFICATION_UNDELIVERED',
      `${waiting} statement${waiting === 1 ? '' : 's'} issued in ${period} not yet accepted by the hub: run spx node publish first`,
      null,
    );
  }
  const swornSource = request.sworn === undefined ? 'roster' : 'flag';
  const sworn = request.sworn ?? (await swornOn(deps.db, bounds.end));
  if (sworn === 0 && accepted > 0) {
    throw new CertifyError(
      'SWORN_REQUIRED',
      `the roster has no sworn officer on ${bounds.end} but ${accepted} statements were issued: pass --sworn`,
      'sworn',
    );
  }
  const { jurisdiction, state } = await registeredJurisdiction(deps.hub, deps.ori);
  const table = certificationDeadlineTable(CURRENT_CERTIFICATION_DEADLINE_VERSION);
  const deadline = certificationDeadline(period, deadlineRule(table, jurisdiction, state));
  const figures = { period, sworn, statements: accepted, zeroReport: accepted === 0 };
  const kept = await keptCertification(deps.db, period);
  if (kept !== undefined && kept.payload.sworn === sworn && kept.payload.statements === accepted) {
    return {
      outcome: 'unchanged',
      certification: kept.payload,
      swornSource,
      deadline,
      receipt: kept.receipt,
    };
  }
  if (request.dryRun === true) {
    return { outcome: 'dry_run', certification: figures, swornSource, deadline, receipt: null };
  }
  // Nothing kept: the hub may still hold a certification of the period (sent by a run that
  // stopped before keeping its receipt, or by another install of the node). The hub's current
  // one is the one to supersede, or, with the same figures, the answer.
  let supersedes = kept?.payload.id ?? null;
  if (kept === undefined) {
    const held = (await deps.hub.certifications()).certifications.find(
      (c) => c.period === period && c.supersededBy === null,
    );
    if (held !== undefined && held.sworn === sworn && held.statements === accepted) {
      return {
        outcome: 'unchanged',
        certification: { period, sworn, statements: accepted, zeroReport: held.zeroReport },
        swornSource,
        deadline,
        receipt: null,
      };
    }
    supersedes = held?.id ?? null;
  }
  const payload: CertificationPayload = {
    v: PROTOCOL_VERSION,
    id: newStatementId(now.getTime(), deps.rng),
    issuer: deps.ori,
    ...figures,
    supersedes,
    issuedAt: formatTimestamp(now),
  };
  const jws = await signStatement(payload as unknown as JsonObject, {
    typ: STATEMENT_TYPES.certification,
    key: deps.key,
  });
  const receipt: CertificationReceipt = await deps.hub.submitCertification({ certification: jws });
  await settingsRepository(deps.db).set(keyOf(period), { jws, payload, receipt }, now);
  return {
    outcome: supersedes === null ? 'certified' : 'corrected',
    certification: payload,
    swornSource,
    deadline,
    receipt,
  };
}

/**
 * The reminder: the last closed period when it is not certified (no kept receipt) and its
 * deadline is within `withinDays` days or passed; undefined otherwise.
 */
export async function certificationDue(
  db: NodeDatabase,
  now: Date,
  deadlineOf: (period: Period) => string,
  withinDays: number,
  length: PeriodLength = DEFAULT_PERIOD_LENGTH,
): Promise<CertificationDue | undefined> {
  const period = lastClosedPeriod(now, length);
  if ((await keptCertification(db, period)) !== undefined) return undefined;
  const deadline = deadlineOf(period);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const daysLeft = Math.round((Date.parse(`${deadline}T00:00:00Z`) - today) / 86_400_000);
  return daysLeft <= withinDays ? { period, deadline, daysLeft } : undefined;
}

/** The reminder starts this many days before a period's certification deadline. */
export const CERTIFICATION_REMINDER_DAYS = 14;

/**
 * The reminder for `spx node status` and the service loop: the deadline follows the agency's
 * registered jurisdiction; a hub that does not answer leaves the default rule, which is every
 * agency's rule in deadline table version 1.
 */
export async function certificationReminder(
  deps: Pick<CertifyDeps, 'db' | 'hub' | 'ori'>,
  now: Date,
  lookup: () => Promise<ReportingJurisdiction> = () => registeredJurisdiction(deps.hub, deps.ori),
  lengthLookup: () => Promise<PeriodLength> = () => hubPeriodLength(deps.hub),
): Promise<CertificationDue | undefined> {
  const table = certificationDeadlineTable(CURRENT_CERTIFICATION_DEADLINE_VERSION);
  let rule = table.defaultRule;
  try {
    const { jurisdiction, state } = await lookup();
    rule = deadlineRule(table, jurisdiction, state);
  } catch {
    // The default rule stands (see above): a reminder must not depend on the hub answering.
  }
  return certificationDue(
    deps.db,
    now,
    (period) => certificationDeadline(period, rule),
    CERTIFICATION_REMINDER_DAYS,
    await lengthLookup(),
  );
}

/**
 * The registry lookup kept after its first success: the agency's jurisdiction and state hardly
 * change, and `GET /v1/status` should not wait on the hub each time it is read.
 */
export function cachedJurisdiction(
  hub: Pick<HubClient, 'agency'>,
  ori: string,
): () => Promise<ReportingJurisdiction> {
  let known: ReportingJurisdiction | undefined;
  return async () => (known ??= await registeredJurisdiction(hub, ori));
}

/**
 * The service loop's reminder pass: a warn line `certification_due` (period, deadline,
 * daysLeft) when the reminder applies, at most once per UTC day so that a short monitor
 * interval does not flood the log.
 */
export function certificationReminderPass(
  deps: Pick<CertifyDeps, 'db' | 'hub' | 'ori' | 'now'> & { readonly log: Logger },
): () => Promise<CertificationDue | undefined> {
  let loggedOn: string | undefined;
  const lookup = cachedJurisdiction(deps.hub, deps.ori);
  const length = cachedPeriodLength(deps.hub);
  return async () => {
    const now = deps.now();
    const due = await certificationReminder(deps, now, lookup, length);
    const affirmation = await affirmationReminder(deps.db, now);
    const today = now.toISOString().slice(0, 10);
    if ((due !== undefined || affirmation !== undefined) && loggedOn !== today) {
      loggedOn = today;
      if (due !== undefined) deps.log('warn', 'certification_due', { ...due });
      if (affirmation !== undefined) deps.log('warn', 'affirmation_due', { ...affirmation });
    }
    return due;
  };
}
