/**
 * `spx node user add|list|disable|reset-password` against a node app: the password read from
 * stdin (never a flag), a short one refused before anything is sent, a user who then signs in,
 * is given a new password and is disabled.
 */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../platform/cli/cli-io.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { registerNodeCommands } from '../cli.js';
import { postForm } from '../console/test-support.js';
import type { NodeApp } from '../service/app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import { firstLine } from './user-command.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await createWorld();
  app = testNodeApp(world, handle.db, { seed: 'user-cli' });
});
afterAll(async () => {
  await handle?.close();
});

async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, now: world.clock.now };
  const program = new Command('spx').exitOverride();
  registerNodeCommands(program, io, {
    env: { SPX_NODE_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    rng: seededRng(`cli:${args.join(' ')}`),
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(input.toString(), init)) as typeof fetch,
    stdin: async function* () {
      yield new TextEncoder().encode(stdin);
    },
  });
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.commands.forEach(override);
  });
  let error: unknown;
  try {
    await program.parseAsync(['node', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join(''), error: error as { code?: string } | undefined };
}

const signIn = (login: string, password: string) =>
  postForm(app, '/console/sign-in', { login, password });

describe('spx node user', () => {
  it('adds a user with the password from stdin, lists, resets and disables them', async () => {
    const added = await cli(
      ['user', 'add', 'jdoe', '--name', 'Jo Doe', '--role', 'investigator'],
      'a long first password\n',
    );
    expect(added.error).toBeUndefined();
    expect(added.out).toBe('Added jdoe (Investigator).\n');
    expect((await signIn('jdoe', 'a long first password')).status).toBe(303);

    const list = await cli(['user', 'list', '--json']);
    expect(JSON.parse(list.out)).toMatchObject({
      users: [{ login: 'jdoe', role: 'investigator', disabledAt: null }],
    });
    expect(list.out).not.toContain('password');

    const reset = await cli(['user', 'reset-password', 'jdoe'], 'another long password\n');
    expect(reset.error).toBeUndefined();
    expect((await signIn('jdoe', 'a long first password')).status).toBe(401);
    expect((await signIn('jdoe', 'another long password')).status).toBe(303);

    const disabled = await cli(['user', 'disable', 'jdoe']);
    expect(disabled.out).toBe('Disabled jdoe.\n');
    expect((await signIn('jdoe', 'another long password')).status).toBe(401);
  });

  it('refuses a short password, a taken login and an unknown role before or at the node', async () => {
    const short = await cli(
      ['user', 'add', 'kim', '--name', 'Kim', '--role', 'investigator'],
      'short\n',
    );
    expect(short.error?.code).toBe('PASSWORD_INVALID');
    const role = await cli(
      ['user', 'add', 'kim', '--name', 'Kim', '--role', 'chief'],
      'long enough password\n',
    );
    expect(role.error?.code).toBe('OPTION_INVALID');
    await cli(
      ['user', 'add', 'kim', '--name', 'Kim', '--role', 'administrator'],
      'long enough password\n',
    );
    const again = await cli(
      ['user', 'add', 'kim', '--name', 'Kim', '--role', 'administrator'],
      'long enough password\n',
    );
    expect(again.error?.code).toBe('USER_EXISTS');
    const unknown = await cli(['user', 'disable', 'nobody']);
    expect(unknown.error?.code).toBe('USER_UNKNOWN');
  });

  it('reads only the first line of stdin, without its line end', async () => {
    async function* chunks() {
      yield 'pass';
      yield 'word one\r\nsecond line\n';
    }
    expect(await firstLine(chunks())).toBe('password one');
  });
});
