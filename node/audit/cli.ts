/**
 * `spx audit-log` (docs/transparency.md "Auditing the log from the public endpoints"): an
 * outside auditor's check of the hub's whole transparency log, from its public endpoints only.
 *
 * Exit codes: 0 the log verified; 3 it did not (AUDIT_* code printed, as `spx node monitor`
 * exits MONITOR_ALERT_EXIT_CODE) — a hub that cannot be reached or answers with an error is
 * AUDIT_UNREACHABLE and also exits 3, because the log could not be verified; 1 a failure to
 * run here (an unreadable or invalid --hub-key or --state file, a state that cannot be
 * written); 2 usage (a missing or malformed flag, named in the message).
 */
import { Option, type Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { progressDisplay } from '../../platform/cli/progress-bar.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { MONITOR_ALERT_EXIT_CODE, parseWitnessKeys } from '../tlog/index.js';
import { auditLog } from './audit-log.js';
import type { AuditReport } from './audit-result.js';
import { formatAuditState } from './audit-state.js';
import { formatAuditReport } from './format.js';
import { parseHubUrl, publicHubSource } from './public-hub.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { readHubKeys } from '../tlog/hub-keys.js';
import { isLogOrigin } from './trust-input.js';

/** Exit code of an audit that did not verify: the same as a monitor pass with alerts. */
export const AUDIT_FAILED_EXIT_CODE = MONITOR_ALERT_EXIT_CODE;

export interface AuditCliDeps {
  /** For the hub's public endpoints (default: the global fetch). */
  readonly fetch?: typeof fetch;
  /** Milliseconds for the elapsed time (default: performance.now). */
  readonly clock?: () => number;
  readonly timeoutMs?: number;
}

interface Flags {
  hubUrl: string;
  hubKey?: string;
  /** The spelling of `spx node verify-evidence`, accepted here too. */
  hubKeys?: string;
  origin?: string;
  witness?: string[];
  quorum?: string;
  state?: string;
  json?: boolean;
  progress?: boolean;
}

const usage = (flag: string, message: string) =>
  new CliError('OPTION_INVALID', `${flag}: ${message}`, { exitCode: 2 });
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** --hub-key (or --hub-keys): node/tlog/hub-keys.ts, the rule of SPX_NODE_HUB_KEYS too. */
async function readHubKeyFile(path: string): Promise<PublicKeyInfo[]> {
  const keys = await readHubKeys(path);
  if (keys.ok) return keys.value;
  const { code, field, message } = keys.error;
  if (code === 'FILE_UNREADABLE') throw new CliError(code, `--hub-key: ${message}`);
  throw new CliError('HUB_KEY_INVALID', `--hub-key: ${field}: ${message}`);
}

export function registerAuditCommand(program: Command, io: CliIo, deps: AuditCliDeps = {}): void {
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const clock = deps.clock ?? (() => performance.now());

  program
    .command('audit-log')
    .description(
      "Audit the hub's whole transparency log from its public endpoints; exit 3 if it does not verify.",
    )
    .requiredOption('--hub-url <url>', "the hub's base URL")
    .option(
      '--hub-key <file>',
      "the hub's public key (JWK or JWK Set) as its operator published it",
    )
    .addOption(new Option('--hub-keys <file>', 'the same as --hub-key').hideHelp())
    .option(
      '--origin <origin>',
      "the log's origin (default: the saved state's, else the checkpoint's)",
    )
    .option('--witness <vkey>', 'a witness verifier key, spx-witness/<ORI>+… (repeatable)', collect)
    .option('--quorum <k>', 'witness cosignatures required (default 1 with --witness, else 0)')
    .option('--state <file>', 'the last verified checkpoint: read if present, replaced on success')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar (drawn only when stderr is a terminal)')
    .action(async (o: Flags) => {
      const url = parseHubUrl(o.hubUrl);
      if (!url.ok) throw usage('--hub-url', url.error.message);
      if (o.origin !== undefined && !isLogOrigin(o.origin)) {
        throw usage('--origin', '1 to 255 printable ASCII characters without space or "+"');
      }
      const witnesses = parseWitnessKeys(o.witness ?? []);
      if (!witnesses.ok) {
        throw usage('--witness', `${witnesses.error.field}: ${witnesses.error.message}`);
      }
      let quorum = Math.min(1, witnesses.value.length);
      if (o.quorum !== undefined) {
        if (!/^(0|[1-9][0-9]{0,2})$/.test(o.quorum)) throw usage('--quorum', 'a whole number');
        quorum = Number(o.quorum);
        if (quorum > witnesses.value.length) {
          throw usage(
            '--quorum',
            `at most the number of --witness keys (${witnesses.value.length})`,
          );
        }
      }
      if (o.hubKey !== undefined && o.hubKeys !== undefined) {
        throw usage('--hub-key', 'give --hub-key or --hub-keys, not both');
      }
      const hubKeyFile = o.hubKey ?? o.hubKeys;
      if (hubKeyFile === '') throw usage('--hub-key', 'a file name');
      if (o.state === '') throw usage('--state', 'a file name');

      const hubKeys = hubKeyFile === undefined ? undefined : await readHubKeyFile(hubKeyFile);
      const previous = o.state === undefined ? undefined : await readStateFile(o.state);
      if (previous !== undefined && o.origin !== undefined && previous.origin !== o.origin) {
        throw usage('--origin', `differs from the origin of the checkpoint saved in --state`);
      }

      const bars = progressDisplay(io, o, { entries: { label: 'Auditing', unit: 'entries' } });
      let report: AuditReport;
      try {
        report = await auditLog(
          publicHubSource(url.value, { fetch: fetchImpl, timeoutMs: deps.timeoutMs }),
          { hubKeys, origin: o.origin, witnesses: witnesses.value, quorum },
          {
            previous,
            clock,
            onProgress: bars && ((done, total) => bars.update({ phase: 'entries', done, total })),
          },
        );
      } finally {
        bars?.stop();
      }

      let saved = false;
      let unsaved: unknown;
      if (report.ok && o.state !== undefined && report.checkpoint !== null) {
        // The report is printed even when the state cannot be written; that failure exits 1.
        await writeStateFile(o.state, formatAuditState(report.checkpoint.note, io.now())).then(
          () => (saved = true),
          (e: unknown) => (unsaved = e),
        );
      }
      const hubUrl = url.value.href;
      io.stdout(
        o.json
          ? `${JSON.stringify({ hubUrl, ...report, quorum, stateSaved: saved }, null, 2)}\n`
          : formatAuditReport(report, {
              hubUrl,
              quorum,
              witnesses: witnesses.value.length,
              state: o.state,
              saved,
            }),
      );
      if (unsaved !== undefined) throw unsaved;
      if (!report.ok) {
        const codes = [...new Set(report.failures.map((f) => f.code))];
        throw new CliError(codes[0]!, `the log did not verify: ${codes.join(', ')}`, {
          exitCode: AUDIT_FAILED_EXIT_CODE,
        });
      }
    });
}
