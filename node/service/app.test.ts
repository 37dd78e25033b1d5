import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import {
  CheckResponseSchema,
  ImportRejectedSchema,
  ImportResponseSchema,
  PublishResponseSchema,
  StatusResponseSchema,
} from '../api/index.js';
import { DEFAULT_IMPORT_LIMITS } from '../import/index.js';
import { HIT_REMINDER } from '../check/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { registerNodeCommands } from '../cli.js';
import { attestations, checks, officers, outcomes, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from './app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from './test-support.js';

const TOKEN = TEST_ADMIN_TOKEN;
const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
`;
const OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
`;
const BAD_OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-2,Lee,Ann,,,1980-01-01,666-12-3456,,,,,
`;
/** The candidate a board reported, and every spelling of their identifiers a leak would show. */
const CANDIDATE = {
  firstName: 'Dana',
  lastName: 'Kowalczyk',
  dob: '1988-03-14',
  ssn: '899-20-4417',
};
const IDENTIFIERS = [
  'Kowalczyk',
  'KOWALCZYK',
  '1988-03-14',
  '899-20-4417',
  '899204417',
  'Ibáñez',
  'IBANEZ',
  '899732759',
  '899-73-2759',
  '1994-05-24',
  '700602',
];

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;
let logs: string[];
let apps = 0;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  logs = [];
  app = testNodeApp(world, handle.db, {
    seed: `node-app:${apps++}`,
    logLine: (line) => logs.push(line),
  });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const csvPost = (path: string, body: string, headers: Record<string, string> = auth) =>
  app.request(path, { method: 'POST', body, headers: { ...headers, 'content-type': 'text/csv' } });
const jsonPost = (path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { ...auth, 'content-type': 'application/json' },
  });
const count = async (table: typeof officers | typeof outcomes | typeof checks) =>
  (await handle.db.select().from(table)).length;

describe('node API', () => {
  it('answers health without a token and refuses everything else without the admin token', async () => {
    expect((await app.request('/v1/health')).status).toBe(200);
    const none = await app.request('/v1/status');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'ADMIN_TOKEN_MISSING' });
    const wrong = await csvPost('/v1/import/officers', OFFICERS, {
      authorization: `Bearer ${TOKEN}x`,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
    expect(await count(officers)).toBe(0);
  });

  it('logs the route pattern of a request, never its path', async () => {
    const before = logs.length;
    await app.request('/v1/123-45-6789/Garcia');
    await app.request('/v1/status', { headers: auth });
    const lines = logs.slice(before).join('\n');
    expect(lines).not.toContain('6789');
    expect(lines).not.toContain('Garcia');
    expect(lines).toContain('"route":"/v1/status"');
  });

  it('marks every answer nosniff and no-store: they hold records and check results', async () => {
    for (const res of [
      await app.request('/v1/health'),
      await app.request('/v1/status'),
      await app.request('/v1/status', { headers: auth }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses an endless chunked CSV at the size limit, having read no more than that', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const res = await app.request('/v1/import/officers?dryRun=true', {
      method: 'POST',
      body,
      headers: { ...auth, 'content-type': 'text/csv' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const limit = DEFAULT_IMPORT_LIMITS.maxFileBytes;
    expect(pulled).toBeGreaterThan(limit);
    expect(pulled).toBeLessThanOrEqual(limit + 2 * chunk.length);
    expect(await count(officers)).toBe(0);
  });

  it('imports CSV, writes nothing on a dry run, and answers 422 with per-row issues', async () => {
    const dry = await csvPost('/v1/import/officers?dryRun=true', OFFICERS);
    expect(await dry.json()).toMatchObject({ ok: true, dryRun: true, summary: { inserted: 1 } });
    expect(await count(officers)).toBe(0);
    const bad = await csvPost('/v1/import/officers', BAD_OFFICERS);
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(await bad.json()).toMatchObject({
      code: 'IMPORT_REJECTED',
      issues: [{ line: 2, field: 'ssn', code: 'SSN_INVALID_AREA' }],
    });
    expect(await count(officers)).toBe(0);
    const json = await app.request('/v1/import/officers', {
      method: 'POST',
      body: OFFICERS,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect((await csvPost('/v1/import/officers', OFFICERS)).status).toBe(200);
    expect((await csvPost('/v1/import/outcomes', OUTCOMES)).status).toBe(200);
    expect(await count(outcomes)).toBe(1);
  });

  it('publishes through the outbox and reports the counts', async () => {
    await csvPost('/v1/import/officers', OFFICERS);
    await csvPost('/v1/import/outcomes', OUTCOMES);
    const res = await jsonPost('/v1/publish', {});
    expect(await res.json()).toMatchObject({
      publish: { signed: 1, failed: [] },
      delivery: { accepted: 1, rejected: 0 },
    });
    expect(world.hub.stored.size).toBe(1);
    const status = await (await app.request('/v1/status', { headers: auth })).json();
    expect(status).toMatchObject({
      officers: 1,
      outcomes: 1,
      attestations: { accepted: 1 },
      epochs: { tokenizing: 1, current: [{ epoch: 1, statements: 1 }] },
    });
  });

  it('refuses to publish under a key epoch the hub does not serve, signing nothing', async () => {
    await csvPost('/v1/import/officers', OFFICERS);
    await csvPost('/v1/import/outcomes', OUTCOMES);
    world.hub.epochs = [2];
    const res = await jsonPost('/v1/publish', {});
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'EPOCH_NOT_SERVED' });
    expect(await handle.db.$count(attestations)).toBe(0);
  });

  it('publishes while the hub does not answer, for the outbox to deliver later', async () => {
    const offline = testNodeApp(world, handle.db, {
      seed: `node-app:${apps++}`,
      hubFetch: () => Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED')),
    });
    const post = (path: string, body: string, type: string) =>
      offline.request(path, { method: 'POST', body, headers: { ...auth, 'content-type': type } });
    await post('/v1/import/officers', OFFICERS, 'text/csv');
    await post('/v1/import/outcomes', OUTCOMES, 'text/csv');
    const res = await post('/v1/publish', '{}', 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      publish: { epoch: 1, signed: 1 },
      delivery: { accepted: 0, retrying: 1 },
    });
  });

  it('reads a chunked publish body like any other: invalid JSON and a non-JSON type are refused', async () => {
    const chunked = (text: string, type: string) =>
      app.request('/v1/publish', {
        method: 'POST',
        headers: { ...auth, 'content-type': type },
        // A stream body has no Content-Length: it is sent chunked.
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit);
    const invalid = await chunked('{"retryRejected":', 'application/json');
    expect([invalid.status, ((await invalid.json()) as { code: string }).code]).toEqual([
      400,
      'MALFORMED_JSON',
    ]);
    const plain = await chunked('{}', 'text/plain');
    expect([plain.status, ((await plain.json()) as { code: string }).code]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    const unknown = await chunked('{"retryRejectd":true}', 'application/json');
    expect(unknown.status).toBe(400);
    expect(world.hub.stored.size).toBe(0);
    const ok = await chunked('{"retryRejected":true}', 'application/json');
    expect(ok.status).toBe(200);
  });

  it('checks a candidate, stores the signed answer without identifiers, and refuses bad input', async () => {
    await world.publish(world.board, { ...CANDIDATE, license: null, aliases: [] });
    const body = { candidate: CANDIDATE, purpose: 'hiring', consentRef: 'CONSENT-2025-17' };
    const missing = await jsonPost('/v1/checks', { ...body, consentRef: undefined });
    expect(missing.status).toBe(400);
    const badSsn = await jsonPost('/v1/checks', {
      ...body,
      candidate: { ...CANDIDATE, ssn: '666-12-3456' },
    });
    expect(badSsn.status).toBe(400);
    expect(await badSsn.json()).toMatchObject({ errors: [{ field: 'candidate.ssn' }] });
    expect(await count(checks)).toBe(0);

    const res = await jsonPost('/v1/checks', { ...body, candidateRef: 'BG-2025-044' });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      result: { verdict: string; reminder: string; matches: unknown[] };
    };
    expect(answer.result).toMatchObject({ verdict: 'record_found', reminder: HIT_REMINDER });
    expect(answer.result.matches).toHaveLength(1);
    const [stored] = await handle.db.select().from(checks);
    expect(stored).toMatchObject({ state: 'answered', verdict: 'record_found', matchCount: 1 });
    expect(stored!.consentRef).toBe('CONSENT-2025-17');
    const row = JSON.stringify(stored).toLowerCase();
    for (const id of IDENTIFIERS) expect(row).not.toContain(id.toLowerCase());
  });

  it('logs no identifier of officers or candidates after import, publish and check', async () => {
    await world.publish(world.board, { ...CANDIDATE, license: null, aliases: [] });
    await csvPost('/v1/import/officers', OFFICERS);
    await csvPost('/v1/import/outcomes', OUTCOMES);
    await csvPost('/v1/import/officers', BAD_OFFICERS);
    await jsonPost('/v1/publish', {});
    await jsonPost('/v1/checks', { candidate: CANDIDATE, purpose: 'hiring', consentRef: 'C-1' });
    expect(logs.length).toBeGreaterThan(5);
    expect(logs.some((l) => l.includes('"event":"check"'))).toBe(true);
    const all = logs.join('\n').toLowerCase();
    for (const id of [...IDENTIFIERS, 'RPD-10001', '666-12-3456']) {
      expect(all).not.toContain(id.toLowerCase());
    }
  });
});

describe('spx node commands', () => {
  async function cli(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      now: world.clock.now,
    };
    const program = new Command('spx').exitOverride();
    registerNodeCommands(program, io, {
      env: { SPX_NODE_ADMIN_TOKEN: TOKEN, ...env },
      rng: seededRng(`cli:${args.join(' ')}`),
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        app.request(input.toString(), init)) as typeof fetch,
    });
    for (const c of program.commands) c.exitOverride();
    let error: unknown;
    try {
      await program.parseAsync(['node', ...args], { from: 'user' });
    } catch (e) {
      error = e;
    }
    return { out: out.join(''), err: err.join(''), error };
  }

  it('imports, publishes, checks and shows status against a running node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spx-node-cli-'));
    await writeFile(join(dir, 'officers.csv'), OFFICERS);
    await writeFile(join(dir, 'outcomes.csv'), OUTCOMES);
    await writeFile(join(dir, 'bad.csv'), BAD_OFFICERS);
    const imported = await cli(['import', 'officers', join(dir, 'officers.csv')]);
    expect(imported.out).toContain('officers: 1 row — 1 new');
    expect(imported.err).toContain('Reading');
    const bad = await cli(['import', 'officers', join(dir, 'bad.csv'), '--json']);
    expect(bad.error).toBeInstanceOf(CliError);
    expect((bad.error as CliError).code).toBe('IMPORT_REJECTED');
    expect(JSON.parse(bad.out)).toMatchObject({ issues: [{ line: 2, field: 'ssn' }] });
    await cli(['import', 'outcomes', join(dir, 'outcomes.csv')]);
    expect((await cli(['publish'])).out).toContain('Hub: 1 accepted');

    await world.publish(world.board, { ...CANDIDATE, license: null, aliases: [] });
    const check = await cli([
      'check',
      '--first-name',
      'Dana',
      '--last-name',
      'Kowalczyk',
      '--dob',
      '1988-03-14',
      '--ssn',
      '899-20-4417',
      '--consent-ref',
      'CONSENT-9',
    ]);
    expect(check.error).toBeUndefined();
    expect(check.out).toContain(HIT_REMINDER);
    expect(check.out).toMatch(/Stored as check [0-9a-f-]{36}/);
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.out)).toMatchObject({ lastChecks: [{ verdict: 'record_found' }] });
    const noToken = await cli(['status'], { SPX_NODE_ADMIN_TOKEN: 'wrong-token' });
    expect((noToken.error as CliError).code).toBe('ADMIN_TOKEN_INVALID');
  });

  it("prints the node's per-field problems when it refuses a check, as text or as JSON", async () => {
    const args = [
      'check',
      '--first-name',
      'Dana',
      '--last-name',
      'Kowalczyk',
      '--dob',
      '14/03/1988',
      '--consent-ref',
      'CONSENT-9',
    ];
    const text = await cli(args);
    expect(text.error).toBeInstanceOf(CliError);
    expect((text.error as CliError).code).toBe('VALIDATION_FAILED');
    expect((text.error as CliError).exitCode).toBe(1);
    expect((text.error as CliError).message).toMatch(
      /^the candidate identifiers cannot be used\n {2}candidate\.dob DOB_FORMAT — \S/,
    );
    expect(text.out).toBe('');
    const json = await cli([...args, '--json']);
    expect((json.error as CliError).code).toBe('VALIDATION_FAILED');
    expect(JSON.parse(json.out)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'candidate.dob', code: 'DOB_FORMAT' }],
    });
    expect(await count(checks)).toBe(0);
  });

  it('answers only what the schemas of node/api describe', async () => {
    await world.publish(world.board, { ...CANDIDATE, license: null, aliases: [] });
    const read = async (res: Response | Promise<Response>) =>
      (await res).json() as Promise<unknown>;
    const imported = await read(csvPost('/v1/import/officers', OFFICERS));
    const rejected = await read(csvPost('/v1/import/officers', BAD_OFFICERS));
    await csvPost('/v1/import/outcomes', OUTCOMES);
    const published = await read(jsonPost('/v1/publish', {}));
    const checked = await read(
      jsonPost('/v1/checks', { candidate: CANDIDATE, purpose: 'hiring', consentRef: 'C-1' }),
    );
    const status = await read(app.request('/v1/status', { headers: auth }));
    // zod drops members a schema does not name: equal means the schema names every one.
    for (const [schema, body] of [
      [ImportResponseSchema, imported],
      [ImportRejectedSchema, rejected],
      [PublishResponseSchema, published],
      [CheckResponseSchema, checked],
      [StatusResponseSchema, status],
    ] as const) {
      expect(schema.parse(body)).toEqual(body);
    }
  });

  it('writes a 0600 key file once and prints only its public half', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'spx-node-key-')), 'agency.jwk');
    const made = await cli(['keygen', '--out', file, '--json']);
    const printed = JSON.parse(made.out) as { kid: string; publicJwk: Record<string, unknown> };
    expect(printed.publicJwk).not.toHaveProperty('d');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      kid: printed.kid,
      d: expect.any(String),
    });
    const again = await cli(['keygen', '--out', file]);
    expect((again.error as CliError).code).toBe('KEY_FILE_EXISTS');
  });
});
