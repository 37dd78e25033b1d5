/**
 * `spx node …`: the agency node's commands (docs/node.md "CLI"). `keygen` writes a key file and
 * `serve` runs the node; the others are clients of a running node's local API (`--node-url`,
 * `--token`), so they work the same against PGlite (one process holds the data directory) and
 * PostgreSQL. Human output by default, `--json` for machines. Exit codes: 0 ok — a check that
 * finds a record is a successful check —, 1 rejected input or failure, 2 usage, 3 a
 * transparency-log alert or evidence that did not verify (`monitor`, `log-status`:
 * cli/monitor-command.ts; `verify-evidence`: cli/verify-evidence-command.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { cliRunner } from '../platform/cli/cli-errors.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import {
  progressDisplay,
  type PhaseLabel,
  type ProgressDisplay,
} from '../platform/cli/progress-bar.js';
import type { Env } from '../platform/config/config.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import { formatCheckText, type CheckPresentation } from './check/index.js';
import { DEFAULT_NODE_URL, parseNodeConfig } from './config.js';
import { isNodeError, type NodeError } from './errors.js';
import { enrollmentJwk, writeNewAgencyKeyFile } from './service/key-file.js';
import type { LogSink } from '../platform/logging/json-lines.js';
import { createNodeApiClient, NodeApiError, type NodeApiClient } from './cli/node-api-client.js';
import { startNode, type RunningNode } from './service/start.js';
import { progressFetch } from './cli/progress-fetch.js';
import { registerMonitorCommands } from './cli/monitor-command.js';
import { checkBodyFromOptions, type CheckOptions } from './cli/candidate-input.js';
import {
  registerVerifyEvidenceCommand,
  reserveEvidenceFile,
} from './cli/verify-evidence-command.js';
import { formatImport, formatPublish, formatStatus } from './cli/cli-format.js';

export interface NodeCliDeps {
  /** Environment for configuration and defaults (default: this process's). */
  readonly env?: Env;
  readonly rng?: (n: number) => Uint8Array;
  /** For `serve`'s outbound calls and the client commands' calls to the node. */
  readonly fetch?: typeof fetch;
  /** Where `serve` writes its JSON log lines (default: stdout). */
  readonly log?: LogSink;
  readonly signals?: SignalTarget;
  readonly onStarted?: (running: RunningNode) => void;
  /** Standard input, read by `check --candidate-file -` only (default: this process's). */
  readonly stdin?: () => AsyncIterable<Uint8Array | string>;
}

const defaultRng = (n: number) => new Uint8Array(randomBytes(n));
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The phases a node streams for an import and a publish (docs/node.md "API"). */
const IMPORT_PHASES: Readonly<Record<string, PhaseLabel>> = {
  validate: { label: 'Checking', unit: 'rows' },
  write: { label: 'Writing', unit: 'rows' },
};
const PUBLISH_PHASES: Readonly<Record<string, PhaseLabel>> = {
  sign: { label: 'Signing', unit: 'outcomes' },
  send: { label: 'Sending', unit: 'statements' },
};
const NO_PROGRESS = [
  '--no-progress',
  'no progress bars (drawn only when stderr is a terminal)',
] as const;

/** The node's domain errors, which a command reports with their code (platform/cli). */
const isNodeCliError = (e: unknown): e is NodeError | NodeApiError =>
  isNodeError(e) || e instanceof NodeApiError;

interface ClientFlags {
  nodeUrl?: string;
  token?: string;
  json?: boolean;
  /** false with `--no-progress` (import and publish). */
  progress?: boolean;
}

export function registerNodeCommands(program: Command, io: CliIo, deps: NodeCliDeps = {}): void {
  const env = deps.env ?? process.env;
  const rng = deps.rng ?? defaultRng;
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const run = cliRunner(isNodeCliError);
  const print = (json: boolean | undefined, value: unknown, human: () => string) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());
  /** With bars, the client asks the node to stream its progress (node/cli/progress-fetch.ts). */
  const client = (o: ClientFlags, bars?: ProgressDisplay): NodeApiClient => {
    const token = o.token ?? env['SPX_NODE_ADMIN_TOKEN'];
    if (token === undefined || token === '') {
      throw new CliError('OPTION_INVALID', '--token (or SPX_NODE_ADMIN_TOKEN) is required');
    }
    return createNodeApiClient({
      url: o.nodeUrl ?? env['SPX_NODE_URL'] ?? DEFAULT_NODE_URL,
      token,
      fetch: bars ? progressFetch(fetchImpl, (p) => bars.update(p)) : fetchImpl,
    });
  };
  const withClientOptions = (c: Command) =>
    c
      .option('--node-url <url>', `the node's API (default SPX_NODE_URL or ${DEFAULT_NODE_URL})`)
      .option('--token <token>', 'admin token (default SPX_NODE_ADMIN_TOKEN)')
      .option('--json', 'print JSON');

  const group = program
    .command('node')
    .description('Agency node: keys, the service, CSV import, publishing and candidate checks.');

  group
    .command('keygen')
    .description(
      "Create the agency's Ed25519 signing key file and print its public JWK for enrollment.",
    )
    .requiredOption('--out <file>', 'where to write the private key (mode 0600; never overwritten)')
    .option('--json', 'print JSON')
    .action(
      run(async (o: { out: string; json?: boolean }) => {
        const key = await writeNewAgencyKeyFile(o.out, rng);
        const jwk = enrollmentJwk(key);
        print(o.json, { keyFile: o.out, kid: key.kid, publicJwk: jwk }, () =>
          [
            `Wrote ${o.out} (private: keep it on this machine, mode 0600).`,
            `Key id: ${key.kid}`,
            'Public key for the hub operator (spx hub enroll --jwk):',
            JSON.stringify(jwk),
            '',
          ].join('\n'),
        );
      }),
    );

  group
    .command('serve')
    .description('Run the node (local API and outbox) until SIGTERM or SIGINT.')
    .option(
      '--data-dir <dir>',
      'PGlite data directory (overrides SPX_DATABASE_URL and SPX_DATA_DIR)',
    )
    .option('--port <port>', 'listen port (overrides SPX_NODE_PORT; 0 picks a free one)')
    .option('--host <host>', 'listen address (overrides SPX_NODE_HOST)')
    .action(
      run(async (o: { dataDir?: string; port?: string; host?: string }) => {
        const effective: Record<string, string | undefined> = { ...env };
        if (o.dataDir !== undefined) {
          effective['SPX_DATA_DIR'] = o.dataDir;
          delete effective['SPX_DATABASE_URL'];
          delete effective['SPX_DATABASE_SCHEMA'];
        }
        if (o.port !== undefined) effective['SPX_NODE_PORT'] = o.port;
        if (o.host !== undefined) effective['SPX_NODE_HOST'] = o.host;
        const running = await startNode(parseNodeConfig(effective), {
          fetch: fetchImpl,
          now: io.now,
          rng,
          log: deps.log ?? ((line) => io.stdout(`${line}\n`)),
          ...(deps.signals ? { signals: deps.signals } : {}),
        });
        deps.onStarted?.(running);
        await running.closed;
      }),
    );

  withClientOptions(
    group
      .command('import')
      .description('Import an officers or outcomes CSV file (docs/csv-formats.md).')
      .argument('<kind>', 'officers or outcomes')
      .argument('<file>', 'the CSV file')
      .option('--dry-run', 'check the file and report what would change; write nothing')
      .option(...NO_PROGRESS),
  ).action(
    run(async (kind: string, file: string, o: ClientFlags & { dryRun?: boolean }) => {
      if (kind !== 'officers' && kind !== 'outcomes') {
        throw new CliError('OPTION_INVALID', 'kind: expected officers or outcomes', {
          exitCode: 2,
        });
      }
      const bars = progressDisplay(io, o, IMPORT_PHASES);
      const api = client(o, bars);
      let bytes: Uint8Array;
      try {
        io.stderr(`Reading ${file} (${(await stat(file)).size} bytes)…\n`);
        bytes = new Uint8Array(await readFile(file));
      } catch {
        throw new CliError('FILE_UNREADABLE', `cannot read ${file}`);
      }
      const lines = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
      io.stderr(
        `Sending about ${Math.max(lines - 1, 0)} rows to the node${o.dryRun ? ' (dry run)' : ''}…\n`,
      );
      try {
        const result = await api
          .importCsv(kind, bytes, o.dryRun ?? false)
          .finally(() => bars?.stop());
        print(o.json, result, () => formatImport(kind, result));
      } catch (e) {
        if (e instanceof NodeApiError && e.code === 'IMPORT_REJECTED' && e.body) {
          print(o.json, e.body, () => formatImport(kind, e.body!));
        }
        throw e;
      }
    }),
  );

  withClientOptions(
    group
      .command('publish')
      .description('Attest new and changed outcomes to the hub and deliver the outbox.')
      .option(
        '--retry-rejected',
        'also publish again outcomes whose last statement the hub refused',
      )
      .option(...NO_PROGRESS),
  ).action(
    run(async (o: ClientFlags & { retryRejected?: boolean }) => {
      io.stderr('Publishing: tokenizing through the keyholders, signing, sending to the hub…\n');
      const bars = progressDisplay(io, o, PUBLISH_PHASES);
      const result = await client(o, bars)
        .publish({ retryRejected: o.retryRejected ?? false })
        .finally(() => bars?.stop());
      print(o.json, result, () => formatPublish(result));
    }),
  );

  withClientOptions(
    group
      .command('check')
      .description('Check a candidate against the outcomes other agencies reported.')
      .option(
        '--candidate-file <path>',
        "JSON file of the candidate's identifiers ('-': stdin), as POST /v1/checks `candidate`; " +
          'unlike the identifier flags below, kept out of shell history and the process list',
      )
      .option('--first-name <name>', 'first (given) name')
      .option('--last-name <name>', 'last (family) name')
      .option('--middle-name <name>', 'middle name')
      .option('--dob <date>', 'date of birth, YYYY-MM-DD')
      .option('--ssn <ssn>', 'Social Security number')
      .option('--license <state:number>', 'POST licence, e.g. TX:12-345-678')
      .option('--alias <[first:]last>', 'a former or other name (repeatable)', collect, [])
      .option(
        '--purpose <purpose>',
        'hiring, promotion, assignment, task_force or internal',
        'hiring',
      )
      .requiredOption('--consent-ref <ref>', "reference to the candidate's signed consent")
      .option('--candidate-ref <ref>', "your own reference to the candidate's file (kept locally)")
      .option('--requested-by <name>', 'who asks (default: $USER)')
      .option(
        '--evidence-out <file>',
        'write the evidence bundle for the hiring file (mode 0600; never overwritten); ' +
          'verify it later with verify-evidence',
      ),
  ).action(
    run(async (o: ClientFlags & CheckOptions & { evidenceOut?: string }) => {
      const body = await checkBodyFromOptions(o, env['USER'], {
        io,
        stdin: deps.stdin ?? (() => process.stdin),
      });
      // Before anything is sent: a check whose evidence cannot be written is not run.
      const evidenceFile =
        o.evidenceOut === undefined ? undefined : await reserveEvidenceFile(o.evidenceOut);
      let result: Record<string, unknown>;
      try {
        result = await client(o).check(body);
      } catch (e) {
        await evidenceFile?.discard();
        throw e;
      }
      print(o.json, result, () => {
        const check = result['check'] as { id: string };
        return `${formatCheckText(result['result'] as CheckPresentation)}\nStored as check ${check.id}.\n`;
      });
      if (evidenceFile !== undefined) {
        await evidenceFile.write(result);
        if (!o.json) io.stdout(`Evidence bundle written to ${o.evidenceOut} (mode 0600).\n`);
      }
    }),
  );

  withClientOptions(
    group.command('status').description("The node's counts: records, statements, outbox, checks."),
  ).action(
    run(async (o: ClientFlags) => {
      const result = await client(o).status();
      print(o.json, result, () => formatStatus(result));
    }),
  );

  registerMonitorCommands(group, { io, run, client, withClientOptions });
  registerVerifyEvidenceCommand(group, { io, run });
}
