/**
 * The node's inbox (docs/node.md "Inbox") against the test world's hub: a check with a hit, the
 * reporting agency overturns the record, one poll marks the check as changed with both verdicts
 * and acknowledges the message; forged, misaddressed and replayed messages are refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import { createHubClient } from '../clients/index.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import { checkCorrections, checks, inboxMessages, type NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from '../service/app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import { createInbox, type Inbox } from './poll-inbox.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { InboxListResponseSchema } from '../api/inbox.js';

const CANDIDATE = {
  firstName: 'Dana',
  lastName: 'Kowalczyk',
  dob: '1988-03-14',
  ssn: '899-20-4417',
};
const OFFICER = { ...CANDIDATE, license: null, aliases: [] };

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;
let inbox: Inbox;
let logs: string[];

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

beforeEach(async () => {
  await handle.db.delete(checkCorrections);
  await handle.db.delete(inboxMessages);
  await handle.db.delete(checks);
  world = await createWorld();
  logs = [];
  const now = world.clock.now;
  const hub = createHubClient(HUB_URL, clientDeps(world.city, world.fetch, now));
  inbox = createInbox({
    db: handle.db,
    hub,
    hubKeys: () => hub.hubKeys(),
    ori: world.city.entry.ori,
    now,
    log: createLogger((line) => void logs.push(line), now),
  });
  app = testNodeApp(world, handle.db, { seed: 'inbox', pollInbox: () => inbox.poll() });
});

const api = (method: 'GET' | 'POST', path: string) =>
  app.request(path, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

async function checkCandidate(): Promise<string> {
  const res = await app.request('/v1/checks', {
    method: 'POST',
    body: JSON.stringify({ candidate: CANDIDATE, purpose: 'hiring', consentRef: 'CONSENT-2026-1' }),
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  const [row] = await handle.db.select().from(checks);
  return row!.id;
}

async function change(original: AttestationPayload, patch: Partial<AttestationPayload>) {
  world.clock.set('2025-04-01T12:00:00Z');
  return world.publish(world.board, OFFICER, {
    id: '01960000-0000-7000-8000-000000000001',
    supersedes: original.id,
    issuedAt: '2025-04-01T12:00:00Z',
    ...patch,
  });
}

describe('a correction reaches the node that checked', () => {
  it('marks the check changed with both verdicts, within one poll, and acknowledges', async () => {
    const original = await world.publish(world.board, OFFICER);
    const checkId = await checkCandidate();
    expect(await (await api('POST', '/v1/inbox/poll')).json()).toEqual({
      received: 0,
      verdictsChanged: 0,
      notices: 0,
      acknowledged: 0,
      expiredUnacknowledged: 0,
    });

    const overturned = await change(original, { status: 'overturned', statusDate: '2025-03-20' });
    const poll = await api('POST', '/v1/inbox/poll');
    expect(await poll.json()).toEqual({
      received: 1,
      verdictsChanged: 1,
      notices: 0,
      acknowledged: 1,
      expiredUnacknowledged: 0,
    });
    const [row] = await handle.db.select().from(checks);
    expect(row).toMatchObject({
      id: checkId,
      verdict: 'record_found',
      currentVerdict: 'no_record',
    });
    expect(world.hub.mailbox.every((m) => m.acknowledged)).toBe(true);

    const list = InboxListResponseSchema.parse(await (await api('GET', '/v1/inbox')).json());
    expect(list.messages).toMatchObject([
      {
        type: 'correction',
        outcome: 'applied',
        correction: {
          checkId,
          attestationId: original.id,
          currentId: overturned.id,
          currentStatus: 'overturned',
          changes: [{ field: 'status', from: 'final', to: 'overturned' }],
          verdictBefore: 'record_found',
          verdictAfter: 'no_record',
        },
      },
    ]);
    expect(logs.some((l) => l.includes('"check_corrected"'))).toBe(true);
  });

  it('compares a corrected record with the candidate again: an SSN fixed to another one contradicts', async () => {
    const original = await world.publish(world.board, OFFICER);
    await checkCandidate();
    // The board finds it recorded the wrong person's SSN on the statement and corrects it.
    world.clock.set('2025-04-01T12:00:00Z');
    await world.publish(
      world.board,
      { ...OFFICER, ssn: '899-20-4418' },
      {
        id: '01960000-0000-7000-8000-000000000002',
        supersedes: original.id,
        issuedAt: '2025-04-01T12:00:00Z',
      },
    );
    await api('POST', '/v1/inbox/poll');
    const [row] = await handle.db.select().from(checks);
    expect(row).toMatchObject({ verdict: 'record_found', currentVerdict: 'review' });
    const standing = Object.values(row!.currentMatches ?? {}).at(-1)!;
    expect(standing.match).toMatchObject({
      matchedKinds: ['name_dob', 'last_dob'],
      strength: 'moderate',
      contradictedKinds: ['ssn'],
    });
  });

  it('stores a message fetched twice once (a crash between store and ack)', async () => {
    const original = await world.publish(world.board, OFFICER);
    await checkCandidate();
    await change(original, { status: 'pending_appeal', notified: true });
    await inbox.poll();
    world.hub.mailbox[0]!.acknowledged = false; // the ack was lost: the hub serves it again
    const again = await inbox.poll();
    expect(again).toMatchObject({ received: 0, acknowledged: 1 });
    expect(await handle.db.$count(inboxMessages)).toBe(1);
    expect(await handle.db.$count(checkCorrections)).toBe(1);
  });

  it('keeps a correction for a check it does not know, and one of a type it does not know', async () => {
    await world.hub.send(world.city.entry.ori, {
      type: 'correction',
      checkId: '01960000-0000-7000-8000-0000000000ff',
      checkedAt: '2025-03-01T12:00:00Z',
      attestationId: '01960000-0000-7000-8000-0000000000fe',
      current: null,
      currentId: null,
      currentStatus: null,
      changes: [{ field: 'expunged', from: 'final', to: null }],
    });
    await world.hub.send(world.city.entry.ori, { type: 'record_request', envelope: 'opaque' });
    expect(await inbox.poll()).toMatchObject({ received: 2, acknowledged: 2 });
    const rows = await handle.db.select().from(inboxMessages).orderBy(inboxMessages.seq);
    expect(rows.map((r) => [r.type, r.outcome])).toEqual([
      ['correction', 'unknown_check'],
      ['record_request', 'unsupported'],
    ]);
  });

  it('refuses a correction whose statement is not signed by the reporting agency', async () => {
    const original = await world.publish(world.board, OFFICER);
    const checkId = await checkCandidate();
    const forged = await change(original, { status: 'retracted' });
    // The city (not the reporting board) signs a retraction of the board's record.
    const { signAttestation } = await import('../clients/test-support/attestations.js');
    const bySomeoneElse = await signAttestation(world.city, {
      ...forged,
      issuer: world.city.entry.ori,
    });
    const hubCheckId = (await handle.db.select().from(checks))[0]!.hubCheckId!;
    world.hub.mailbox.length = 0;
    await world.hub.send(world.city.entry.ori, {
      type: 'correction',
      checkId: hubCheckId,
      checkedAt: '2025-03-01T12:00:00Z',
      attestationId: original.id,
      current: bySomeoneElse,
      currentId: forged.id,
      currentStatus: 'retracted',
      changes: [{ field: 'status', from: 'final', to: 'retracted' }],
    });
    expect(await inbox.poll()).toMatchObject({ received: 1, verdictsChanged: 0, acknowledged: 1 });
    const [message] = await handle.db.select().from(inboxMessages);
    expect(message).toMatchObject({ outcome: 'refused' });
    expect(message!.detail).toMatch(/reporting agency/);
    const [row] = await handle.db.select().from(checks);
    expect(row).toMatchObject({ id: checkId, currentVerdict: null });
  });

  it('acknowledges nothing when a message is not signed by the hub, or is for another agency', async () => {
    // Signed by the hub for the board, served to the city.
    const message = await world.hub.send(world.board.entry.ori, { type: 'correction' });
    world.hub.mailbox[0] = { ...message, to: world.city.entry.ori };
    await expect(inbox.poll()).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
    expect(world.hub.mailbox[0]!.acknowledged).toBe(false);

    world.hub.mailbox.length = 0;
    const forged = await world.hub.send(world.city.entry.ori, { type: 'correction' });
    const [h, p] = forged.jws.split('.');
    forged.jws = `${h}.${p}.${'A'.repeat(86)}`;
    await expect(inbox.poll()).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
    expect(forged.acknowledged).toBe(false);
    expect(await handle.db.$count(inboxMessages)).toBe(0);
  });
});
