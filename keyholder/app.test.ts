import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { deriveKeyPair, evaluateBatch, finalizeBatch } from '../crypto/oprf/index.js';
import { publishKeys, type PublishedKeys } from './app.js';
import { admissionsRepository } from './admissions.repository.js';
import { KeyholderError } from './errors.js';
import {
  blindInputs,
  codeOf,
  evaluationOf,
  makeAgency,
  openTestbed,
  rng,
  signedInit,
  TESTBED_NOON,
  TESTBED_SEED,
  type TestAgency,
  type Testbed,
} from './test-fixtures.js';

const wholeKey = deriveKeyPair(TESTBED_SEED, 1);
/** Every blinded element, evaluated element and proof that crossed the API in this file. */
const exchanged = new Set<string>();
let bed: Testbed;

async function evaluate(a: TestAgency, count: number, options: { epoch?: number } = {}) {
  const { state, body, blinded } = blindInputs(options.epoch ?? 1, count, `${a.ori}-${count}`);
  blinded.forEach((b) => exchanged.add(b));
  const res = await bed.app().request('/v1/evaluate', await signedInit(a, body, bed.now));
  return { res, state };
}

beforeAll(async () => {
  bed = await openTestbed();
});
afterAll(() => bed?.handle.close());

describe('POST /v1/evaluate', () => {
  it('evaluates a batch that the node verifies against the published key and finalizes', async () => {
    const reporter = await bed.agency(['reporter']);
    const { res, state } = await evaluate(reporter, 5);
    expect(res.status).toBe(200);
    const response = await evaluationOf(res);
    response.evaluatedElements.forEach((e) => exchanged.add(toBase64url(e)));
    exchanged.add(toBase64url(response.proof));

    const published = (await (await bed.app().request('/v1/keys')).json()) as PublishedKeys;
    const epoch1 = published.keys.find((k) => k.epoch === 1)!;
    const publicKey = Buffer.from(epoch1.publicKey, 'base64url');
    const outputs = finalizeBatch(state, response, { epoch: 1, shareIndex: 1, publicKey });
    // The same outputs as the whole key evaluated directly: the keyholder used epoch 1's key.
    const direct = evaluateBatch(
      wholeKey,
      { epoch: 1, blindedElements: state.blindedElements },
      rng,
    );
    expect(outputs).toEqual(finalizeBatch(state, direct, wholeKey));
    expect(await bed.used(reporter.ori)).toBe(5);
  });

  it('accepts the checker role as well as the reporter role', async () => {
    const checker = await bed.agency(['checker']);
    const { res } = await evaluate(checker, 1);
    expect(res.status).toBe(200);
  });

  it('refuses requests without a token, from unknown, suspended or role-less agencies, consuming nothing', async () => {
    const { body } = blindInputs(1, 3);
    const none = await bed.app().request('/v1/evaluate', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(none.status).toBe(401);
    expect(await codeOf(none)).toBe('AUTH_MISSING');

    const cases: [TestAgency, number, string][] = [
      [await bed.agency(['reporter'], 'active', false), 401, 'AUTH_UNKNOWN_KEY'],
      [await bed.agency(['reporter'], 'suspended'), 403, 'AGENCY_SUSPENDED'],
      [await bed.agency(['operator']), 403, 'ROLE_REQUIRED'],
    ];
    for (const [a, status, code] of cases) {
      const res = await bed.app().request('/v1/evaluate', await signedInit(a, body, bed.now));
      expect(res.status).toBe(status);
      expect(await codeOf(res)).toBe(code);
      expect(await bed.used(a.ori)).toBe(0);
    }
  });

  it('refuses an agency the hub enrolled but this keyholder did not admit, consuming nothing', async () => {
    // The attack of issue 10: the hub operator enrols an agency of its own making; the registry
    // vouches for it, but the keyholder's operator never admitted it.
    const made = await bed.agency(['checker'], 'active', true, false);
    const { res } = await evaluate(made, 3);
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('AGENCY_NOT_ADMITTED');
    expect(await bed.used(made.ori)).toBe(0);
    const line = bed.logs.map((l) => JSON.parse(l) as Record<string, unknown>).at(-2);
    expect(line).toMatchObject({ event: 'admission_refused', ori: made.ori, kid: made.key.kid });

    await admissionsRepository(bed.handle.db).admit(made.ori, made.key.kid, bed.now, 'ticket 7');
    expect((await evaluate(made, 3)).res.status).toBe(200);
  });

  it('binds the admission to the key: a key the hub rotated in, or a revoked one, is refused', async () => {
    const city = await bed.agency(['checker']);
    expect((await evaluate(city, 1)).res.status).toBe(200);
    // The hub replaces the city's registered key with one of its own: same ORI, new kid.
    const impostor = await makeAgency(city.ori, 200, ['checker']);
    bed.registry.set(city.ori, impostor.entry);
    const { res } = await evaluate(impostor, 1);
    expect(await codeOf(res)).toBe('AGENCY_NOT_ADMITTED');

    bed.registry.set(city.ori, city.entry);
    const repo = admissionsRepository(bed.handle.db);
    expect(await repo.revoke(city.ori, undefined, bed.now, null)).toEqual([city.key.kid]);
    expect(await codeOf((await evaluate(city, 1)).res)).toBe('AGENCY_NOT_ADMITTED');
  });

  it('checks admission only after authentication: an unsigned request learns nothing of it', async () => {
    const made = await bed.agency(['checker'], 'active', true, false);
    const { body } = blindInputs(1, 1);
    const init = await signedInit(made, body, bed.now, { audience: 'spx-hub' });
    expect(await codeOf(await bed.app().request('/v1/evaluate', init))).toBe(
      'AUTH_AUDIENCE_MISMATCH',
    );
  });

  it('refuses a token made for another audience', async () => {
    const a = await bed.agency();
    const { body } = blindInputs(1, 1);
    const init = await signedInit(a, body, bed.now, { audience: 'spx-hub' });
    const res = await bed.app().request('/v1/evaluate', init);
    expect(await codeOf(res)).toBe('AUTH_AUDIENCE_MISMATCH');
  });

  it('refuses the audience all keyholders once shared, unless inside the upgrade window', async () => {
    const a = await bed.agency();
    const legacy = async (app = bed.app()) => {
      const { body } = blindInputs(1, 1, `legacy-${bed.now.toISOString()}`);
      const init = await signedInit(a, body, bed.now, { audience: 'spx-keyholder' });
      return app.request('/v1/evaluate', init);
    };
    expect(await codeOf(await legacy())).toBe('AUTH_AUDIENCE_MISMATCH');

    const until = new Date(bed.now.getTime() + 60_000);
    const app = bed.app({ legacyAudienceUntil: until });
    const logged = bed.logs.length;
    expect((await legacy(app)).status).toBe(200);
    const warnings = bed.logs.slice(logged).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warnings).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'legacy_audience', ori: a.ori }),
    );

    const started = bed.now;
    try {
      bed.now = until;
      expect(await codeOf(await legacy(app))).toBe('AUTH_AUDIENCE_MISMATCH');
    } finally {
      bed.now = started;
    }
  });

  it('answers to each of its public URLs, and tells a caller which when it names another', async () => {
    const a = await bed.agency();
    const app = bed.app({ audiences: ['https://kh1.example.org', 'http://kh1.internal:7310'] });
    const { body } = blindInputs(1, 1, 'two-urls');
    const internal = await signedInit(a, body, bed.now, { audience: 'http://kh1.internal:7310' });
    expect((await app.request('/v1/evaluate', internal)).status).toBe(200);
    const other = await signedInit(a, body, bed.now, { audience: 'https://kh2.example.org' });
    const res = await app.request('/v1/evaluate', other);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('AUTH_AUDIENCE_MISMATCH');
    expect(problem.detail).toContain('https://kh1.example.org or http://kh1.internal:7310');
  });

  it('answers 422 EPOCH_UNKNOWN for an epoch it never held and for a retired one', async () => {
    const a = await bed.agency();
    for (const epoch of [99, 2]) {
      const { res } = await evaluate(a, 2, { epoch });
      expect(res.status).toBe(422);
      expect(await codeOf(res)).toBe('EPOCH_UNKNOWN');
    }
    expect(await bed.used(a.ori)).toBe(0);
  });

  it('answers 503 UNAVAILABLE when the registry cannot be read', async () => {
    const a = await bed.agency();
    const { body } = blindInputs(1, 1);
    const down = bed.app({
      directory: {
        find: () => Promise.reject(new KeyholderError('REGISTRY_UNAVAILABLE', 'hub down')),
      },
    });
    const res = await down.request('/v1/evaluate', await signedInit(a, body, bed.now));
    expect(res.status).toBe(503);
    expect(await codeOf(res)).toBe('UNAVAILABLE');
  });
});

describe('GET endpoints', () => {
  it('reports health', async () => {
    const res = await bed.app().request('/v1/health');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('publishes the public half of every key, active and retired, and no secret', async () => {
    const res = await bed.app().request('/v1/keys');
    const text = await res.text();
    const body = JSON.parse(text) as PublishedKeys;
    expect(body.suite).toBe('ristretto255-SHA512');
    expect(body.threshold).toBe(1);
    expect(body.keys.map((k) => [k.epoch, k.status])).toEqual([
      [1, 'active'],
      [2, 'retired'],
    ]);
    expect(body.keys[0]!.publicKey).toBe(toBase64url(wholeKey.publicKey));
    expect(body.keys[0]!.groupPublicKey).toBe(toBase64url(wholeKey.publicKey));
    expect(text).not.toContain(toBase64url(wholeKey.secretKey));
  });

  it('gives the top-level t and n of the newest active set, else of the newest retired one, else 1', () => {
    const record = (epoch: number, threshold: number, status: 'active' | 'retired') => ({
      epoch,
      shareIndex: 1,
      threshold,
      total: 5,
      publicKey: 'K',
      groupPublicKey: 'K',
      publicShares: ['K'],
      status,
      protection: 'none' as const,
      createdAt: TESTBED_NOON,
      retiredAt: null,
    });
    const top = (records: ReturnType<typeof record>[]) => {
      const { threshold, total } = publishKeys(records);
      return [threshold, total];
    };
    expect(top([record(1, 2, 'active'), record(2, 3, 'active'), record(3, 4, 'retired')])).toEqual([
      3, 5,
    ]);
    expect(top([record(1, 2, 'retired'), record(2, 3, 'retired')])).toEqual([3, 5]);
    expect(top([])).toEqual([1, 1]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await bed.app().request('/v1/evaluations');
    expect(res.status).toBe(404);
    expect(await codeOf(res)).toBe('NOT_FOUND');
  });
});

/** Every row of every table in the keyholder's schema (and drizzle's journal), as JSON. */
async function dumpDatabase(): Promise<string> {
  const listed = await bed.handle.db.execute(
    sql`select table_schema, table_name from information_schema.tables
        where table_type = 'BASE TABLE'
          and (table_schema = any(current_schemas(false)) or table_schema = 'drizzle')`,
  );
  const rowsOf = (r: unknown) =>
    (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const dump: Record<string, unknown[]> = {};
  for (const t of rowsOf(listed)) {
    const name = `${String(t['table_schema'])}.${String(t['table_name'])}`;
    const rows = await bed.handle.db.execute(
      sql`select * from ${sql.identifier(String(t['table_schema']))}.${sql.identifier(String(t['table_name']))}`,
    );
    dump[name] = rowsOf(rows);
  }
  return JSON.stringify(dump);
}

describe('privacy', () => {
  it('keeps no blinded element, evaluated element or proof in any table or log line', async () => {
    const a = await bed.agency(['checker']);
    for (const n of [1, 7, 3]) {
      const { res } = await evaluate(a, n);
      const response = await evaluationOf(res);
      response.evaluatedElements.forEach((e) => exchanged.add(toBase64url(e)));
      exchanged.add(toBase64url(response.proof));
    }
    const dump = await dumpDatabase();
    const logText = bed.logs.join('\n');
    // The dump really holds the keyholder's data: the counts of this agency are there.
    expect(dump).toContain(a.ori);
    expect(dump).toContain('quota_usage');
    expect(logText).toContain(a.ori);
    expect(exchanged.size).toBeGreaterThan(20);
    for (const value of exchanged) {
      const hex = Buffer.from(value, 'base64url').toString('hex');
      for (const form of [value, hex]) {
        expect(dump).not.toContain(form);
        expect(logText).not.toContain(form);
      }
    }
  });

  it('logs one JSON line per request with method, route, status, agency, count and duration', async () => {
    const lines: string[] = [];
    const app = bed.app({ log: (line) => lines.push(line) });
    const a = await bed.agency(['reporter']);
    const { body } = blindInputs(1, 3, 'log-test');
    const sent: [string, RequestInit][] = [
      ['/v1/evaluate', await signedInit(a, body, bed.now)],
      ['/v1/evaluate', { method: 'POST', body, headers: { 'content-type': 'application/json' } }],
      ['/v1/keys', {}],
      ['/v1/health?x=Garcia', {}],
      // An unknown path is caller-chosen text: an SSN-shaped one must not reach the log.
      ['/v1/123-45-6789/Garcia', {}],
    ];
    for (const [url, init] of sent) await app.request(url, init);
    const requests = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['event'] === 'request');
    expect(requests).toHaveLength(sent.length);
    for (const line of requests) {
      expect(Object.keys(line).sort()).toEqual(
        [
          'durationMs',
          'elements',
          'event',
          'level',
          'method',
          'ori',
          'route',
          'status',
          'time',
        ].sort(),
      );
      expect(typeof line['durationMs']).toBe('number');
    }
    expect(
      requests.map((l) => [l['method'], l['route'], l['status'], l['ori'], l['elements']]),
    ).toEqual([
      ['POST', '/v1/evaluate', 200, a.ori, 3],
      ['POST', '/v1/evaluate', 401, null, null],
      ['GET', '/v1/keys', 200, null, null],
      ['GET', '/v1/health', 200, null, null], // the route, never the query string
      ['GET', '/*', 404, null, null], // the pattern that answered, never the path
    ]);
    expect(lines.join('\n')).not.toContain('6789');
  });
});
