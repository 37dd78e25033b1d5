/**
 * The fast check path (docs/performance.md, "Hub checks") keeps every behaviour of the slow
 * one: the audit row of a miss is written by the matching statement itself, a check whose
 * matches are all withheld is still audited, a registry change made through the hub applies to
 * the very next check although entries are cached, a cosignature received appears in the next
 * answer although the checkpoint is cached; and the per-agency rate limit (docs/api.md
 * "Checks") refuses with 429 RATE_LIMITED and Retry-After.
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../crypto/note/index.js';
import { CheckAnswerSchema } from '../../protocol/check-answer.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import { registryService } from '../registry/registry.service.js';
import { agencies } from '../registry/registry.table.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubFixture,
  hubIndex,
  hubRequest,
  keyFromByte,
  postBatch,
  postCheck,
  problemCode,
  rowCounts,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { checkAudit } from './audit.table.js';
import { createRequestToken } from '../../crypto/request-auth/request-token.js';
import { formatAuthorization } from '../../crypto/request-auth/authorization-header.js';
import { utf8 } from '../../crypto/encoding.js';
import { requestReplay } from '../../platform/db/request-replay.js';

const fx = useHubFixture({ config: { checkRateLimit: { perMinute: 60, burst: 2 } } });
let reporter: TestAgency;
let checker: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
});

async function publish(patch: Parameters<typeof attestationPayload>[3] = {}) {
  const p = attestationPayload(reporter.ori, fx.rng, fx.clock.now(), patch);
  const res = await postBatch(fx, reporter, [await signAttestation(p, reporter.key)]);
  expect(res.status).toBe(200);
  return p;
}

const ssnOf = (p: Awaited<ReturnType<typeof publish>>) =>
  p.tokens.keys.find((k) => k.kind === 'ssn')!;

async function answer(res: Response) {
  expect(res.status).toBe(200);
  return CheckAnswerSchema.parse(await res.json());
}

describe('the audit on the fast path', () => {
  it('stores a miss, written by the matching statement, as answered with no match', async () => {
    const res = await postCheck(
      fx,
      checker,
      checkRequest([{ kind: 'ssn', index: hubIndex(fx.rng) }]),
    );
    await answer(res);
    expect(await fx.db.select().from(checkAudit)).toEqual([
      expect.objectContaining({
        requester: checker.ori,
        checkedAt: fx.clock.now(),
        outcome: 'answered',
        matchCount: 0,
        matchedAttestationIds: [],
        keyCount: 1,
      }),
    ]);
  });

  it('stores a check whose only match is withheld (pending, withheld by the hub) once', async () => {
    const pending = await publish({ status: 'pending_appeal' });
    const withholding = await hubFixture(fx.db, {
      pendingRule: { pending: 'withhold', withholdPendingStates: [] },
    });
    const res = await postCheck(withholding, checker, checkRequest([ssnOf(pending)]));
    expect((await answer(res)).attestations).toEqual([]);
    const rows = await fx.db.select().from(checkAudit);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'answered',
      matchCount: 0,
      matchedAttestationIds: [],
    });
  });

  it('stores a hit with the ids it listed, the ones corrections read', async () => {
    const a = await publish();
    const b = await publish();
    const res = await postCheck(fx, checker, checkRequest([ssnOf(a), ssnOf(b)]));
    expect((await answer(res)).attestations).toHaveLength(2);
    const [row] = await fx.db.select().from(checkAudit);
    expect(row).toMatchObject({ matchCount: 2 });
    expect([...row!.matchedAttestationIds].sort()).toEqual([a.id, b.id].sort());
  });
});

describe('the caches of the fast path', () => {
  it('apply a suspension made through the registry service to the next check', async () => {
    const request = checkRequest([{ kind: 'ssn', index: hubIndex(fx.rng) }]);
    await answer(await postCheck(fx, checker, request)); // the checker's entry is now cached
    // Another service instance on the same database, as the operator's commands use.
    await registryService(fx.db).setStatus(checker.ori, 'suspended', fx.clock.now());
    expect(await problemCode(await postCheck(fx, checker, request))).toMatchObject({
      status: 403,
      code: 'AGENCY_SUSPENDED',
    });
  });

  it('serve a change made behind the hub (another replica) only after their lifetime', async () => {
    let ms = 0;
    const registry = registryService(fx.db, { cacheMs: 1000, clock: () => ms });
    expect((await registry.find(checker.ori))?.status).toBe('active');
    // Written straight to the table, as a replica sharing the PostgreSQL would.
    await fx.db.update(agencies).set({ status: 'suspended' }).where(eq(agencies.ori, checker.ori));
    ms = 999;
    expect((await registry.find(checker.ori))?.status).toBe('active');
    ms = 1000;
    expect((await registry.find(checker.ori))?.status).toBe('suspended');
    const uncached = registryService(fx.db);
    await fx.db.update(agencies).set({ status: 'active' }).where(eq(agencies.ori, checker.ori));
    expect((await uncached.find(checker.ori))?.status).toBe('active');
  });

  it('carry a cosignature received through the hub in the next answer', async () => {
    const witness = await enrollAgency(fx.db, 'WA0000001', await keyFromByte(5), {
      roles: ['witness'],
    });
    const p = await publish();
    const request = checkRequest([ssnOf(p)]);
    const first = await answer(await postCheck(fx, checker, request));
    const note = parseSignedNote(first.log.checkpoint);
    expect(note.signatures).toHaveLength(1);
    const signer = noteSigner(
      witnessKeyName(witness.ori),
      new Uint8Array(32).fill(5),
      SIGNATURE_TYPE_COSIGNATURE_V1,
    );
    const size = Number(note.text.split('\n')[1]);
    const cosignature = cosignCheckpoint(note.text, signer, Math.floor(fx.clock.ms / 1000));
    const body = JSON.stringify({ size, cosignature });
    expect((await hubRequest(fx, 'POST', '/v1/log/cosignatures', witness, body)).status).toBe(200);
    const second = await answer(await postCheck(fx, checker, request));
    expect(parseSignedNote(second.log.checkpoint).signatures).toHaveLength(2);
  });

  it('never prove a statement against a cached checkpoint that does not cover it', async () => {
    const a = await publish();
    await answer(await postCheck(fx, checker, checkRequest([ssnOf(a)]))); // caches a checkpoint
    fx.clock.advance(61); // the rate limit refills; the cache lifetime is real time, not this
    const b = await publish();
    const res = await answer(await postCheck(fx, checker, checkRequest([ssnOf(b)])));
    const size = Number(parseSignedNote(res.log.checkpoint).text.split('\n')[1]);
    expect(res.log.inclusions[0]!.index).toBeLessThan(size);
  });
});

/** One signed check request, sendable several times (a replay). */
async function signedCheck(agency: TestAgency, body: string, app = fx.app) {
  const token = await createRequestToken({
    key: agency.key,
    issuer: agency.ori,
    audience: 'spx-hub',
    method: 'POST',
    path: '/v1/checks',
    body: utf8(body),
    now: fx.clock.now(),
    rng: fx.rng,
  });
  const headers = { authorization: formatAuthorization(token), 'content-type': 'application/json' };
  return () => app.request('/v1/checks', { method: 'POST', headers, body });
}

describe('single use, claimed by the matching statement', () => {
  it('refuses a replayed check with 401 AUTH_REPLAYED: no answer, no audit, no allowance', async () => {
    const p = await publish();
    const send = await signedCheck(checker, JSON.stringify(checkRequest([ssnOf(p)])));
    await answer(await send());
    const replayed = await send();
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('www-authenticate')).toBe('SPX');
    expect(await problemCode(replayed)).toMatchObject({ code: 'AUTH_REPLAYED' });
    const miss = await signedCheck(
      checker,
      JSON.stringify(checkRequest([{ kind: 'ssn', index: hubIndex(fx.rng) }])),
    );
    await answer(await miss());
    fx.clock.advance(1); // one check back (60 a minute)
    expect((await miss()).status).toBe(401);
    expect((await rowCounts(fx.db)).audit).toBe(2);
    // The replays took nothing: the check refilled above is still there, and only that one.
    await answer(await postCheck(fx, checker, checkRequest([ssnOf(p)])));
    expect((await postCheck(fx, checker, checkRequest([ssnOf(p)]))).status).toBe(429);
  });

  it("claims a hit's token with its audit row: of two at once, one answer and one row", async () => {
    const p = await publish();
    const send = await signedCheck(checker, JSON.stringify(checkRequest([ssnOf(p)])));
    const statuses = (await Promise.all([send(), send()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    expect(await fx.db.select().from(checkAudit)).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        matchCount: 1,
        matchedAttestationIds: [p.id],
      }),
    ]);
    expect(await fx.db.$count(requestReplay, eq(requestReplay.issuer, checker.ori))).toBe(1);
  });

  it('claims the token of a check whose matches are all withheld, and of a refused one', async () => {
    const pending = await publish({ status: 'pending_appeal' });
    const withholding = await hubFixture(fx.db, {
      pendingRule: { pending: 'withhold', withholdPendingStates: [] },
    });
    const withheld = await signedCheck(
      checker,
      JSON.stringify(checkRequest([ssnOf(pending)])),
      withholding.app,
    );
    expect((await answer(await withheld())).attestations).toEqual([]);
    expect((await withheld()).status).toBe(401);
    expect((await rowCounts(fx.db)).audit).toBe(1);

    const shared = hubIndex(fx.rng);
    const many = await Promise.all(
      Array.from({ length: 21 }, async () => {
        const q = attestationPayload(reporter.ori, fx.rng, fx.clock.now());
        const keys = [...q.tokens.keys.slice(0, 2), { kind: 'last_dob' as const, index: shared }];
        return signAttestation({ ...q, tokens: { ...q.tokens, keys } }, reporter.key);
      }),
    );
    expect((await postBatch(fx, reporter, many)).status).toBe(200);
    fx.clock.advance(1); // one check back under the rate limit (60 a minute)
    const refused = await signedCheck(
      checker,
      JSON.stringify(checkRequest([{ kind: 'last_dob', index: shared }])),
    );
    expect(await problemCode(await refused())).toMatchObject({ code: 'TOO_MANY_MATCHES' });
    expect(await problemCode(await refused())).toMatchObject({ code: 'AUTH_REPLAYED' });
    const rows = await fx.db.select().from(checkAudit);
    expect(rows.map((r) => r.outcome).sort()).toEqual(['answered', 'too_many_matches']);
  });

  it('takes over the row of an expired token with the same jti', async () => {
    const send = await signedCheck(
      checker,
      JSON.stringify(checkRequest([{ kind: 'ssn', index: hubIndex(fx.rng) }])),
    );
    await answer(await send());
    // As if the row were left by a token that expired long ago and pruning had not run yet.
    await fx.db.update(requestReplay).set({ expiresAt: 0 });
    await answer(await send());
    fx.clock.advance(1); // room under the rate limit for one more
    expect((await send()).status).toBe(401);
  });
});

describe('the per-agency check limit', () => {
  const request = () => checkRequest([{ kind: 'ssn', index: hubIndex(fx.rng) }]);

  it('refuses the check past the burst with 429, Retry-After and nothing audited', async () => {
    for (let i = 0; i < 2; i++) await answer(await postCheck(fx, checker, request()));
    const refused = await postCheck(fx, checker, request());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await problemCode(refused)).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await rowCounts(fx.db)).audit).toBe(2);
  });

  it('limits each agency on its own and refills at the configured rate', async () => {
    const other = await enrollAgency(fx.db, 'NY0300000', await keyFromByte(3), {
      roles: ['checker'],
    });
    for (let i = 0; i < 2; i++) await answer(await postCheck(fx, checker, request()));
    expect((await postCheck(fx, checker, request())).status).toBe(429);
    await answer(await postCheck(fx, other, request()));
    fx.clock.advance(1); // 60 a minute: one more check a second
    await answer(await postCheck(fx, checker, request()));
    expect((await postCheck(fx, checker, request())).status).toBe(429);
  });

  it('is not spent by a request that fails authentication', async () => {
    const forged = { ori: checker.ori, key: await keyFromByte(9) };
    for (let i = 0; i < 3; i++) {
      const res = await hubRequest(fx, 'POST', '/v1/checks', forged, JSON.stringify(request()));
      expect(res.status).toBe(401);
    }
    for (let i = 0; i < 2; i++) await answer(await postCheck(fx, checker, request()));
  });
});
