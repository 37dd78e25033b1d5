/**
 * Human output of the `spx node` client commands and the check command's flag parsing. The
 * answers it formats are the node API's, already parsed with their schemas (node/api): a member
 * renamed there is a type error here.
 */
import { CliError } from '../../platform/cli/cli-io.js';
import { CHECK_PURPOSES } from '../../protocol/check-request.js';
import type {
  CertifyResponse,
  CheckBody,
  ImportRejected,
  ImportResponse,
  NodeProblem,
  PublishResponse,
  StatusResponse,
} from '../api/index.js';
import { plural } from './plural.js';

export function formatImport(kind: string, result: ImportResponse | ImportRejected): string {
  const dry = result.dryRun ? ' (dry run: nothing written)' : '';
  if ('summary' in result) {
    const s = result.summary;
    return (
      `${kind}: ${plural(s.rows, 'row')} — ${s.inserted} new, ` +
      `${s.updated} changed, ${s.unchanged} unchanged; ` +
      `${plural(s.outcomesToAttest, 'outcome')} to publish${dry}\n`
    );
  }
  const lines = result.issues.map((i) => {
    const where = i.line === null ? 'file' : `line ${i.line}`;
    const field = i.field === null ? '' : `, ${i.field}`;
    return `  ${where}${field}: ${i.code} — ${i.message}`;
  });
  const total = result.issueCount;
  const more = total > lines.length ? `\n  … and ${total - lines.length} more` : '';
  return `${kind}: file rejected, nothing written${dry}. ${plural(total, 'problem')}:\n${lines.join('\n')}${more}\n`;
}

export function formatPublish(result: PublishResponse): string {
  const { publish: p, delivery: d } = result;
  const restated =
    p.restated > 0 ? ` (${p.restated} re-stated under key epoch ${p.epoch}, unchanged)` : '';
  const lines = [
    `Signed ${plural(p.signed, 'attestation')} of ${plural(p.considered, 'outcome')} to publish${restated}.`,
    `Hub: ${d.accepted} accepted, ${d.duplicate} already held, ${d.rejected} refused; ` +
      `${plural(d.retrying, 'batch', 'batches')} waiting to retry.`,
  ];
  if (p.waiting > 0) {
    lines.push(`${plural(p.waiting, 'outcome')} wait for an earlier statement to be answered.`);
  }
  if (p.rejectedBefore > 0) {
    lines.push(
      `${plural(p.rejectedBefore, 'outcome')} refused by the hub before (spx node publish --retry-rejected).`,
    );
  }
  if (p.failed.length > 0) {
    lines.push(`${plural(p.failed.length, 'outcome')} not published:`);
    for (const f of p.failed) {
      const why = f.errors
        .map((e) => (e.field === null ? e.code : `${e.field}: ${e.code}`))
        .join('; ');
      lines.push(`  employee ${f.employeeId}, case ${f.caseNumber}: ${why}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatStatus(s: StatusResponse): string {
  const { attestations: a, outbox: o } = s;
  const lines = [
    `Agency ${s.ori} (key ${s.kid})`,
    `Officers: ${s.officers}   Outcomes: ${s.outcomes} (${s.outcomesNeverAttested} never attested)`,
    `Attestations: ${a.accepted} accepted, ${a.pending + a.sent} on their way, ${a.rejected} refused`,
    ...formatEpochs(s.epochs),
    `Outbox: ${o.due} due, ${o.pending} pending, ${o.dead} needing a person`,
    formatRetention(s.retention),
    ...formatCertificationDue(s.certificationDue),
    ...formatAffirmationDue(s.affirmationDue),
    s.lastChecks.length === 0 ? 'No checks yet.' : 'Last checks:',
    ...s.lastChecks.map(
      (c) =>
        `  ${c.createdAt}  ${c.purpose}  ${c.verdict ?? c.state}` +
        `  ${c.matchCount === null ? '' : plural(c.matchCount, 'match', 'matches')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** The certification reminder of `spx node status` (docs/node.md "Certifications"). */
function formatCertificationDue(d: StatusResponse['certificationDue']): string[] {
  if (d === null) return [];
  const when =
    d.daysLeft < 0
      ? `was due ${d.deadline} (${plural(-d.daysLeft, 'day')} late)`
      : `is due by ${d.deadline} (${plural(d.daysLeft, 'day')} left)`;
  return [`Certification of ${d.period} ${when}: spx node certify`];
}

/** The affirmation reminder of `spx node status` (docs/node.md "Credentials"). */
function formatAffirmationDue(d: StatusResponse['affirmationDue']): string[] {
  if (d === null || d === undefined) return [];
  const when =
    d.daysLeft < 0
      ? `lapsed after ${d.validUntil} (${plural(-d.daysLeft, 'day')} ago)`
      : `counts until ${d.validUntil} (${plural(d.daysLeft, 'day')} left)`;
  return [
    `"In process" affirmation of ${d.affirmedOn} ${when}: a credential, or spx node credential affirm`,
  ];
}

/** The certify answer (`spx node certify`). */
export function formatCertify(r: CertifyResponse): string {
  const c = r.certification;
  const figures =
    `${c.period}: ${plural(c.sworn, 'sworn officer')} (${r.swornSource}), ` +
    (c.zeroReport ? 'zero report (no statements)' : plural(c.statements, 'statement'));
  const head = {
    certified: 'Certified',
    corrected: 'Corrected the certification of',
    unchanged: 'Already certified, unchanged —',
    dry_run: 'Would certify (dry run)',
  }[r.outcome];
  const lines = [`${head} ${figures}`, `Deadline: ${r.deadline}`];
  if (r.receipt !== null) {
    lines.push(
      `Receipt ${r.receipt.id}: ${r.receipt.timeliness.replace('_', ' ')}, log entry ${r.receipt.log.index}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The retention line of `spx node status` (docs/node.md "Retention"). */
function formatRetention(r: StatusResponse['retention']): string {
  return (
    `Retention (${r.action}): ${plural(r.expired, 'expired outcome')} held, ` +
    `${r.archived} archived, ${r.deleted} deleted`
  );
}

/** The key-epoch lines of `spx node status`: which epoch, and what is left to re-state. */
function formatEpochs(e: StatusResponse['epochs']): string[] {
  const current = e.current.map((c) => `${c.statements} under epoch ${c.epoch}`).join(', ');
  const lines = [
    `Key epoch: ${e.tokenizing ?? 'not known yet (fetched at first use)'}` +
      (current === '' ? '' : `; current statements: ${current}`),
  ];
  const older = e.tokenizing === null ? [] : e.current.filter((c) => c.epoch < e.tokenizing!);
  const left = older.reduce((n, c) => n + c.statements, 0);
  if (left > 0) {
    lines.push(
      `  ${plural(left, 'statement')} to re-state under epoch ${e.tokenizing}: spx node publish`,
    );
  }
  return lines;
}

/**
 * The node's refusal as the CLI prints it after `spx: CODE:`: its detail, then one line per
 * field error — `candidate.dob DOB_FORMAT — …` — so a person sees what to fix.
 */
export function formatProblem(message: string, problem: NodeProblem | undefined): string {
  const errors = problem?.errors ?? [];
  return [message, ...errors.map((e) => `  ${e.field || '(body)'} ${e.code} — ${e.message}`)].join(
    '\n',
  );
}

export interface CheckFlags {
  firstName: string;
  lastName: string;
  middleName?: string;
  dob?: string;
  ssn?: string;
  license?: string;
  alias: string[];
  purpose: string;
  consentRef: string;
  candidateRef?: string;
  requestedBy?: string;
}

/** The check flags as the API's body; flag-shape errors name the flag. */
export function candidateFromOptions(o: CheckFlags, user: string | undefined): CheckBody {
  const purpose = CHECK_PURPOSES.find((p) => p === o.purpose);
  if (purpose === undefined) {
    throw new CliError('OPTION_INVALID', `--purpose: one of ${CHECK_PURPOSES.join(', ')}`, {
      exitCode: 2,
    });
  }
  let license: { state: string; number: string } | null = null;
  if (o.license !== undefined) {
    const at = o.license.indexOf(':');
    if (at <= 0 || at === o.license.length - 1) {
      throw new CliError('OPTION_INVALID', '--license: expected STATE:NUMBER, e.g. TX:12345', {
        exitCode: 2,
      });
    }
    license = { state: o.license.slice(0, at), number: o.license.slice(at + 1) };
  }
  const aliases = o.alias.map((value) => {
    const parts = value.split(':');
    if (parts.length > 2)
      throw new CliError('OPTION_INVALID', '--alias: LAST or FIRST:LAST', { exitCode: 2 });
    return parts.length === 2 ? { firstName: parts[0]!, lastName: parts[1]! } : { lastName: value };
  });
  return {
    candidate: {
      firstName: o.firstName,
      lastName: o.lastName,
      ...(o.middleName ? { middleName: o.middleName } : {}),
      ...(o.dob ? { dob: o.dob } : {}),
      ...(o.ssn ? { ssn: o.ssn } : {}),
      ...(license ? { license } : {}),
      ...(aliases.length > 0 ? { aliases } : {}),
    },
    purpose,
    consentRef: o.consentRef,
    ...(o.candidateRef ? { candidateRef: o.candidateRef } : {}),
    ...(o.requestedBy || user ? { requestedBy: (o.requestedBy ?? user)! } : {}),
  };
}
