/** What the demo prints: short, plain sentences a newcomer can follow. */
import { formatCheckText, type CheckPresentation } from '../../node/check/index.js';
import type { StoryCheck } from '../../node/synthetic/index.js';

type Out = (text: string) => void;

export function section(out: Out, title: string): void {
  out(`\n== ${title}\n`);
}

export function say(out: Out, text: string): void {
  out(`${text}\n`);
}

/** Prints one story check and returns the verdict the node reported. */
export function printCheck(
  out: Out,
  check: StoryCheck,
  checkerName: string,
  result: Record<string, unknown>,
): string {
  const presentation = result['result'] as CheckPresentation;
  const candidate = check.candidate;
  const entered = [
    `${candidate.firstName} ${candidate.lastName}`,
    candidate.dob ? `born ${candidate.dob}` : null,
    candidate.ssn ? 'SSN given' : null,
    candidate.license ? `licence ${candidate.license.state}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  out(`\n-- ${check.title}\n`);
  out(`${checkerName} checks a job applicant: ${entered}.\n\n`);
  out(
    formatCheckText(presentation)
      .split('\n')
      .map((l) => `   ${l}`)
      .join('\n'),
  );
  out(`\n   Why: ${check.explanation}\n`);
  return presentation.verdict;
}

interface PublishedRow {
  readonly dimensions: Record<string, string | number>;
  readonly count?: number | null;
  readonly percent?: number | null;
  readonly suppressed: string | null;
}

/**
 * The one-way margins of the released table: totals by each dimension, and the grand total. A
 * release lists only the cells that are not zero, and publishes counts, percentages or nothing
 * according to its coverage (docs/statistics.md, "Coverage").
 */
export function printStatistics(out: Out, publication: Record<string, unknown>): void {
  const rows = (publication['rows'] ?? []) as readonly PublishedRow[];
  const metadata = (publication['metadata'] ?? {}) as Record<string, unknown>;
  const coverage = (metadata['coverage'] ?? {}) as Record<string, unknown>;
  const domains = (metadata['domains'] ?? {}) as Record<string, readonly unknown[]>;
  const dimensions = (metadata['dimensions'] ?? []) as readonly string[];
  const isTotal = (v: unknown) => v === '*';
  const cell = (r: PublishedRow) =>
    r.suppressed !== null
      ? 'suppressed'
      : r.count !== undefined
        ? String(r.count)
        : `${String(r.percent ?? '?')} %`;
  say(
    out,
    `Release ${String(metadata['version'] ?? '?')}, signed by the hub and entered in its log: ` +
      `final, current records received before ${String(metadata['asOf'] ?? '?')}.`,
  );
  say(
    out,
    `Coverage: agencies with ${String(coverage['percent'] ?? '?')} % of the known sworn officers ` +
      `certified ${String(coverage['period'] ?? '?')} (${String(coverage['certifiedAgencies'] ?? '?')} of ` +
      `${String(coverage['agencies'] ?? '?')} agencies), so the release publishes: ${String(metadata['tier'] ?? '?')}.`,
  );
  if (rows.length === 0) {
    say(out, 'Nothing else: under 40 % coverage a release is withheld.');
    return;
  }
  say(out, `Cells under ${String(metadata['minCell'] ?? '?')} are suppressed, with complementary`);
  say(out, 'suppression so no hidden cell can be worked out from the totals:');
  for (const d of dimensions) {
    const margin = rows.filter(
      (r) =>
        !isTotal(r.dimensions[d]) && dimensions.every((o) => o === d || isTotal(r.dimensions[o])),
    );
    if (margin.length === 0) continue;
    say(out, `  by ${d}:`);
    for (const r of margin) say(out, `    ${String(r.dimensions[d]).padEnd(34)} ${cell(r)}`);
    if (margin.length < (domains[d]?.length ?? 0)) say(out, `    (every other ${d}: 0)`);
  }
  const grand = rows.find((r) => dimensions.every((d) => isTotal(r.dimensions[d])));
  if (grand) say(out, `  all records: ${cell(grand)}`);
  say(
    out,
    `(${rows.length} non-zero cells listed; every other cell is 0: GET /v1/statistics, or ?format=csv;` +
      ' the signed manifest: GET /v1/statistics/manifest)',
  );
}

export interface RunningDemo {
  readonly hub: string;
  readonly keyholder: string;
  readonly nodes: readonly {
    readonly name: string;
    readonly url: string;
    readonly token: string;
    /** Console users to sign in with (docs/node.md "Console"). */
    readonly consoleUsers?: readonly { login: string; role: string; password: string }[];
  }[];
  /** The demo's folder: every service's data and log. */
  readonly dir: string;
}

/**
 * With --keep-running: where each service listens, and each node's admin token — every route
 * of a node's local API but /v1/health needs it — with the commands an operator would type.
 */
export function printRunningServices(out: Out, running: RunningDemo): void {
  section(out, 'The services are still running (Ctrl-C stops them)');
  say(out, `hub        ${running.hub}   (public API, e.g. ${running.hub}/v1/statistics)`);
  say(
    out,
    `           ${running.hub}/   (public pages: statistics, coverage, compliance, log, agencies)`,
  );
  say(out, `keyholder  ${running.keyholder}`);
  for (const node of running.nodes) {
    say(out, `${node.name}: ${node.url}`);
    say(out, `    admin token: ${node.token}`);
    if (node.consoleUsers && node.consoleUsers.length > 0) {
      say(out, `    console: ${node.url}/console — sign in as`);
      for (const u of node.consoleUsers) {
        say(out, `      ${u.login} / ${u.password}   (${u.role})`);
      }
    }
  }
  const first = running.nodes[0];
  if (first !== undefined) {
    say(out, '');
    say(out, `To use a node from another terminal (here the ${first.name}), give the spx`);
    say(out, 'node commands its URL and admin token, then e.g. check a candidate:');
    say(out, `    export SPX_NODE_URL=${first.url}`);
    say(out, `    export SPX_NODE_ADMIN_TOKEN=${first.token}`);
    say(out, '    npx spx node status');
    say(out, '    npx spx node check --first-name Jane --last-name Doe --dob 1980-01-01 \\');
    say(out, '      --consent-ref CONSENT-DEMO-1');
    say(out, 'or call its HTTP API with the token as a bearer token (docs/node.md):');
    say(out, `    curl -H "Authorization: Bearer ${first.token}" ${first.url}/v1/status`);
  }
  say(out, `\nData and logs: ${running.dir}`);
}
