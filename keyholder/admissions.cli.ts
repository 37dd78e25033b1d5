/**
 * `spx keyholder admit | revoke | admissions`: the keyholder operator's own list of the agency
 * keys that may ask it to evaluate (docs/keyholder.md "Admission"). An agency enrolled at the
 * hub is refused here (403 AGENCY_NOT_ADMITTED) until this operator admits its key, so that the
 * hub operator alone cannot create an agency and test guesses against the pseudonyms.
 */
import { parseJsonInput } from '../platform/fs/json-input.js';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError } from '../platform/cli/cli-io.js';
import { isCryptoError } from '../crypto/errors.js';
import { importPublicJwk } from '../crypto/signing/keys.js';
import { KidSchema } from '../protocol/agency-key.js';
import { MAX_NOTE_CHARS } from './operator/operator.api.js';
import type { Admission } from './admissions.repository.js';
import {
  configFrom,
  DATA_DIR_HELP,
  oriFlag,
  printJson,
  table,
  withOperations,
  type CommandContext,
} from './cli-support.js';

/** A public JWK is about 100 bytes; anything much larger is not one. */
const MAX_JWK_BYTES = 4096;

function kidFlag(value: string): string {
  if (!KidSchema.safeParse(value).success) {
    throw new CliError(
      'OPTION_INVALID',
      '--kid: expected the key thumbprint (43 base64url characters, RFC 7638), as the hub lists it',
    );
  }
  return value;
}

function noteFlag(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value.length > MAX_NOTE_CHARS || /\p{Cc}/u.test(value)) {
    throw new CliError(
      'OPTION_INVALID',
      `--note: at most ${MAX_NOTE_CHARS} characters on one line (a ticket, who asked)`,
    );
  }
  return value;
}

/** `--jwk` takes inline JSON or the path of the agency's public JWK file; returns its kid. */
async function kidOfJwk(value: string): Promise<string> {
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    const bytes = await readFile(value).catch(() => {
      throw new CliError('KEY_FILE_UNREADABLE', `--jwk: cannot read the file ${value}`);
    });
    if (bytes.byteLength > MAX_JWK_BYTES) {
      throw new CliError('OPTION_INVALID', `--jwk: the file is over ${MAX_JWK_BYTES} bytes`);
    }
    text = bytes.toString('utf8');
  }
  const input = parseJsonInput(text);
  if (!input.ok) {
    throw new CliError(
      'OPTION_INVALID',
      `--jwk: ${input.message} (give a public JWK file or inline JSON)`,
    );
  }
  const json = input.json;
  if (typeof json === 'object' && json !== null && 'd' in json) {
    throw new CliError(
      'OPTION_INVALID',
      '--jwk: this JWK holds a private key (d); give the public key',
    );
  }
  try {
    // The same validation as the hub's enrollment: kty/crv/x (+ kid, alg, use), a usable point.
    return (await importPublicJwk(json)).kid;
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    throw new CliError('OPTION_INVALID', `--jwk: not a usable Ed25519 public JWK: ${e.message}`);
  }
}

const view = (a: Admission) => ({
  ori: a.ori,
  kid: a.kid,
  admittedAt: a.admittedAt.toISOString(),
  revokedAt: a.revokedAt?.toISOString() ?? null,
  note: a.note,
});

export function registerAdmissionCommands(group: Command, ctx: CommandContext): void {
  const { io, env, rng, run } = ctx;

  group
    .command('admit')
    .description(
      "Admit an agency's key at this keyholder (the hub's registry must list it too). Give the key as --kid or --jwk.",
    )
    .requiredOption('--ori <ori>', 'the agency')
    .option('--kid <kid>', "the key's thumbprint, as the hub's registry lists it")
    .option('--jwk <json|file>', "the agency's public key (JWK), inline or a file")
    .option('--note <text>', 'your own note: a ticket, who asked (kept with the admission)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(
        async (o: {
          ori: string;
          kid?: string;
          jwk?: string;
          note?: string;
          dataDir?: string;
          json?: boolean;
        }) => {
          const ori = oriFlag(o.ori);
          if ((o.kid === undefined) === (o.jwk === undefined)) {
            throw new CliError('OPTION_INVALID', '--kid or --jwk: give exactly one of them');
          }
          const kid = o.kid === undefined ? await kidOfJwk(o.jwk!) : kidFlag(o.kid);
          const note = noteFlag(o.note);
          const admitted = await withOperations(configFrom(env, o), { now: io.now, rng }, (ops) =>
            ops.admit(ori, kid, note),
          );
          if (o.json) return printJson(io.stdout, { ori, kid, admitted });
          io.stdout(
            admitted
              ? `admitted ${ori} with key ${kid}\n`
              : `${ori} with key ${kid} was already admitted; nothing changed\n`,
          );
        },
      ),
    );

  group
    .command('revoke')
    .description("Revoke an agency's admission: one key (--kid), or all of its keys.")
    .requiredOption('--ori <ori>', 'the agency')
    .option('--kid <kid>', 'only this key')
    .option('--note <text>', 'your own note: why')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(
        async (o: {
          ori: string;
          kid?: string;
          note?: string;
          dataDir?: string;
          json?: boolean;
        }) => {
          const ori = oriFlag(o.ori);
          const kid = o.kid === undefined ? undefined : kidFlag(o.kid);
          const note = noteFlag(o.note);
          const revoked = await withOperations(configFrom(env, o), { now: io.now, rng }, (ops) =>
            ops.revoke(ori, kid, note),
          );
          // Before --json: a script must not read "nothing revoked" as success.
          if (revoked.length === 0) {
            throw new CliError('NOT_FOUND', `${ori} has no admitted key${kid ? ` ${kid}` : ''}`);
          }
          if (o.json) return printJson(io.stdout, { ori, revoked });
          io.stdout(`revoked ${ori}: ${revoked.join(', ')}\n`);
        },
      ),
    );

  group
    .command('admissions')
    .description(
      'List the admitted agency keys (and revoked ones), and with --events every change.',
    )
    .option('--events', 'the record of every admission and revocation, oldest first')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(async (o: { events?: boolean; dataDir?: string; json?: boolean }) => {
        const { list, events } = await withOperations(
          configFrom(env, o),
          { now: io.now, rng },
          async (ops) =>
            o.events
              ? { list: [], events: await ops.admissionEvents() }
              : { list: await ops.admissions(), events: [] },
        );
        if (o.events) {
          const rows = events.map((e) => ({ ...e, at: e.at.toISOString() }));
          if (o.json) return printJson(io.stdout, { events: rows });
          io.stdout(
            table(
              ['SEQ', 'AT', 'ACTION', 'ORI', 'KID', 'NOTE'],
              rows.map((e) => [String(e.seq), e.at, e.action, e.ori, e.kid, e.note ?? '']),
            ),
          );
          return;
        }
        if (o.json) return printJson(io.stdout, { admissions: list.map(view) });
        if (list.length === 0) {
          io.stdout('no agency is admitted: every evaluation is refused (spx keyholder admit)\n');
          return;
        }
        io.stdout(
          table(
            ['ORI', 'KID', 'ADMITTED', 'REVOKED', 'NOTE'],
            list
              .map(view)
              .map((a) => [a.ori, a.kid, a.admittedAt, a.revokedAt ?? '', a.note ?? '']),
          ),
        );
      }),
    );
}
