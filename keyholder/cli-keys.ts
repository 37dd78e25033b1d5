/**
 * `spx keyholder init | split | import-share | retire | keys | gen-kek`: the commands that
 * create, import, retire and show key records (docs/keyholder.md "CLI"). Registered by cli.ts.
 * `keys`, `keyset` and `retire` touch no secret: beside a running keyholder on PGlite they go
 * through its operator socket. `init` and `import-share` open the database themselves (stop the
 * service first): they handle a secret key and the KEK in this process, which the socket would
 * have to carry.
 */
import { access, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { toBase64url } from '../crypto/encoding.js';
import {
  deriveKeyPair,
  generateKeyPair,
  splitKey,
  type OprfKeyPair,
} from '../crypto/oprf/index.js';
import { CliError } from '../platform/cli/cli-io.js';
import {
  configFrom,
  DATA_DIR_HELP,
  epochFlag,
  integerFlag,
  loadKek,
  printJson,
  table,
  withDatabase,
  withOperations,
  type CommandContext,
} from './cli-support.js';
import { KEK_BYTES, writeKekFile } from './kek.js';
import { readSeedFile, readShareFile, writeShareFile } from './key-files.js';
import { keyRepository, type NewKeyRecord, type PublicKeyRecord } from './key-repository.js';

function wholeKeyRecord(key: OprfKeyPair): NewKeyRecord {
  return { key, threshold: 1, groupPublicKey: key.publicKey, publicShares: [key.publicKey] };
}

/**
 * Writes every share file or none: when writing one fails, the files already written are
 * removed (a partial set is useless and each file is a secret), and so is the failed one when
 * it was ours (not when it failed because something else exists under its name).
 */
async function writeShares(
  files: readonly string[],
  recordOf: (i: number) => NewKeyRecord,
): Promise<void> {
  for (const [i, file] of files.entries()) {
    try {
      await writeShareFile(file, recordOf(i));
    } catch (e) {
      const exists = (e as { code?: unknown }).code === 'EEXIST';
      const ours = exists ? files.slice(0, i) : files.slice(0, i + 1);
      await Promise.all(ours.map((f) => rm(f, { force: true })));
      throw exists
        ? new CliError('OUTPUT_EXISTS', `--out-dir: ${file} exists; share files are never replaced`)
        : new CliError(
            'OUTPUT_UNWRITABLE',
            `--out-dir: cannot write ${file} (${(e as { code?: unknown }).code ?? 'error'}); no share file was kept`,
          );
    }
  }
}

function describe(r: PublicKeyRecord): string {
  const kind =
    r.total === 1 ? 'whole key' : `share ${r.shareIndex} of a ${r.threshold}-of-${r.total} set`;
  const secret =
    r.protection === 'none'
      ? 'stored unencrypted (set SPX_KEYHOLDER_KEK_FILE to seal secrets)'
      : 'sealed with the key-encryption key (AES-256-GCM)';
  return (
    `epoch ${r.epoch}: ${kind}, ${r.status}\n` +
    `  public key:       ${r.publicKey}\n` +
    `  group public key: ${r.groupPublicKey}\n` +
    `  secret:           ${secret}\n`
  );
}

function jsonRecord(r: PublicKeyRecord) {
  return {
    ...r,
    createdAt: r.createdAt.toISOString(),
    retiredAt: r.retiredAt?.toISOString() ?? null,
  };
}

export function registerKeyCommands(group: Command, ctx: CommandContext): void {
  const { io, env, rng, run } = ctx;

  async function storeRecord(o: { dataDir?: string; json?: boolean }, record: NewKeyRecord) {
    const config = configFrom(env, o);
    const kek = await loadKek(config);
    const stored = await withDatabase(config, (h) =>
      keyRepository(h.db, { kek, rng }).add(record, io.now()),
    );
    if (o.json) printJson(io.stdout, jsonRecord(stored));
    else io.stdout(describe(stored));
  }

  group
    .command('init')
    .description('Create a whole key for an epoch: random, or derived from a seed file.')
    .requiredOption('--epoch <n>', 'key epoch, an integer 1..2147483647')
    .option('--seed-file <file>', 'derive the key from this 32-byte seed (64 hex or 43 base64url)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(async (o: { epoch: string; seedFile?: string; dataDir?: string; json?: boolean }) => {
        const epoch = epochFlag(o.epoch);
        const key = o.seedFile
          ? deriveKeyPair(await readSeedFile(o.seedFile), epoch)
          : generateKeyPair(epoch, rng);
        try {
          await storeRecord(o, wholeKeyRecord(key));
        } finally {
          key.secretKey.fill(0);
        }
      }),
    );

  group
    .command('split')
    .description('Act as a trusted dealer: create a key and write n share files for t-of-n.')
    .requiredOption('--epoch <n>', 'key epoch, an integer 1..2147483647')
    .requiredOption('--threshold <t>', 'how many keyholders must answer, 1..16')
    .requiredOption('--shares <n>', 'how many keyholders (share files), 2..16')
    .requiredOption('--out-dir <dir>', 'folder for the share files (created if missing)')
    .option('--seed-file <file>', 'derive the key from this seed instead of drawing a fresh one')
    .option('--json', 'print JSON')
    .action(
      run(
        async (o: {
          epoch: string;
          threshold: string;
          shares: string;
          outDir: string;
          seedFile?: string;
          json?: boolean;
        }) => {
          const epoch = epochFlag(o.epoch);
          const total = integerFlag('--shares', o.shares, 2, 16);
          const threshold = integerFlag('--threshold', o.threshold, 1, 16);
          if (threshold > total) {
            throw new CliError('OPTION_INVALID', '--threshold: must not exceed --shares');
          }
          const files = Array.from({ length: total }, (_, i) =>
            path.join(o.outDir, `epoch-${epoch}-share-${i + 1}-of-${total}.json`),
          );
          await mkdir(o.outDir, { recursive: true, mode: 0o700 });
          for (const f of files) {
            if (
              await access(f).then(
                () => true,
                () => false,
              )
            ) {
              throw new CliError(
                'OUTPUT_EXISTS',
                `--out-dir: ${f} exists; share files are never replaced`,
              );
            }
          }
          const whole = o.seedFile
            ? deriveKeyPair(await readSeedFile(o.seedFile), epoch)
            : generateKeyPair(epoch, rng);
          const { keySet, shares } = splitKey(whole, threshold, total, rng);
          try {
            await writeShares(files, (i) => ({
              key: shares[i]!,
              threshold,
              groupPublicKey: keySet.publicKey,
              publicShares: keySet.publicShares,
            }));
          } finally {
            // The dealer keeps nothing (docs/protocol.md §4.7.1).
            whole.secretKey.fill(0);
            for (const s of shares) s.secretKey.fill(0);
          }
          const summary = {
            epoch,
            threshold,
            total,
            groupPublicKey: toBase64url(keySet.publicKey),
            publicShares: keySet.publicShares.map(toBase64url),
            files,
          };
          if (o.json) return printJson(io.stdout, summary);
          io.stdout(
            `epoch ${epoch}: ${threshold}-of-${total} key set\n` +
              `  group public key: ${summary.groupPublicKey}\n` +
              files.map((f, i) => `  share ${i + 1}: ${f}\n`).join('') +
              'Give each keyholder operator one file (import-share), then delete it.\n',
          );
        },
      ),
    );

  group
    .command('import-share')
    .description('Store the share of a t-of-n key set from a share file written by split.')
    .requiredOption('--file <file>', 'the share file')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(async (o: { file: string; dataDir?: string; json?: boolean }) => {
        const record = await readShareFile(o.file, '--file');
        try {
          await storeRecord(o, record);
        } finally {
          record.key.secretKey.fill(0);
        }
      }),
    );

  group
    .command('retire')
    .description('Stop evaluating with an epoch (its public key stays published as retired).')
    .requiredOption('--epoch <n>', 'key epoch')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(async (o: { epoch: string; dataDir?: string; json?: boolean }) => {
        const epoch = epochFlag(o.epoch);
        const config = configFrom(env, o);
        const { record, changed } = await withOperations(config, { now: io.now, rng }, (ops) =>
          ops.retire(epoch),
        );
        if (o.json) return printJson(io.stdout, { ...jsonRecord(record), changed });
        io.stdout(`epoch ${epoch}: ${changed ? 'retired' : 'was already retired'}\n`);
      }),
    );

  group
    .command('keys')
    .description('Print the public half of every key record (never a secret).')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(async (o: { dataDir?: string; json?: boolean }) => {
        const config = configFrom(env, o);
        const records = await withOperations(config, { now: io.now, rng }, (ops) => ops.listKeys());
        if (o.json) return printJson(io.stdout, { keys: records.map(jsonRecord) });
        if (records.length === 0) {
          io.stdout('no keys yet: run `spx keyholder init --epoch 1` or `import-share`\n');
          return;
        }
        io.stdout(
          table(
            ['epoch', 'share', 't-of-n', 'status', 'secret', 'public key'],
            records.map((r) => [
              String(r.epoch),
              String(r.shareIndex),
              `${r.threshold}-of-${r.total}`,
              r.status,
              r.protection === 'none' ? 'unencrypted' : 'sealed',
              r.publicKey,
            ]),
          ),
        );
      }),
    );

  group
    .command('keyset')
    .description(
      'Print the public key set to publish for nodes and the hub to pin (SPX_NODE_KEYHOLDER_KEYSET).',
    )
    .option('--epoch <n>', 'key epoch (default: the newest active one)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(
      run(async (o: { epoch?: string; dataDir?: string }) => {
        const wanted = o.epoch === undefined ? undefined : epochFlag(o.epoch);
        const config = configFrom(env, o);
        const records = await withOperations(config, { now: io.now, rng }, (ops) => ops.listKeys());
        const candidates = records
          .filter((r) => (wanted === undefined ? r.status === 'active' : r.epoch === wanted))
          .sort((a, b) => b.epoch - a.epoch);
        const record = candidates[0];
        if (record === undefined) {
          throw new CliError(
            'EPOCH_UNKNOWN',
            wanted === undefined
              ? 'no active key: run `spx keyholder init` or `import-share` first'
              : `--epoch: no key record for epoch ${wanted}`,
          );
        }
        // Exactly the shape SPX_NODE_KEYHOLDER_KEYSET and SPX_HUB_KEYHOLDER_KEYSET take: the group
        // key (not this keyholder's own share key) and every public share.
        printJson(io.stdout, {
          epoch: record.epoch,
          threshold: record.threshold,
          publicKey: record.groupPublicKey,
          publicShares: record.publicShares,
        });
      }),
    );

  group
    .command('gen-kek')
    .description('Write a new key-encryption key file (mode 0600) for SPX_KEYHOLDER_KEK_FILE.')
    .requiredOption('--out <file>', 'where to write it (never replaced)')
    .action(
      run(async (o: { out: string }) => {
        const raw = rng(KEK_BYTES);
        try {
          const kek = await writeKekFile(o.out, raw);
          io.stdout(
            `wrote key-encryption key ${kek.id} to ${o.out}\nset SPX_KEYHOLDER_KEK_FILE=${o.out}\n`,
          );
        } catch (e) {
          if ((e as { code?: unknown }).code === 'EEXIST') {
            throw new CliError(
              'OUTPUT_EXISTS',
              `--out: ${o.out} exists; a KEK file is never replaced`,
            );
          }
          throw e;
        } finally {
          raw.fill(0);
        }
      }),
    );
}
