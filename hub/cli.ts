/**
 * `spx hub …`: the hub operator's commands (docs/hub.md). Registry commands, `audit` and
 * `expunge` work on the hub's database (configured as for `hub serve`, docs/hub.md
 * "Configuration") — or, when a running hub holds its PGlite data directory locked, through that
 * hub's operator socket (hub/operator), with the same output and exit codes; `keygen` writes the
 * hub's signing key; `serve` runs the service until SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { isConfigError, type Env } from '../platform/config/config.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { DatabaseLockedError } from '../platform/db/data-dir-lock.js';
import type { DatabaseConfig, DatabaseHandle } from '../platform/db/database.js';
import { openDatabase } from '../platform/db/open.js';
import { isPlatformError } from '../platform/errors.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import type { Rng } from '../protocol/statement-id.js';
import { parseHubConfig, type HubConfig } from './config.js';
import { isHubError } from './errors.js';
import { registerCertificationCommands } from './certifications/certifications.cli.js';
import { registerComplianceCommands } from './compliance/compliance.cli.js';
import { registerCredentialCommands } from './credentials/credentials.cli.js';
import { registerEpochCommands } from './epochs/epochs.cli.js';
import { registerLogCommands } from './tlog/tlog.cli.js';
import { localOperations, MAX_AUDIT_LIMIT } from './operator/operations.js';
import { mailboxService } from './mailbox/mailbox.service.js';
import { throughRunningHub } from './operator/operator-socket.js';
import { registerRegistryCommands, type WithOperations } from './registry/registry.cli.js';
import * as tables from './schema.js';
import { HUB_MIGRATIONS, startHub } from './server.js';
import {
  publishedJwk,
  readSigningKeyFile,
  writeNewSigningKeyFile,
} from './signing-key/signing-key.js';

export interface HubCliOptions {
  /** Environment to configure from; the composition root passes process.env. */
  readonly env?: Env;
  readonly rng?: Rng;
  /** Opens the hub database (tests inject an already migrated one). */
  readonly openDatabase?: (config: DatabaseConfig) => Promise<DatabaseHandle<typeof tables>>;
  /** Signal source for `hub serve` (default: this process). */
  readonly signals?: SignalTarget;
}

/**
 * Configuration, platform and (unless `hubErrors` is false, when the caller maps them itself)
 * hub failures as CLI errors: exit 1, code and message only.
 */
async function asCli<T>(work: () => Promise<T>, hubErrors = true): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isConfigError(e)) {
      throw new CliError(e.code, e.issues.map((i) => `${i.variable}: ${i.message}`).join('; '));
    }
    if (isPlatformError(e) || (hubErrors && isHubError(e))) throw new CliError(e.code, e.message);
    throw e;
  }
}

export function registerHubCommands(
  program: Command,
  io: CliIo,
  options: HubCliOptions = {},
): void {
  const env = (): Env => options.env ?? process.env;
  const rng: Rng = options.rng ?? ((n) => new Uint8Array(randomBytes(n)));
  const config = (): HubConfig => parseHubConfig(env());
  const open =
    options.openDatabase ??
    ((database: DatabaseConfig) =>
      openDatabase(database, { migrationsFolder: HUB_MIGRATIONS, tables }));
  // A PGlite directory held by a running hub: the command goes to that hub (hub/operator).
  const withOperations: WithOperations = (fn) =>
    asCli(async () => {
      let handle: DatabaseHandle<typeof tables>;
      try {
        handle = await open(config().database);
      } catch (e) {
        if (e instanceof DatabaseLockedError) return throughRunningHub(e, fn);
        throw e;
      }
      try {
        // An expungement owes corrections signed by the hub: only then is its key read.
        const db = handle.db;
        const mailbox = async () => {
          const cfg = config();
          return mailboxService(db, {
            signingKey: await readSigningKeyFile(cfg.keyFile),
            ...(cfg.app.mailboxRetention ? { retention: cfg.app.mailboxRetention } : {}),
          });
        };
        return await fn(
          localOperations(db, io.now, mailbox, {
            signingKey: () => readSigningKeyFile(config().keyFile),
            periodLength: config().app.certificationPeriod,
          }),
        );
      } finally {
        await handle.close();
      }
    }, false);

  const hub = program
    .command('hub')
    .description('Operate the hub: registry, signing key, audit, service.')
    .addHelpText(
      'after',
      '\nThe database is configured as for `spx hub serve` (SPX_DATA_DIR or SPX_DATABASE_URL);\n' +
        'see docs/hub.md. While `spx hub serve` runs on PGlite, the commands go through its\n' +
        'operator socket in the data directory.\n',
    );

  registerRegistryCommands(hub, io, withOperations);
  registerLogCommands(hub, io, withOperations);
  registerEpochCommands(hub, io, withOperations, () => config().app);
  registerCertificationCommands(hub, io, withOperations, () => config().app);
  const report = hub.command('report').description("The hub's signed reports.");
  registerComplianceCommands(report, io, withOperations);
  registerCredentialCommands(hub, io, withOperations);

  hub
    .command('keygen')
    .description("Create the hub's Ed25519 statement-signing key file (mode 0600).")
    .requiredOption('--out <file>', 'where to write the private key (never overwritten)')
    .option('--json', 'print the public JWK as JSON only')
    .action(async (o: { out: string; json?: boolean }) => {
      const key = await asCli(() => writeNewSigningKeyFile(o.out, rng));
      const jwk = publishedJwk(key);
      if (o.json) {
        io.stdout(`${JSON.stringify(jwk)}\n`);
        return;
      }
      io.stdout(
        `wrote ${o.out} (keep it secret; set SPX_HUB_KEY_FILE to it)\n` +
          `kid ${key.kid}\npublic JWK ${JSON.stringify(jwk)}\n`,
      );
    });

  hub
    .command('audit')
    .description('List audited checks (who, when, purpose, consent reference, matches).')
    .option('--ori <ori>', "only this requester's checks")
    .option('--limit <n>', 'at most this many, newest first', '100')
    .option('--json', 'print JSON')
    .action(async (o: { ori?: string; limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
        throw new CliError('LIMIT_INVALID', `--limit: a whole number from 1 to ${MAX_AUDIT_LIMIT}`);
      }
      const rows = await asCli(() =>
        withOperations((operations) =>
          operations.audit({ ...(o.ori ? { requester: o.ori } : {}), limit }),
        ),
      );
      if (o.json) {
        io.stdout(`${JSON.stringify({ checks: rows }, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        io.stdout(
          `${r.checkedAt.toISOString()}  ${r.checkId}  ${r.requester}  ${r.purpose}  ` +
            `consent ${r.consentRef}  ${r.outcome}  ${r.matchCount} match(es)\n`,
        );
      }
      if (rows.length === 0) io.stdout('no checks audited\n');
    });

  hub
    .command('serve')
    .description('Run the hub HTTP service until SIGTERM or SIGINT.')
    .action(async () => {
      const running = await asCli(() =>
        startHub(config(), {
          now: io.now,
          rng,
          log: (line) => io.stdout(`${line}\n`),
          ...(options.signals ? { signals: options.signals } : {}),
        }),
      );
      io.stderr(`hub listening on ${running.url} (SIGTERM or Ctrl-C to stop)\n`);
    });
}
