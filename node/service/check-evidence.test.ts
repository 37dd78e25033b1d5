/**
 * POST /v1/checks returns `evidence`: the bundle a hiring file keeps to verify the check again
 * later without the hub — and nothing in it identifies the candidate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CheckEvidenceSchema, type CheckEvidence } from '../../protocol/check-evidence.js';
import { formatTimestamp } from '../../protocol/common.js';
import { safeDecode } from '../../protocol/decode.js';
import type { World } from '../clients/test-support/world.js';
import { verifyCheckEvidence } from '../check/index.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from './app.js';
import {
  checkThroughNode,
  CLEAN,
  pinnedHubKeys,
  PLANTED,
  PLANTED_VALUES,
  plantedWorld,
} from './evidence-test-support.js';
import { testNodeApp } from './test-support.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await plantedWorld();
  app = testNodeApp(world, handle.db, { seed: 'check-evidence' });
});
afterAll(async () => {
  await handle?.close();
});

/** The bundle's JSON text, searched for every form of the planted candidate's identifiers. */
function leaks(evidence: CheckEvidence): string[] {
  const text = JSON.stringify(evidence);
  return [
    ...PLANTED_VALUES.exact.filter((v) => text.includes(v)),
    ...PLANTED_VALUES.anyCase.filter((v) => text.toLowerCase().includes(v.toLowerCase())),
  ];
}

describe('POST /v1/checks evidence', () => {
  it('holds the request, the answer and the keys it was verified with, and verifies', async () => {
    const { status, body } = await checkThroughNode(app, PLANTED);
    expect(status).toBe(200);
    const decoded = safeDecode(CheckEvidenceSchema, body.evidence);
    expect(decoded.ok).toBe(true);
    const evidence = body.evidence;
    expect(evidence.answer).toEqual(body['answer']);
    expect(evidence.requester).toBe(world.city.entry.ori);
    expect(evidence.request.consentRef).toBe('CONSENT-2025-17');
    // The issuers of the two matches, as the registry gave them.
    expect(evidence.agencies).toEqual([world.city.entry, world.board.entry]);
    expect(evidence.hubKeys.keys.map((k) => k.kid)).toEqual(
      (await pinnedHubKeys()).map((k) => k.kid),
    );
    expect(evidence.logOrigin).toBe(world.hub.log.origin);
    expect(evidence.verifiedAt).toBe(formatTimestamp(world.clock.now()));

    const result = await verifyCheckEvidence(evidence, { hubKeys: await pinnedHubKeys() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The same verdict and matches the node showed when the answer arrived.
    expect(result.presentation).toEqual(body['result']);
    expect(result.presentation.verdict).toBe('record_found');
    expect(result.presentation.matches).toHaveLength(2);
  });

  it('contains none of the planted candidate’s identifiers, nor candidateRef or requestedBy', async () => {
    const { status, body } = await checkThroughNode(app, PLANTED, {
      candidateRef: 'HR-2291-KOWALCZYK',
      requestedBy: 'investigator.brzezinska',
    });
    expect(status).toBe(200);
    // The candidate was found: the bundle is one about them, with their hub indexes in it.
    expect(body.evidence.answer.attestations).toHaveLength(2);
    expect(body.evidence.request.keys.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['ssn', 'license', 'name_dob', 'last_dob']),
    );
    expect(leaks(body.evidence)).toEqual([]);
    expect(JSON.stringify(body.evidence)).not.toContain('HR-2291');
    expect(JSON.stringify(body.evidence)).not.toContain('investigator');
    // The search finds what is there: the route's reply beside the bundle echoes both.
    expect(leaks({ ...body.evidence, note: body['check'] } as unknown as CheckEvidence)).toEqual([
      'Kowalczyk',
      'Brzezinska',
    ]);
  });

  it('gives a clean check a bundle with no attestation and no agency, which verifies', async () => {
    const { status, body } = await checkThroughNode(app, CLEAN);
    expect(status).toBe(200);
    expect(body.evidence.agencies).toEqual([]);
    expect(body.evidence.answer.attestations).toEqual([]);
    const result = await verifyCheckEvidence(body.evidence, { hubKeys: await pinnedHubKeys() });
    expect(result.ok && result.presentation.verdict).toBe('no_record');
  });
});
