/**
 * An OPRF key changeover at the hub (docs/protocol.md §4.8, docs/hub.md "Epochs"): both epochs
 * served during the window, re-stated records found under either, the old epoch retired at the
 * window's end.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { CheckAnswerSchema } from '../../protocol/check-answer.js';
import { formatTimestamp, type TokenKey } from '../../protocol/common.js';
import { ServedEpochsSchema } from '../../protocol/served-epochs.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { parseStatement } from '../../crypto/signing/index.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubIndex,
  hubRequest,
  keyFromByte,
  postBatch,
  postCheck,
  problemCode,
  signAttestation,
  START,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';

const WINDOW_END = new Date(START + 30 * 86_400_000);
const fx = useHubFixture({ config: { epochs: [1, 2], epochWindowEnd: WINDOW_END } });
let city: TestAgency;
let checker: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
});

/** The same officer's keys under another epoch: other hub indexes, the same kinds. */
const keysUnder = (epoch: number, keys: readonly TokenKey[]) => ({
  epoch,
  keys: keys.map((k) => ({ kind: k.kind, index: hubIndex(fx.rng) })),
});

async function publish(payload: AttestationPayload): Promise<AttestationPayload> {
  const res = await postBatch(fx, city, [await signAttestation(payload, city.key)]);
  expect(res.status, await res.clone().text()).toBe(200);
  return payload;
}

/** A later successor of `previous` with `patch` (a re-statement when only the tokens change). */
function successor(previous: AttestationPayload, patch: Partial<AttestationPayload>) {
  fx.clock.advance(60);
  return {
    ...previous,
    id: newStatementId(fx.clock.now().getTime(), fx.rng),
    supersedes: previous.id,
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
}

/** The statements a check under `tokens.epoch` with `tokens.keys` returns: id and status. */
async function check(tokens: AttestationPayload['tokens']) {
  const res = await postCheck(fx, checker, checkRequest(tokens.keys, { epoch: tokens.epoch }));
  if (res.status !== 200) return problemCode(res);
  const answer = CheckAnswerSchema.parse(await res.json());
  return answer.attestations.map((jws) => {
    const parsed = parseStatement(jws, ['spx-attestation+jws']);
    if (!parsed.ok) throw new Error('unreadable statement in the answer');
    const p = parsed.value.payload as unknown as AttestationPayload;
    return { id: p.id, epoch: p.tokens.epoch, status: p.status };
  });
}

describe('an epoch changeover at the hub', () => {
  it('publishes the served epochs and when the old one retires', async () => {
    const res = await hubRequest(fx, 'GET', '/v1/epochs', null);
    expect(ServedEpochsSchema.parse(await res.json())).toEqual({
      epochs: [
        { epoch: 1, retiresAt: formatTimestamp(WINDOW_END) },
        { epoch: 2, retiresAt: null },
      ],
    });
  });

  it('finds a re-stated record under the new epoch, and still under the old one during the window', async () => {
    const old = await publish(attestationPayload(city.ori, fx.rng, fx.clock.now()));
    const restated = await publish(successor(old, { tokens: keysUnder(2, old.tokens.keys) }));

    expect(await check(restated.tokens)).toEqual([{ id: restated.id, epoch: 2, status: 'final' }]);
    // The checker still on epoch 1 gets the statement of its epoch, which says the same.
    expect(await check(old.tokens)).toEqual([{ id: old.id, epoch: 1, status: 'final' }]);
  });

  it('stops answering a record under the old epoch once a newer statement changes it', async () => {
    const old = await publish(attestationPayload(city.ori, fx.rng, fx.clock.now()));
    const restated = await publish(successor(old, { tokens: keysUnder(2, old.tokens.keys) }));
    const reopened = await publish(
      successor(restated, { status: 'pending_appeal', statusDate: '2026-05-01' }),
    );

    expect(await check(reopened.tokens)).toEqual([
      { id: reopened.id, epoch: 2, status: 'pending_appeal' },
    ]);
    // Epoch 1's statement says `final`: no longer true, so never shown.
    expect(await check(old.tokens)).toEqual([]);
  });

  it('treats a successor under the same epoch as a change, whatever it says', async () => {
    const old = await publish(attestationPayload(city.ori, fx.rng, fx.clock.now()));
    const again = await publish(successor(old, {}));
    expect(await check(old.tokens)).toEqual([{ id: again.id, epoch: 1, status: 'final' }]);
  });

  it('refuses a successor that moves a record back to the older epoch', async () => {
    const old = await publish(attestationPayload(city.ori, fx.rng, fx.clock.now()));
    const restated = await publish(successor(old, { tokens: keysUnder(2, old.tokens.keys) }));
    const back = successor(restated, { tokens: keysUnder(1, old.tokens.keys) });
    const res = await postBatch(fx, city, [await signAttestation(back, city.key)]);
    expect(await problemCode(res)).toEqual({
      status: 409,
      code: 'SUPERSESSION_INVALID',
      fields: ['attestations[0].tokens.epoch: out_of_order'],
    });
  });

  it('retires the old epoch at the end of the window, for checks and intake alike', async () => {
    const old = await publish(attestationPayload(city.ori, fx.rng, fx.clock.now()));
    const restated = await publish(successor(old, { tokens: keysUnder(2, old.tokens.keys) }));

    fx.clock.ms = WINDOW_END.getTime();
    expect(await check(old.tokens)).toMatchObject({
      status: 422,
      code: 'EPOCH_UNKNOWN',
      fields: ['epoch: not_allowed'],
    });
    const late = attestationPayload(city.ori, fx.rng, fx.clock.now());
    const res = await postBatch(fx, city, [await signAttestation(late, city.key)]);
    expect(await problemCode(res)).toMatchObject({ status: 422, code: 'EPOCH_UNKNOWN' });
    expect(await check(restated.tokens)).toEqual([{ id: restated.id, epoch: 2, status: 'final' }]);
    const served = await hubRequest(fx, 'GET', '/v1/epochs', null);
    expect(await served.json()).toEqual({ epochs: [{ epoch: 2, retiresAt: null }] });
  });
});
