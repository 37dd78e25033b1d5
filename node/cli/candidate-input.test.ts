/**
 * `spx node check` with the candidate in a file or on stdin (`--candidate-file`), through the
 * CLI against the node app in-process, each request body recorded on its way: what it sends,
 * what it refuses before sending, and that no error or warning repeats an identifier.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { registerNodeCommands } from '../cli.js';
import { createWorld } from '../clients/test-support/world.js';
import type { NodeApp } from '../service/app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import { IDENTIFIER_FLAGS_WARNING, MAX_CANDIDATE_FILE_BYTES } from './candidate-input.js';

const CANDIDATE = {
  firstName: 'Dana',
  lastName: 'Kowalczyk',
  dob: '1988-03-14',
  ssn: '899-20-4417',
  license: { state: 'TX', number: '12-345-678' },
  aliases: [{ firstName: 'Dana', lastName: 'Nowak' }],
};
/** The candidate's values as a leak would show them. */
const VALUES = [
  'Dana',
  'Kowalczyk',
  'Nowak',
  '1988-03-14',
  '899-20-4417',
  '899204417',
  '12-345-678',
];

let dir: string;
let handle: DatabaseHandle<NodeTables>;
let app: NodeApp;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spx-candidate-'));
  handle = await openNodeTestDatabase();
  app = testNodeApp(await createWorld(), handle.db, { seed: 'candidate-input' });
});
afterAll(async () => {
  await handle?.close();
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs `spx node check …` against a node that records each request body. */
async function check(args: string[], stdin: AsyncIterable<Uint8Array | string> = empty()) {
  const sent: Record<string, unknown>[] = [];
  const out: string[] = [];
  const err: string[] = [];
  let stdinReads = 0;
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: () => new Date('2026-11-27T12:00:00Z'),
  };
  const program = new Command('spx').exitOverride();
  registerNodeCommands(program, io, {
    env: { SPX_NODE_ADMIN_TOKEN: TEST_ADMIN_TOKEN, USER: 'hr-officer' },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return app.request(input.toString(), init);
    }) as typeof fetch,
    stdin: () => {
      stdinReads++;
      return stdin;
    },
  });
  for (const c of program.commands) c.exitOverride();
  let error: unknown;
  try {
    await program.parseAsync(['node', 'check', ...args, '--json'], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { sent, out: out.join(''), err: err.join(''), error, stdinReads: () => stdinReads };
}

async function* empty(): AsyncGenerator<Uint8Array> {}

async function* chunks(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

const expectNoValue = (text: string) => {
  for (const v of VALUES) expect(text).not.toContain(v);
};

describe('spx node check --candidate-file', () => {
  it('sends the candidate of a file, with no identifier on the command line and no warning', async () => {
    const path = await file('candidate.json', JSON.stringify(CANDIDATE));
    const args = [
      '--candidate-file',
      path,
      '--consent-ref',
      'CONSENT-17',
      '--purpose',
      'promotion',
    ];
    const r = await check(args);
    expect(r.error).toBeUndefined();
    expect(r.sent).toEqual([
      {
        candidate: CANDIDATE,
        purpose: 'promotion',
        consentRef: 'CONSENT-17',
        requestedBy: 'hr-officer',
      },
    ]);
    expect(JSON.parse(r.out)).toMatchObject({
      check: { state: 'answered', requestedBy: 'hr-officer' },
      result: { purpose: 'promotion', verdict: 'no_record' },
    });
    expectNoValue(r.out);
    expect(r.err).toBe('');
    expect(r.stdinReads()).toBe(0);
    expectNoValue(args.join(' '));
  });

  it('reads the candidate from stdin with -, in whatever chunks it arrives', async () => {
    const r = await check(
      ['--candidate-file', '-', '--consent-ref', 'CONSENT-17', '--candidate-ref', 'HR-2291'],
      chunks(`${JSON.stringify(CANDIDATE, null, 2)}\n`, 7),
    );
    expect(r.error).toBeUndefined();
    expect(r.sent).toEqual([
      {
        candidate: CANDIDATE,
        purpose: 'hiring',
        consentRef: 'CONSENT-17',
        candidateRef: 'HR-2291',
        requestedBy: 'hr-officer',
      },
    ]);
    expect(r.err).toBe('');
  });

  it('refuses to mix the file with identifier flags, naming the flags and not their values', async () => {
    const path = await file('mixed.json', JSON.stringify(CANDIDATE));
    const r = await check([
      '--candidate-file',
      path,
      '--ssn',
      '899-20-4417',
      '--dob',
      '1988-03-14',
      '--consent-ref',
      'C-1',
    ]);
    expect(r.error).toBeInstanceOf(CliError);
    expect(r.error).toMatchObject({ code: 'OPTION_INVALID', exitCode: 2 });
    const message = (r.error as CliError).message;
    expect(message).toContain('--dob, --ssn');
    expect(message).toContain('--candidate-file');
    expectNoValue(message);
    expect(r.sent).toEqual([]);
  });

  it.each([
    ['a field too long', { ...CANDIDATE, ssn: '899-20-4417-0000' }, ['ssn (too_long)']],
    ['a missing field', { ...CANDIDATE, lastName: undefined }, ['lastName (required)']],
    [
      'a nested field and an unknown one',
      { ...CANDIDATE, license: { state: 'TX' }, birthName: 'Nowak' },
      ['license.number (required)', '1 unknown member'],
    ],
    [
      'members named after the person (a headerless export)',
      { ...CANDIDATE, Kowalczyk: 'Dana', '899-20-4417': true },
      ['2 unknown members'],
    ],
    ['a value of the wrong type', { ...CANDIDATE, dob: 19880314 }, ['dob (invalid_type)']],
  ])('names the field at fault, never its value: %s', async (_, candidate, fields) => {
    const path = await file('bad.json', JSON.stringify(candidate));
    const r = await check(['--candidate-file', path, '--consent-ref', 'C-1']);
    expect(r.error).toMatchObject({ code: 'CANDIDATE_FILE_INVALID' });
    const message = (r.error as CliError).message;
    for (const f of fields) expect(message).toContain(f);
    expectNoValue(message);
    expect(message).not.toContain('birthName');
    expect(message).not.toContain('19880314');
    expect(r.sent).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '{"firstName": "Dana", "ssn": 899-20-4417}', 'not valid JSON'],
    [
      'JSON that is not an object',
      '["Dana", "Kowalczyk", "899-20-4417"]',
      'expected a JSON object',
    ],
    [
      'the whole check request',
      JSON.stringify({ candidate: CANDIDATE, consentRef: 'C-1' }),
      'the candidate object itself',
    ],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'not UTF-8'],
  ])('refuses %s without quoting it', async (_, text, expected) => {
    const r = await check(['--candidate-file', '-', '--consent-ref', 'C-1'], chunks(text, 4096));
    expect(r.error).toMatchObject({ code: 'CANDIDATE_FILE_INVALID' });
    expect((r.error as CliError).message).toContain(expected);
    expectNoValue((r.error as CliError).message);
    expect(r.sent).toEqual([]);
  });

  it('stops reading stdin past the size limit', async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        read += 1024;
        yield new Uint8Array(1024).fill(0x20);
      }
    }
    const r = await check(['--candidate-file', '-', '--consent-ref', 'C-1'], endless());
    expect(r.error).toMatchObject({ code: 'CANDIDATE_FILE_INVALID' });
    expect((r.error as CliError).message).toContain(`${MAX_CANDIDATE_FILE_BYTES} bytes`);
    expect(read).toBeLessThanOrEqual(MAX_CANDIDATE_FILE_BYTES + 1024);
  });

  it('reports a file it cannot read by its path', async () => {
    const path = join(dir, 'missing.json');
    const r = await check(['--candidate-file', path, '--consent-ref', 'C-1']);
    expect(r.error).toMatchObject({
      code: 'FILE_UNREADABLE',
      message: `--candidate-file: cannot read ${path}`,
    });
  });
});

describe('spx node check with identifier flags', () => {
  it('still works, with one warning on stderr naming the flags, not the values', async () => {
    const r = await check([
      '--first-name',
      'Dana',
      '--last-name',
      'Kowalczyk',
      '--dob',
      '1988-03-14',
      '--ssn',
      '899-20-4417',
      '--alias',
      'Nowak',
      '--consent-ref',
      'CONSENT-9',
    ]);
    expect(r.error).toBeUndefined();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!['candidate']).toEqual({
      firstName: 'Dana',
      lastName: 'Kowalczyk',
      dob: '1988-03-14',
      ssn: '899-20-4417',
      aliases: [{ lastName: 'Nowak' }],
    });
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([
      `spx: warning: --first-name, --last-name, --dob, --ssn, --alias: ${IDENTIFIER_FLAGS_WARNING}`,
    ]);
    expect(lines[0]).toContain(
      'visible in shell history and process list; prefer --candidate-file',
    );
    expectNoValue(r.err);
  });

  it('asks for the candidate when neither the file nor the names are given', async () => {
    const r = await check(['--dob', '1988-03-14', '--consent-ref', 'C-1']);
    expect(r.error).toMatchObject({ code: 'OPTION_INVALID', exitCode: 2 });
    expect((r.error as CliError).message).toContain('--candidate-file');
    expectNoValue((r.error as CliError).message);
    expect(r.sent).toEqual([]);
  });
});
