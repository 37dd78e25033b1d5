/**
 * Intake refuses a batch as a whole at its first bad statement (docs/protocol.md §5.5.4, §5.6.1):
 * the problem names the position and the check that failed, and nothing is written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { formatTimestamp } from '../../protocol/common.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  problemCode,
  rowCounts,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';

/** Before the fixture clock's start: a successor dated this is older than its predecessor. */
const START_MS = Date.parse('2026-05-01T11:59:00Z');

const fx = useHubFixture();
let reporter: TestAgency;
let other: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  other = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
});

const payload = (patch: Partial<AttestationPayload> = {}, issuer = reporter.ori) =>
  attestationPayload(issuer, fx.rng, fx.clock.now(), patch);
const signed = async (patch: Partial<AttestationPayload> = {}) =>
  signAttestation(payload(patch), reporter.key);

async function expectRefused(
  statements: string[],
  expected: { status: number; code: string; field: string },
  as: TestAgency = reporter,
) {
  const before = await rowCounts(fx.db);
  const res = await postBatch(fx, as, statements);
  const p = await problemCode(res);
  expect([p.status, p.code]).toEqual([expected.status, expected.code]);
  expect(p.fields.map((f) => f.split(':')[0])).toContain(expected.field);
  expect(await rowCounts(fx.db)).toEqual(before);
  return p;
}

describe('intake refuses the whole batch, names the position and writes nothing', () => {
  it('for a statement whose signature does not verify', async () => {
    const good = await signed();
    const bad = await signed();
    const [h, p, s] = bad.split('.') as [string, string, string];
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    await expectRefused([good, `${h}.${p}.${flipped}`], {
      status: 422,
      code: 'SIG_BAD_SIGNATURE',
      field: 'attestations[1]',
    });
  });

  it('naming the first bad statement in batch order, whichever check fails faster', async () => {
    const bad = await signed();
    const [h, p, s] = bad.split('.') as [string, string, string];
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    // The second refusal needs no signature check, so it is known before the first one.
    const foreign = await signAttestation(payload(), other.key);
    const refusal = await expectRefused([await signed(), `${h}.${p}.${flipped}`, foreign], {
      status: 422,
      code: 'SIG_BAD_SIGNATURE',
      field: 'attestations[1]',
    });
    expect(refusal.fields).toEqual(['attestations[1]: invalid_value']);
  });

  it("for a statement signed with another agency's key", async () => {
    const foreign = await signAttestation(payload(), other.key);
    await expectRefused([await signed(), foreign], {
      status: 422,
      code: 'SIG_UNKNOWN_KEY',
      field: 'attestations[1]',
    });
  });

  it('for a statement of another agency, properly signed by it', async () => {
    const theirs = await signAttestation(payload({}, other.ori), other.key);
    await expectRefused([await signed(), theirs], {
      status: 403,
      code: 'ISSUER_MISMATCH',
      field: 'attestations[1].issuer',
    });
  });

  it('for a statement of an epoch the hub does not accept', async () => {
    const p = payload();
    const stale = await signAttestation({ ...p, tokens: { ...p.tokens, epoch: 7 } }, reporter.key);
    await expectRefused([await signed(), await signed(), stale], {
      status: 422,
      code: 'EPOCH_UNKNOWN',
      field: 'attestations[2].tokens.epoch',
    });
  });

  it('for a statement that breaks the attestation schema', async () => {
    const invalid = await signAttestation(
      payload({ status: 'final', notified: false }),
      reporter.key,
    );
    const p = await expectRefused([await signed(), invalid], {
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'attestations[1].notified',
    });
    expect(p.fields).toEqual(['attestations[1].notified: not_allowed']);
  });

  it('for a statement with an unknown member', async () => {
    const extra = await signStatement(
      { ...(payload() as unknown as JsonObject), note: 'x' },
      { typ: 'spx-attestation+jws', key: reporter.key },
    );
    const p = await expectRefused([extra], {
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'attestations[0].note',
    });
    expect(p.fields).toEqual(['attestations[0].note: unknown_field']);
  });

  it('for a statement of another kind (typ)', async () => {
    const wrongKind = await signStatement(payload() as unknown as JsonObject, {
      typ: 'spx-check-response+jws',
      key: reporter.key,
    });
    await expectRefused([wrongKind], {
      status: 422,
      code: 'SIG_TYP_MISMATCH',
      field: 'attestations[0]',
    });
  });

  it('for a statement dated in the future', async () => {
    const future = await signAttestation(
      payload({ issuedAt: formatTimestamp(new Date(fx.clock.ms + 3600_000)) }),
      reporter.key,
    );
    await expectRefused([await signed(), future], {
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'attestations[1].issuedAt',
    });
  });

  it('for a statement superseding a statement the hub does not hold', async () => {
    const orphan = await signAttestation(
      payload({ status: 'retracted', supersedes: payload().id }),
      reporter.key,
    );
    await expectRefused([await signed(), orphan], {
      status: 409,
      code: 'SUPERSESSION_INVALID',
      field: 'attestations[1].supersedes',
    });
  });

  it('for a supersession that breaks the lifecycle', async () => {
    const first = payload();
    await postBatch(fx, reporter, [await signAttestation(first, reporter.key)]);
    fx.clock.advance(60);
    const retraction = payload({ status: 'retracted', supersedes: first.id });
    await postBatch(fx, reporter, [await signAttestation(retraction, reporter.key)]);
    fx.clock.advance(60);
    // retracted is terminal (§5.5.2); and a successor must be issued later than its predecessor.
    const revived = payload({ status: 'final', supersedes: retraction.id });
    const p = await expectRefused([await signAttestation(revived, reporter.key)], {
      status: 409,
      code: 'SUPERSESSION_INVALID',
      field: 'attestations[0].status',
    });
    expect(p.fields).toEqual(['attestations[0].status: not_allowed']);
    const backdated = payload({
      status: 'retracted',
      supersedes: first.id,
      issuedAt: formatTimestamp(new Date(START_MS)),
    });
    await expectRefused([await signAttestation(backdated, reporter.key)], {
      status: 409,
      code: 'SUPERSESSION_INVALID',
      field: 'attestations[0].issuedAt',
    });
  });

  it('for a second statement superseding the same statement', async () => {
    const first = payload();
    await postBatch(fx, reporter, [await signAttestation(first, reporter.key)]);
    fx.clock.advance(60);
    const appeal = await signAttestation(
      payload({ status: 'pending_appeal', supersedes: first.id }),
      reporter.key,
    );
    expect((await postBatch(fx, reporter, [appeal])).status).toBe(200);
    fx.clock.advance(60);
    const fork = await signAttestation(
      payload({ status: 'overturned', supersedes: first.id }),
      reporter.key,
    );
    await expectRefused([fork], {
      status: 409,
      code: 'CONFLICT',
      field: 'attestations[0].supersedes',
    });
  });

  it('for a different statement under an id the hub already holds', async () => {
    const original = payload();
    await postBatch(fx, reporter, [await signAttestation(original, reporter.key)]);
    const impostor = await signAttestation({ ...original, category: 'suspension' }, reporter.key);
    await expectRefused([await signed(), impostor], {
      status: 409,
      code: 'CONFLICT',
      field: 'attestations[1].id',
    });
  });

  it('for two different statements with the same id in one batch', async () => {
    const p = payload();
    await expectRefused(
      [
        await signAttestation(p, reporter.key),
        await signAttestation({ ...p, useOfForce: false }, reporter.key),
      ],
      { status: 409, code: 'CONFLICT', field: 'attestations[1].id' },
    );
  });
});
