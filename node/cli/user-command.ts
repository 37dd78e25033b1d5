/**
 * `spx node user add|list|disable|reset-password` (docs/node.md "Console"): the console's
 * users, through a running node's admin API. The password is read from a prompt that does not
 * echo (typed twice) when stdin is a terminal, else from the first line of stdin — never from
 * a flag, which would leave it in the shell's history and the process list.
 */
import type { Command } from 'commander';
import { CliError } from '../../platform/cli/cli-io.js';
import { MAX_PASSWORD_LENGTH, PasswordSchema } from '../console/password.js';
import { CONSOLE_ROLES, ROLE_LABELS, type ConsoleRole } from '../console/roles.js';
import type { UserViewBody } from '../api/index.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';

export interface UserCommandDeps {
  /** Reads a new password (prompt or stdin: readPassword below). */
  readonly readPassword: () => Promise<string>;
}

/** The first line of `input` (a pipe or a file), without its line end; bounded. */
export async function firstLine(input: AsyncIterable<Uint8Array | string>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
    if (text.length > MAX_PASSWORD_LENGTH * 4) break;
  }
  return text;
}

/** A prompt on the terminal that does not echo what is typed. */
export function hiddenPrompt(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done();
          reject(new CliError('CANCELLED', 'cancelled', { exitCode: 2 }));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The default: a hidden prompt, twice, on a terminal; else the first line of stdin. */
export function readPasswordFrom(
  stdin: () => AsyncIterable<Uint8Array | string>,
  isTerminal: boolean,
): () => Promise<string> {
  return async () => {
    if (!isTerminal) return firstLine(stdin());
    const first = await hiddenPrompt('New password: ');
    const again = await hiddenPrompt('Again: ');
    if (first !== again) throw new CliError('PASSWORD_MISMATCH', 'the two passwords differ');
    return first;
  };
}

async function newPassword(deps: UserCommandDeps): Promise<string> {
  const password = await deps.readPassword();
  const checked = PasswordSchema.safeParse(password);
  if (!checked.success) {
    throw new CliError('PASSWORD_INVALID', `password: ${checked.error.issues[0]?.message}`);
  }
  return password;
}

function userLine(u: UserViewBody): string {
  const state = u.disabledAt ? `disabled ${u.disabledAt}` : 'active';
  return `${u.login.padEnd(20)} ${ROLE_LABELS[u.role].padEnd(16)} ${state.padEnd(32)} ${u.displayName}`;
}

export function registerUserCommand(
  group: Command,
  ctx: ClientCommandContext,
  deps: UserCommandDeps,
): void {
  const { run, client, withClientOptions, print } = ctx;
  const user = group
    .command('user')
    .description("The console's users: investigators, records officers, administrators.");

  withClientOptions(
    user
      .command('add')
      .description('Add a user; the password is prompted for (or read from stdin).')
      .argument('<login>', 'lower-case login, e.g. jdoe')
      .requiredOption('--name <name>', "the person's name as the console shows it")
      .requiredOption('--role <role>', CONSOLE_ROLES.join(', ')),
  ).action(
    run(async (login: string, o: ClientFlags & { name: string; role: string }) => {
      const role = CONSOLE_ROLES.find((r) => r === o.role);
      if (role === undefined) {
        throw new CliError('OPTION_INVALID', `--role: expected ${CONSOLE_ROLES.join(', ')}`, {
          exitCode: 2,
        });
      }
      const password = await newPassword(deps);
      const added = await client(o).addUser({
        login,
        displayName: o.name,
        role: role satisfies ConsoleRole,
        password,
      });
      print(o.json, added, () => `Added ${added.login} (${ROLE_LABELS[added.role]}).\n`);
    }),
  );

  withClientOptions(user.command('list').description('List the users.')).action(
    run(async (o: ClientFlags) => {
      const { users } = await client(o).users();
      print(o.json, { users }, () =>
        users.length === 0 ? 'No users.\n' : `${users.map(userLine).join('\n')}\n`,
      );
    }),
  );

  withClientOptions(
    user
      .command('disable')
      .description('Disable a user: no more sign-in; their sessions end at once.')
      .argument('<login>'),
  ).action(
    run(async (login: string, o: ClientFlags) => {
      const done = await client(o).disableUser(login);
      print(o.json, done, () => `Disabled ${done.login}.\n`);
    }),
  );

  withClientOptions(
    user
      .command('reset-password')
      .description("Set a user's new password (prompted, or from stdin); their sessions end.")
      .argument('<login>'),
  ).action(
    run(async (login: string, o: ClientFlags) => {
      const password = await newPassword(deps);
      const done = await client(o).resetPassword(login, password);
      print(o.json, done, () => `New password set for ${done.login}; their sessions ended.\n`);
    }),
  );
}
