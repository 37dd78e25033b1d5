/**
 * Plumbing for the keyholder's CLI commands (cli.ts): flag parsing with errors that name the
 * flag, configuration from the environment with the `--data-dir` override, opening the
 * database, and turning domain errors into CliErrors.
 */
import { randomBytes } from 'node:crypto';
import type { Rng } from '../crypto/oprf/index.js';
import { toCliError } from '../platform/cli/cli-errors.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import type { Env } from '../platform/config/config.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { DatabaseLockedError } from '../platform/db/data-dir-lock.js';
import { openDatabase } from '../platform/db/open.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import { MAX_EPOCH, OriSchema } from '../protocol/common.js';
import { parseKeyholderConfig, type KeyholderConfig } from './config.js';
import { isKeyholderError } from './errors.js';
import { loadKekFile, type KeyEncryptionKey } from './kek.js';
import type { LogSink } from '../platform/logging/json-lines.js';
import { KEYHOLDER_MIGRATIONS } from './paths.js';
import * as tables from './schema.js';
import type { RunningKeyholder } from './start.js';
import { localOperations, type KeyholderOperations } from './operator/operations.js';
import { throughRunningKeyholder } from './operator/operator-socket.js';

/** What the commands take from outside; the composition root passes nothing, tests everything. */
export interface KeyholderCliDeps {
  /** Environment to read configuration from (default: this process's). */
  readonly env?: Env;
  readonly rng?: Rng;
  readonly fetch?: typeof fetch;
  /** Where `serve` writes its JSON log lines (default: stdout). */
  readonly log?: LogSink;
  readonly signals?: SignalTarget;
  /** Told when `serve` is up (tests use it to stop the service). */
  readonly onStarted?: (running: RunningKeyholder) => void;
}

export const defaultRng: Rng = (n) => new Uint8Array(randomBytes(n));

export interface DatabaseOptions {
  dataDir?: string;
}

/** `--data-dir` wins over SPX_DATABASE_URL / SPX_DATA_DIR: it names one PGlite directory. */
export function configFrom(env: Env, options: DatabaseOptions): KeyholderConfig {
  const effective: Record<string, string | undefined> = { ...env };
  if (options.dataDir !== undefined) {
    if (options.dataDir.trim() === '') {
      throw new CliError('OPTION_INVALID', '--data-dir: must not be empty');
    }
    effective['SPX_DATA_DIR'] = options.dataDir;
    delete effective['SPX_DATABASE_URL'];
    delete effective['SPX_DATABASE_SCHEMA'];
  }
  try {
    return parseKeyholderConfig(effective);
  } catch (e) {
    throw toCliError(e, isKeyholderError);
  }
}

export async function loadKek(config: KeyholderConfig): Promise<KeyEncryptionKey | undefined> {
  return config.kekFile ? loadKekFile(config.kekFile, 'SPX_KEYHOLDER_KEK_FILE') : undefined;
}

/** Opens the keyholder database for one command and always closes it. */
export async function withDatabase<T>(
  config: KeyholderConfig,
  fn: (handle: DatabaseHandle<typeof tables>) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(config.database, {
    migrationsFolder: KEYHOLDER_MIGRATIONS,
    tables,
  });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Runs `fn` on the keyholder's operations: on the database when this command can open it, else
 * — a PGlite data directory held by `spx keyholder serve` — through that keyholder's operator
 * socket (operator/operator-socket.ts). The same results and errors either way.
 */
export async function withOperations<T>(
  config: KeyholderConfig,
  deps: { now: () => Date; rng: Rng },
  fn: (operations: KeyholderOperations) => Promise<T>,
): Promise<T> {
  let handle: DatabaseHandle<typeof tables>;
  try {
    handle = await openDatabase(config.database, {
      migrationsFolder: KEYHOLDER_MIGRATIONS,
      tables,
    });
  } catch (e) {
    if (e instanceof DatabaseLockedError) return throughRunningKeyholder(e, fn);
    throw e;
  }
  try {
    return await fn(
      localOperations(handle.db, { now: deps.now, rng: deps.rng, dailyQuota: config.dailyQuota }),
    );
  } finally {
    await handle.close();
  }
}

export function integerFlag(flag: string, value: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError('OPTION_INVALID', `${flag}: expected an integer ${min}..${max}`);
  }
  return Number(value);
}

export const epochFlag = (value: string) => integerFlag('--epoch', value, 1, MAX_EPOCH);

export function oriFlag(value: string): string {
  if (!OriSchema.safeParse(value).success) {
    throw new CliError(
      'OPTION_INVALID',
      '--ori: expected a 9-character ORI starting with a state code, e.g. CA0194200',
    );
  }
  return value;
}

export function printJson(out: (text: string) => void, value: unknown): void {
  out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain text table: columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export const DATA_DIR_HELP = 'PGlite data directory (overrides SPX_DATABASE_URL and SPX_DATA_DIR)';

/** What every command registration shares. */
export interface CommandContext {
  readonly io: CliIo;
  readonly env: Env;
  readonly rng: Rng;
  /** Wraps an action so that its errors reach the CLI as CliErrors. */
  readonly run: <A extends unknown[]>(
    fn: (...args: A) => Promise<void>,
  ) => (...args: A) => Promise<void>;
}
