/**
 * What a check discloses (docs/protocol.md §5.8.4): retracted, overturned and expired records
 * are never listed; pending ones are listed as pending unless the hub's rule withholds them, for
 * every reporting agency or for those of listed states.
 */
import { describe, expect, it } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import { isDisclosed } from '../../protocol/disclosure.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubFixture,
  keyFromByte,
  postBatch,
  postCheck,
  signAttestation,
  useHubFixture,
  type HubFixture,
  type TestAgency,
} from '../test-support.js';

const fx = useHubFixture();

async function scenario(config: Parameters<typeof hubFixture>[1] = {}) {
  const app = await hubFixture(fx.db, config);
  const ca = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  const nm = await enrollAgency(fx.db, 'NM0010300', await keyFromByte(3), { roles: ['reporter'] });
  const checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), {
    roles: ['checker'],
  });
  return { app, ca, nm, checker };
}

async function publish(app: HubFixture, agency: TestAgency, ...ps: AttestationPayload[]) {
  const jws = await Promise.all(ps.map((p) => signAttestation(p, agency.key)));
  expect((await postBatch(app, agency, jws)).status).toBe(200);
}

async function listed(
  app: HubFixture,
  checker: TestAgency,
  keys: AttestationPayload['tokens']['keys'],
) {
  const res = await postCheck(app, checker, checkRequest(keys));
  expect(res.status).toBe(200);
  const { response } = (await res.json()) as { response: string };
  const payload = JSON.parse(
    Buffer.from(response.split('.')[1]!, 'base64url').toString(),
  ) as CheckResponsePayload;
  return payload.matches.map((m) => m.status);
}

describe('what a check discloses', () => {
  it('never lists an overturned record: the answer says no record and lists none', async () => {
    const { app, ca, checker } = await scenario({});
    const record = attestationPayload(ca.ori, app.rng, app.clock.now());
    await publish(app, ca, record);
    expect(await listed(app, checker, record.tokens.keys)).toEqual(['final']);
    app.clock.advance(60);
    const overturned = attestationPayload(ca.ori, app.rng, app.clock.now(), {
      tokens: record.tokens,
      supersedes: record.id,
      status: 'overturned',
      statusDate: '2024-02-01',
    });
    await publish(app, ca, overturned);
    expect(await listed(app, checker, record.tokens.keys)).toEqual([]);
  });

  it('lists pending records as pending by default', async () => {
    const { app, ca, checker } = await scenario({});
    const pending = attestationPayload(ca.ori, app.rng, app.clock.now(), {
      status: 'pending_appeal',
    });
    await publish(app, ca, pending);
    expect(await listed(app, checker, pending.tokens.keys)).toEqual(['pending_appeal']);
  });

  it("withholds pending records of the listed states' agencies, and all of them when told to", async () => {
    const { app, ca, nm, checker } = await scenario({
      pendingRule: { pending: 'show', withholdPendingStates: ['CA'] },
    });
    const inCa = attestationPayload(ca.ori, app.rng, app.clock.now(), {
      status: 'notice_sent',
      notified: false,
    });
    const inNm = attestationPayload(nm.ori, app.rng, app.clock.now(), {
      status: 'pending_appeal',
      tokens: inCa.tokens,
    });
    const finalInCa = attestationPayload(ca.ori, app.rng, app.clock.now(), { tokens: inCa.tokens });
    await publish(app, ca, inCa, finalInCa);
    await publish(app, nm, inNm);
    expect((await listed(app, checker, inCa.tokens.keys)).sort()).toEqual([
      'final',
      'pending_appeal',
    ]);

    const strict = await hubFixture(fx.db, {
      pendingRule: { pending: 'withhold', withholdPendingStates: [] },
    });
    expect(await listed(strict, checker, inCa.tokens.keys)).toEqual(['final']);
  });

  it('states the rule as a table: never, shown, pending', () => {
    expect(isDisclosed('retracted', 'hiring', 'CA')).toBe(false);
    expect(isDisclosed('overturned', 'internal', null)).toBe(false);
    expect(isDisclosed('expired', 'promotion', 'NM')).toBe(false);
    expect(
      isDisclosed('final', 'hiring', 'CA', { pending: 'withhold', withholdPendingStates: [] }),
    ).toBe(true);
    expect(
      isDisclosed('notice_sent', 'hiring', null, {
        pending: 'show',
        withholdPendingStates: ['CA'],
      }),
    ).toBe(true);
    expect(
      isDisclosed('notice_sent', 'hiring', 'CA', {
        pending: 'show',
        withholdPendingStates: ['CA'],
      }),
    ).toBe(false);
  });
});
