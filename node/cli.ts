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
import type { Command } from 'commander';
import { cliRunner } from '../platform/cli/cli-errors.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import type { ProgressDisplay } from '../platform/cli/progress-bar.js';
import type { Env } from '../platform/config/config.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import type { LogSink } from '../platform/logging/json-lines.js';
import { registerCheckCommand } from './cli/check-command.js';
import { formatProblem } from './cli/cli-format.js';
import { registerClientCommands, registerCredentialCommands } from './cli/client-commands.js';
import type { ClientCommandContext, ClientFlags } from './cli/client-context.js';
import { registerMonitorCommands } from './cli/monitor-command.js';
import { registerInboxCommand } from './cli/inbox-command.js';
import { registerMonitoringCommand } from './cli/monitoring-command.js';
import { createNodeApiClient, NodeApiError, type NodeApiClient } from './cli/node-api-client.js';
import { progressFetch } from './cli/progress-fetch.js';
import { registerVerifyEvidenceCommand } from './cli/verify-evidence-command.js';
import { readPasswordFrom, registerUserCommand } from './cli/user-command.js';
import { DEFAULT_NODE_URL, parseNodeClientConfig, parseNodeConfig } from './config.js';
import { isNodeError } from './errors.js';
import { enrollmentJwk, writeNewAgencyKeyFile } from './service/key-file.js';
import type { RunningNode } from './service/start.js';

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
  /**
   * Standard input, read by `check --candidate-file -` and by `user add|reset-password` for
   * the password (default: this process's).
   */
  readonly stdin?: () => AsyncIterable<Uint8Array | string>;
  /** Reads a new password for `user` (default: a hidden prompt on a terminal, else stdin). */
  readonly readPassword?: () => Promise<string>;
}

const defaultRng = (n: number) => new Uint8Array(randomBytes(n));

/** A refusal of the node's API prints its field errors line by line (cli-format.ts). */
const renderNodeApiError = (e: unknown) =>
  e instanceof NodeApiError ? new CliError(e.code, formatProblem(e.message, e.problem)) : undefined;

export function registerNodeCommands(program: Command, io: CliIo, deps: NodeCliDeps = {}): void {
  const env = deps.env ?? process.env;
  const rng = deps.rng ?? defaultRng;
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const run = cliRunner(isNodeError, renderNodeApiError);
  const print = (json: boolean | undefined, value: unknown, human: () => string) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());
  /**
   * With bars, the client asks the node to stream its progress (node/cli/progress-fetch.ts);
   * with --json, a refusal's problem+json is printed on stdout as it arrives.
   */
  const client = (o: ClientFlags, bars?: ProgressDisplay): NodeApiClient => {
    const settings = parseNodeClientConfig(env);
    const token = o.token ?? settings.adminToken;
    if (token === undefined || token === '') {
      throw new CliError('OPTION_INVALID', '--token (or SPX_NODE_ADMIN_TOKEN) is required');
    }
    return createNodeApiClient({
      url: o.nodeUrl ?? settings.url,
      token,
      fetch: bars ? progressFetch(fetchImpl, (p) => bars.update(p)) : fetchImpl,
      ...(o.json ? { onProblem: (problem) => print(true, problem, () => '') } : {}),
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
        // Loaded here, not at the top: the service (database, HTTP server) is only for `serve`,
        // and every other node command starts faster without it.
        const { startNode } = await import('./service/start.js');
        // Before the database compiles its WebAssembly (node/service/v8-flags.ts).
        const { applyServeV8Flags } = await import('./service/v8-flags.js');
        applyServeV8Flags();
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

  const ctx: ClientCommandContext = { io, run, client, withClientOptions, print };
  registerClientCommands(group, ctx);
  registerCredentialCommands(group, ctx);
  registerCheckCommand(group, ctx, {
    user: env['USER'],
    stdin: deps.stdin ?? (() => process.stdin),
  });
  registerMonitorCommands(group, ctx);
  registerInboxCommand(group, ctx);
  registerMonitoringCommand(group, ctx);
  registerVerifyEvidenceCommand(group, { io, run });
  registerUserCommand(group, ctx, {
    readPassword:
      deps.readPassword ??
      readPasswordFrom(
        deps.stdin ?? (() => process.stdin),
        deps.stdin === undefined && process.stdin.isTTY === true,
      ),
  });
}
