import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { formatTimestamp } from '../../protocol/common.js';
import { IntakeReceiptSchema } from '../../protocol/intake.js';
import {
  attestationPayload,
  enrollAgency,
  hubFixture,
  hubRequest,
  keyFromByte,
  postBatch,
  problemCode,
  rowCounts,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { registryService } from '../registry/registry.service.js';
import { attestationKeys, attestations } from './intake.table.js';
import { intakeService } from './intake.service.js';
import { transparencyLog } from '../tlog/tlog.service.js';
import { epochWindow } from '../epochs/epoch-window.js';

const fx = useHubFixture();
let reporter: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
});

const payload = (patch: Partial<AttestationPayload> = {}, issuer = reporter.ori) =>
  attestationPayload(issuer, fx.rng, fx.clock.now(), patch);
const signed = async (patch: Partial<AttestationPayload> = {}) =>
  signAttestation(payload(patch), reporter.key);

describe('intake of a valid batch', () => {
  it('stores every statement with its indexed columns and hub indexes, and answers one receipt each', async () => {
    const payloads = [payload(), payload({ category: 'decertification', useOfForce: false })];
    const statements = await Promise.all(payloads.map((p) => signAttestation(p, reporter.key)));
    const res = await postBatch(fx, reporter, statements);
    expect(res.status).toBe(200);
    const receipt = IntakeReceiptSchema.parse(await res.json());
    expect(receipt.receipts.map(({ log: _log, ...r }) => r)).toEqual(
      payloads.map((p) => ({
        id: p.id,
        status: 'accepted',
        receivedAt: formatTimestamp(fx.clock.now()),
      })),
    );
    // Leaves 1 and 2 of the log, after the reporter's enrollment (hub/tlog/intake-log.test.ts
    // verifies the evidence).
    expect(receipt.receipts.map((r) => r.log.index)).toEqual([1, 2]);
    const [row] = await fx.db
      .select()
      .from(attestations)
      .where(eq(attestations.id, payloads[1]!.id));
    expect(row).toMatchObject({
      issuer: reporter.ori,
      kid: reporter.key.kid,
      epoch: 1,
      category: 'decertification',
      useOfForce: false,
      outcomeDate: '2023-09-14',
      status: 'final',
      supersedes: null,
      supersededBy: null,
      jws: statements[1],
    });
    const keys = await fx.db
      .select()
      .from(attestationKeys)
      .where(eq(attestationKeys.attestationId, payloads[1]!.id));
    expect(keys.map((k) => `${k.kind}:${k.hubIndex}`).sort()).toEqual(
      payloads[1]!.tokens.keys.map((k) => `${k.kind}:${k.index}`).sort(),
    );
  });

  it('answers a resubmitted batch with the same receipts marked duplicate, writing nothing', async () => {
    const statements = [await signed(), await signed()];
    const first = (await (await postBatch(fx, reporter, statements)).json()) as {
      receipts: { id: string; receivedAt: string }[];
    };
    const before = await rowCounts(fx.db);
    fx.clock.advance(3600);
    const again = await postBatch(fx, reporter, statements);
    expect(again.status).toBe(200);
    const second = (await again.json()) as typeof first;
    expect(second.receipts).toEqual(first.receipts.map((r) => ({ ...r, status: 'duplicate' })));
    expect(await rowCounts(fx.db)).toEqual(before);
  });

  it('accepts a batch mixing a known statement and a new one', async () => {
    const known = await signed();
    await postBatch(fx, reporter, [known]);
    const res = await postBatch(fx, reporter, [known, await signed()]);
    const body = (await res.json()) as { receipts: { status: string }[] };
    expect(body.receipts.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect((await rowCounts(fx.db)).attestations).toBe(2);
  });

  it('links a statement to the one it supersedes, also within one batch', async () => {
    const notice = payload({ status: 'notice_sent', notified: true });
    fx.clock.advance(60);
    const final = payload({ supersedes: notice.id, status: 'final' });
    const res = await postBatch(fx, reporter, [
      await signAttestation(notice, reporter.key),
      await signAttestation(final, reporter.key),
    ]);
    expect(res.status).toBe(200);
    const [row] = await fx.db.select().from(attestations).where(eq(attestations.id, notice.id));
    expect(row!.supersededBy).toBe(final.id);
  });
});

describe('concurrent intake', () => {
  it('stores a statement sent twice at once only once: one accepted, one duplicate', async () => {
    // Both batches are validated before either is written, so the second write collides with
    // the first and takes the retry path.
    const intake = intakeService(fx.db, registryService(fx.db), {
      epochs: epochWindow([1]),
      log: transparencyLog(fx.db, { origin: 'hub.test/log', signingKey: fx.hubKey }),
      rng: fx.rng,
      beforeStore: barrier(2),
    });
    const statements = [await signed(), await signed()];
    const receipts = await Promise.all([
      intake.intake(statements, reporter.ori, fx.clock.now()),
      intake.intake(statements, reporter.ori, fx.clock.now()),
    ]);
    expect(receipts.flatMap((r) => r.receipts.map((x) => x.status)).sort()).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'duplicate',
    ]);
    expect((await rowCounts(fx.db)).attestations).toBe(2);
  });

  it('lets only one of two racing successors supersede a statement', async () => {
    const first = payload();
    await postBatch(fx, reporter, [await signAttestation(first, reporter.key)]);
    fx.clock.advance(60);
    const intake = intakeService(fx.db, registryService(fx.db), {
      epochs: epochWindow([1]),
      log: transparencyLog(fx.db, { origin: 'hub.test/log', signingKey: fx.hubKey }),
      rng: fx.rng,
      beforeStore: barrier(2),
    });
    const outcomes = await Promise.all(
      (['pending_appeal', 'overturned'] as const).map(async (status) => {
        const s = await signAttestation(payload({ status, supersedes: first.id }), reporter.key);
        return intake.intake([s], reporter.ori, fx.clock.now()).then(
          () => 'stored',
          (e: { code?: string; field?: string }) => `${e.code} ${e.field}`,
        );
      }),
    );
    expect(outcomes.sort()).toEqual(['CONFLICT attestations[0].supersedes', 'stored']);
    expect((await rowCounts(fx.db)).attestations).toBe(2);
  });
});

describe('the afterCommit seam (the crash test’s pause between COMMIT and receipt)', () => {
  it('runs once per stored batch, after the commit and before the receipt; not for duplicates', async () => {
    const seen: number[] = [];
    let answered = false;
    const intake = intakeService(fx.db, registryService(fx.db), {
      epochs: epochWindow([1]),
      log: transparencyLog(fx.db, { origin: 'hub.test/log', signingKey: fx.hubKey }),
      rng: fx.rng,
      // Another connection's view (PGlite: the same one, outside the transaction).
      afterCommit: async () => {
        expect(answered).toBe(false);
        seen.push((await rowCounts(fx.db)).attestations);
      },
    });
    const statements = [await signed(), await signed()];
    await intake.intake(statements, reporter.ori, fx.clock.now());
    answered = true;
    expect(seen).toEqual([2]);
    const again = await intake.intake(statements, reporter.ori, fx.clock.now());
    expect(again.receipts.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(seen).toEqual([2]);
  });
});

/** The first `n` calls wait until all `n` have arrived; later calls pass straight through. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived > n) return Promise.resolve();
    if (arrived === n) open();
    return opened;
  };
}

describe('intake refuses bad requests with a code and writes nothing', () => {
  it('from an unauthenticated, unknown, suspended or non-reporting agency', async () => {
    const body = JSON.stringify({ attestations: [await signed()] });
    const before = await rowCounts(fx.db);
    const none = await hubRequest(fx, 'POST', '/v1/attestations', null, body);
    expect(await problemCode(none)).toMatchObject({ status: 401, code: 'AUTH_MISSING' });
    const stranger = { ori: 'NY0000001', key: await keyFromByte(9) };
    const unknown = await hubRequest(fx, 'POST', '/v1/attestations', stranger, body);
    expect(await problemCode(unknown)).toMatchObject({ status: 401, code: 'AUTH_UNKNOWN_KEY' });
    const checker = await enrollAgency(fx.db, 'WA0000001', await keyFromByte(3), {
      roles: ['checker'],
    });
    const forbidden = await hubRequest(fx, 'POST', '/v1/attestations', checker, body);
    expect(await problemCode(forbidden)).toMatchObject({ status: 403, code: 'ROLE_REQUIRED' });
    const { registryService } = await import('../registry/registry.service.js');
    await registryService(fx.db).setStatus(reporter.ori, 'suspended', fx.clock.now());
    const suspended = await hubRequest(fx, 'POST', '/v1/attestations', reporter, body);
    expect(await problemCode(suspended)).toMatchObject({ status: 403, code: 'AGENCY_SUSPENDED' });
    expect(await rowCounts(fx.db)).toEqual(before);
  });

  it('for malformed JSON, unknown members and wrong types', async () => {
    for (const [body, code, field] of [
      ['{"attestations": [', 'MALFORMED_JSON', undefined],
      // Last-wins would read an empty batch here; another parser, the first one.
      ['{"attestations": ["x"], "attestations": []}', 'MALFORMED_JSON', 'attestations: duplicate'],
      ['{"attestations": [], "extra": 1}', 'VALIDATION_FAILED', 'extra: unknown_field'],
      ['{"attestations": "x"}', 'VALIDATION_FAILED', 'attestations: invalid_type'],
      ['{"attestations": ["not a jws"]}', 'VALIDATION_FAILED', 'attestations[0]: invalid_format'],
    ] as const) {
      const res = await hubRequest(fx, 'POST', '/v1/attestations', reporter, body);
      const p = await problemCode(res);
      expect([p.status, p.code]).toEqual([400, code]);
      if (field) expect(p.fields).toContain(field);
    }
    expect((await rowCounts(fx.db)).attestations).toBe(0);
  });

  it('for a body over the size limit and a batch over the batch limit', async () => {
    const small = await hubFixture(fx.db, { maxIntakeBytes: 2048, maxBatch: 2 });
    const three = [await signed(), await signed(), await signed()];
    const big = await postBatch(small, reporter, three);
    expect(await problemCode(big)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const roomy = await hubFixture(fx.db, { maxBatch: 2 });
    const many = await postBatch(roomy, reporter, three);
    expect(await problemCode(many)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: ['attestations: too_many'],
    });
    expect((await rowCounts(fx.db)).attestations).toBe(0);
  });
});
