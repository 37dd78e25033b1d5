/**
 * Human output of the `spx node` client commands and the check command's flag parsing. The
 * JSON it formats is the node API's (app.ts), read defensively: the CLI may talk to a node of
 * another version.
 */
import { CliError } from '../../platform/cli/cli-io.js';
import { CHECK_PURPOSES, type CheckPurpose } from '../../protocol/check-request.js';
import type { CheckBody } from '../service/check-route.js';

type Json = Record<string, unknown>;

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatImport(kind: string, result: Json): string {
  const dry = result['dryRun'] === true ? ' (dry run: nothing written)' : '';
  if (result['ok'] === true) {
    const s = (result['summary'] ?? {}) as Json;
    return (
      `${kind}: ${plural(num(s['rows']), 'row')} — ${num(s['inserted'])} new, ` +
      `${num(s['updated'])} changed, ${num(s['unchanged'])} unchanged; ` +
      `${plural(num(s['outcomesToAttest']), 'outcome')} to publish${dry}\n`
    );
  }
  const issues = Array.isArray(result['issues']) ? (result['issues'] as Json[]) : [];
  const lines = issues.map((i) => {
    const where = i['line'] === null ? 'file' : `line ${String(i['line'])}`;
    const field = i['field'] === null ? '' : `, ${String(i['field'])}`;
    return `  ${where}${field}: ${String(i['code'])} — ${String(i['message'])}`;
  });
  const total = num(result['issueCount']);
  const more = total > issues.length ? `\n  … and ${total - issues.length} more` : '';
  return `${kind}: file rejected, nothing written${dry}. ${plural(total, 'problem')}:\n${lines.join('\n')}${more}\n`;
}

export function formatPublish(result: Json): string {
  const p = (result['publish'] ?? {}) as Json;
  const d = (result['delivery'] ?? {}) as Json;
  const failed = Array.isArray(p['failed']) ? (p['failed'] as Json[]) : [];
  const lines = [
    `Signed ${plural(num(p['signed']), 'attestation')} of ${plural(num(p['considered']), 'outcome')} to publish.`,
    `Hub: ${num(d['accepted'])} accepted, ${num(d['duplicate'])} already held, ${num(d['rejected'])} refused; ` +
      `${plural(num(d['retrying']), 'batch')} waiting to retry.`,
  ];
  if (num(p['waiting']) > 0) {
    lines.push(
      `${plural(num(p['waiting']), 'outcome')} wait for an earlier statement to be answered.`,
    );
  }
  if (num(p['rejectedBefore']) > 0) {
    lines.push(
      `${plural(num(p['rejectedBefore']), 'outcome')} refused by the hub before (spx node publish --retry-rejected).`,
    );
  }
  if (failed.length > 0) {
    lines.push(`${plural(failed.length, 'outcome')} not published:`);
    for (const f of failed) {
      const errors = Array.isArray(f['errors']) ? (f['errors'] as Json[]) : [];
      const why = errors
        .map((e) =>
          e['field'] === null ? String(e['code']) : `${String(e['field'])}: ${String(e['code'])}`,
        )
        .join('; ');
      lines.push(`  employee ${String(f['employeeId'])}, case ${String(f['caseNumber'])}: ${why}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatStatus(s: Json): string {
  const a = (s['attestations'] ?? {}) as Json;
  const o = (s['outbox'] ?? {}) as Json;
  const checks = Array.isArray(s['lastChecks']) ? (s['lastChecks'] as Json[]) : [];
  const lines = [
    `Agency ${String(s['ori'])} (key ${String(s['kid'])})`,
    `Officers: ${num(s['officers'])}   Outcomes: ${num(s['outcomes'])} (${num(s['outcomesNeverAttested'])} never attested)`,
    `Attestations: ${num(a['accepted'])} accepted, ${num(a['pending']) + num(a['sent'])} on their way, ${num(a['rejected'])} refused`,
    `Outbox: ${num(o['due'])} due, ${num(o['pending'])} pending, ${num(o['dead'])} needing a person`,
    checks.length === 0 ? 'No checks yet.' : 'Last checks:',
    ...checks.map(
      (c) =>
        `  ${String(c['createdAt'])}  ${String(c['purpose'])}  ${String(c['verdict'] ?? c['state'])}` +
        `  ${c['matchCount'] === null ? '' : plural(num(c['matchCount']), 'match')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
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
  if (!(CHECK_PURPOSES as readonly string[]).includes(o.purpose)) {
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
    purpose: o.purpose as CheckPurpose,
    consentRef: o.consentRef,
    ...(o.candidateRef ? { candidateRef: o.candidateRef } : {}),
    ...(o.requestedBy || user ? { requestedBy: (o.requestedBy ?? user)! } : {}),
  };
}
