/**
 * A `monitoring` notice (docs/protocol.md §5.12.4): another agency reported or changed a
 * statement holding hub indexes this agency enrolled. The statement is verified against the
 * reporting agency's registered keys, as a check answer's are, and must be what the notice says
 * (id, status, the named indexes among its keys, not this agency's own); the named indexes are
 * then resolved to this agency's officers through its own enrollments — the hub never knew who
 * they are.
 */
import type { MonitoringBody } from '../../protocol/mailbox.js';
import type { ResolveAgency } from '../check/verify-answer.js';
import { isCheckError } from '../check/check-error.js';
import { verifyAttestation } from '../check/verify-answer.js';
import type { MonitoringRepository } from '../store/index.js';

/** What the node stores of a notice (node/store/monitoring.table.ts). */
export interface MonitoringNotice {
  readonly change: MonitoringBody['change'];
  readonly statementId: string | null;
  readonly previousId: string | null;
  readonly issuer: string | null;
  readonly status: string | null;
  readonly category: string | null;
  readonly employeeIds: string[];
  /** The retention due day, when the hub withdrew the record for it (§5.13). */
  readonly pastRetention: string | null;
}

export type MonitoringHandled =
  | {
      readonly outcome: 'applied' | 'unknown_officer';
      readonly notice: MonitoringNotice;
      readonly detail: string;
    }
  | { readonly outcome: 'refused'; readonly detail: string };

export async function handleMonitoring(
  body: MonitoringBody,
  deps: {
    readonly ori: string;
    readonly resolveAgency: ResolveAgency;
    readonly monitoring: MonitoringRepository;
  },
): Promise<MonitoringHandled> {
  let issuer: string | null = null;
  let category: string | null = null;
  if (body.statement !== null) {
    let payload;
    try {
      payload = await verifyAttestation(body.statement, 'body.statement', deps.resolveAgency);
    } catch (e) {
      if (!isCheckError(e)) throw e;
      return { outcome: 'refused', detail: `${e.code}: ${e.message}` };
    }
    if (payload.id !== body.statementId || payload.status !== body.status) {
      return { outcome: 'refused', detail: 'the statement is not the one the notice names' };
    }
    if (payload.issuer === deps.ori) {
      return { outcome: 'refused', detail: "a notice about this agency's own statement" };
    }
    const held = new Set(payload.tokens.keys.map((k) => k.index));
    if (!body.matches.every((m) => held.has(m.index))) {
      return { outcome: 'refused', detail: 'a named index is not among the statement’s keys' };
    }
    issuer = payload.issuer;
    category = payload.category;
  } else if (body.previousId !== null) {
    // Withdrawn: the reporting agency is the one of the notice withdrawn.
    issuer = (await deps.monitoring.noticeByStatement(body.previousId))?.issuer ?? null;
  }
  const employeeIds = await deps.monitoring.employeesOf(body.matches.map((m) => m.index));
  const notice: MonitoringNotice = {
    change: body.change,
    statementId: body.statementId,
    previousId: body.previousId,
    issuer,
    status: body.status,
    category,
    employeeIds,
    pastRetention: body.pastRetention ?? null,
  };
  const who = employeeIds.length === 0 ? 'no enrolled officer' : employeeIds.join(', ');
  return {
    outcome: employeeIds.length === 0 ? 'unknown_officer' : 'applied',
    notice,
    detail: `${body.change}${body.pastRetention ? ` (past retention since ${body.pastRetention})` : ''} by ${issuer ?? 'an agency'}: ${who}`,
  };
}
