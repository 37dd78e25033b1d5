/**
 * The hub's retention notice reaching a node (docs/protocol.md §5.12.3, §5.13), with the real
 * hub app in process and an injected clock: the reporting agency's node is offline and never
 * publishes `expired`; the checking agency's node stored a check that listed the record. On the
 * due day the hub's pass queues a `past_retention` correction; the checker's node fetches it,
 * recomputes the due day itself, and marks its check changed (record_found → no_record). When
 * the reporting node comes back and publishes `expired`, the ordinary correction changes no
 * verdict. A notice for a record that is not due — the node's own computation says so — is
 * refused, however validly the hub signed it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import { newStatementId } from '../../protocol/statement-id.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  keyFromByte,
  postBatch,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../../hub/test-support.js';
import { mailboxService } from '../../hub/mailbox/mailbox.service.js';
import { sendRetentionNotices } from '../../hub/mailbox/retention-notices.js';
import { createHubClient, type HubClient } from '../../node/clients/hub-client.js';
import { seededRng } from '../../node/clients/test-support/deterministic.js';
import { createInbox, type Inbox } from '../../node/inbox/poll-inbox.js';
import {
  checkCorrections,
  checks,
  checksRepository,
  inboxMessages,
  type NodeTables,
} from '../../node/store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../../node/store/testing.js';

const fx = useHubFixture();
let node: DatabaseHandle<NodeTables>;
let city: TestAgency;
let checker: TestAgency;
let hub: HubClient;
let inbox: Inbox;

beforeAll(async () => {
  node = await openNodeTestDatabase();
});
afterAll(async () => {
  await node?.close();
});
beforeEach(async () => {
  await node.db.delete(checkCorrections);
  await node.db.delete(inboxMessages);
  await node.db.delete(checks);
  await clearNodeStore(node.db);
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
  const fetchToHub: typeof fetch = async (input, init) =>
    fx.app.request(input instanceof Request ? input : new Request(input, init));
  const now = () => fx.clock.now();
  hub = createHubClient('http://hub.test', {
    identity: { ori: checker.ori, key: checker.key },
    fetch: fetchToHub,
    now,
    rng: seededRng('node-retention-notice-hub'),
  });
  inbox = createInbox({
    db: node.db,
    hub,
    hubKeys: () => hub.hubKeys(),
    ori: checker.ori,
    now,
    log: createLogger(() => undefined, now),
  });
});

const setClock = (iso: string) => {
  fx.clock.ms = Date.parse(iso);
};
/** The hub's pass, as its service loop runs it, at the fixture's clock. */
const hubPass = () =>
  sendRetentionNotices(fx.db, mailboxService(fx.db, { signingKey: fx.hubKey }), fx.clock.now());

async function publish(payload: AttestationPayload): Promise<void> {
  const jws = await signAttestation(payload, city.key);
  expect((await postBatch(fx, city, [jws])).status).toBe(200);
}

/** A check by the checker's node, stored as the node stores an answered check. */
async function nodeCheck(record: AttestationPayload): Promise<{ id: string; listed: number }> {
  const answer = await hub.check(checkRequest([record.tokens.keys[0]!]));
  const payload = JSON.parse(
    Buffer.from(answer.response.split('.')[1]!, 'base64url').toString(),
  ) as CheckResponsePayload;
  const repo = checksRepository(node.db);
  const id = newStatementId(fx.clock.ms, fx.rng);
  await repo.create(
    {
      id,
      purpose: 'hiring',
      consentRef: 'consent/2026/0001',
      candidateRef: null,
      requestedBy: 'investigator',
    },
    fx.clock.now(),
  );
  await repo.recordAnswer(
    id,
    {
      hubCheckId: payload.checkId,
      responseJws: answer.response,
      verdict: payload.verdict,
      matchCount: payload.matches.length,
    },
    fx.clock.now(),
  );
  return { id, listed: payload.matches.length };
}

const stored = async (id: string) => checksRepository(node.db).get(id);

describe("the hub's retention notice at the checker's node", () => {
  it('changes the stored check on the due day, with the reporting node offline', async () => {
    // Final since 2023-11-01 (default rule: due 2030-11-01); checked on 2026-05-01.
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      statusDate: '2023-11-01',
    });
    await publish(record);
    const check = await nodeCheck(record);
    expect(check.listed).toBe(1);
    expect(await stored(check.id)).toMatchObject({ verdict: 'record_found', currentVerdict: null });

    setClock('2030-10-31T23:00:00Z');
    expect(await hubPass()).toEqual({ due: 0, notices: 0, monitoring: 0 });
    expect(await inbox.poll()).toMatchObject({ received: 0 });
    // The day before, a check still lists the record.
    expect((await nodeCheck(record)).listed).toBe(1);

    setClock('2030-11-01T00:10:00Z');
    // The due day: a new check no longer lists it; the earlier checks are told.
    expect((await nodeCheck(record)).listed).toBe(0);
    expect(await hubPass()).toEqual({ due: 1, notices: 2, monitoring: 0 });
    expect(await inbox.poll()).toMatchObject({
      received: 2,
      verdictsChanged: 2,
      acknowledged: 2,
    });
    expect(await stored(check.id)).toMatchObject({
      verdict: 'record_found',
      currentVerdict: 'no_record',
    });
    const [correction] = await node.db.select().from(checkCorrections).limit(1);
    expect(correction).toMatchObject({
      changes: [{ field: 'past_retention', from: 'final', to: '2030-11-01' }],
      verdictBefore: 'record_found',
      verdictAfter: 'no_record',
    });
    // Once: the hub's next pass sends nothing.
    setClock('2030-11-02T00:10:00Z');
    expect(await hubPass()).toEqual({ due: 0, notices: 0, monitoring: 0 });
    expect(await inbox.poll()).toMatchObject({ received: 0 });

    // The reporting node comes back and publishes the expiry: told again, no verdict changes.
    setClock('2030-11-20T12:00:00Z');
    await publish(
      attestationPayload(city.ori, fx.rng, fx.clock.now(), {
        tokens: record.tokens,
        supersedes: record.id,
        status: 'expired',
        statusDate: '2030-11-01',
      }),
    );
    expect(await inbox.poll()).toMatchObject({ received: 2, verdictsChanged: 0 });
    expect(await stored(check.id)).toMatchObject({ currentVerdict: 'no_record' });
  });

  it('hides a record past retention whatever correction brings its standing statement', async () => {
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      statusDate: '2023-11-01',
    });
    await publish(record);
    const check = await nodeCheck(record);
    // After the due day, before any pass of the hub, the agency flags a dispute instead of
    // expiring the record: its ordinary correction still shows a `final` statement.
    setClock('2030-11-05T12:00:00Z');
    await publish(
      attestationPayload(city.ori, fx.rng, fx.clock.now(), {
        tokens: record.tokens,
        supersedes: record.id,
        disputed: { since: '2030-11-04' },
      }),
    );
    expect(await inbox.poll()).toMatchObject({ received: 1, verdictsChanged: 1 });
    expect(await stored(check.id)).toMatchObject({ currentVerdict: 'no_record' });
  });

  it('refuses a past_retention notice for a record that is not due by its own reckoning', async () => {
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      statusDate: '2023-11-01',
    });
    await publish(record);
    const check = await nodeCheck(record);
    const jws = await signAttestation(record, city.key);
    // A hub (or a defect) claiming the record due years early: signed by the hub all the same.
    await mailboxService(fx.db, { signingKey: fx.hubKey }).send(
      fx.db,
      checker.ori,
      {
        type: 'correction',
        checkId: (await stored(check.id)).hubCheckId!,
        checkedAt: '2026-05-01T12:00:00Z',
        attestationId: record.id,
        current: jws,
        currentId: record.id,
        currentStatus: 'final',
        changes: [{ field: 'past_retention', from: 'final', to: '2026-05-01' }],
      },
      fx.clock.now(),
    );
    expect(await inbox.poll()).toMatchObject({ received: 1, verdictsChanged: 0, acknowledged: 1 });
    const [message] = await node.db.select().from(inboxMessages);
    expect(message).toMatchObject({ outcome: 'refused' });
    expect(message!.detail).toContain('not past retention');
    expect(await stored(check.id)).toMatchObject({ currentVerdict: null });
  });
});
