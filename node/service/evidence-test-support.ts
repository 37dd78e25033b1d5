/**
 * Test support for the check evidence bundle: a world where two agencies have reported a
 * planted candidate, and a check of that candidate through the node's POST /v1/checks
 * (testNodeApp: the city's node with the world's keyholders and hub), whose `evidence` the
 * tests keep, verify and tamper with.
 */
import { signingKeyFor } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import type { NodeApp } from './app.js';
import { CheckResponseSchema, type CheckBody, type CheckResponse } from '../api/check.js';
import { TEST_ADMIN_TOKEN } from './test-support.js';

/** The candidate both agencies reported; every value is searched for in the bundles. */
export const PLANTED = {
  firstName: 'Dana',
  middleName: 'Marguerite',
  lastName: 'Kowalczyk-Nowak',
  dob: '1988-03-14',
  ssn: '899-20-4417',
  license: { state: 'NM', number: 'P-700602' },
  aliases: [{ firstName: 'Dana', lastName: 'Brzezinska' }],
} satisfies CheckBody['candidate'];

/** PLANTED's values as they could leak: as given, normalized, and in other date/number forms. */
export const PLANTED_VALUES = {
  /** Short or common spellings: searched for case-sensitively. */
  exact: ['Dana', 'DANA', '1988-03-14', '19880314', '03141988', '899-20-4417', '899204417'],
  /** Searched for in any case. */
  anyCase: ['Marguerite', 'Kowalczyk', 'Nowak', 'Brzezinska', 'P-700602', 'P700602', 'SPX1|'],
};

/** A candidate nobody reported. */
export const CLEAN = {
  firstName: 'Rosalind',
  lastName: 'Ekwueme',
  dob: '1979-11-30',
  ssn: '455-71-2038',
} satisfies CheckBody['candidate'];

/** The world with PLANTED reported by the city (the checking node's agency) and the board. */
export async function plantedWorld(): Promise<World> {
  const world = await createWorld();
  await world.publish(world.city, PLANTED);
  await world.publish(world.board, PLANTED, { category: 'decertification' });
  return world;
}

/** The hub's key as an agency pins it: known independently of any answer or bundle. */
export async function pinnedHubKeys(): Promise<PublicKeyInfo[]> {
  const key = await signingKeyFor('world-hub');
  return [{ kid: key.kid, publicJwk: key.publicJwk }];
}

export interface CheckResult {
  readonly status: number;
  readonly body: CheckResponse;
}

/** POST /v1/checks on `app` for `candidate`; an answer that is not a check's throws. */
export async function checkThroughNode(
  app: NodeApp,
  candidate: CheckBody['candidate'],
  extra: Partial<Omit<CheckBody, 'candidate'>> = {},
): Promise<CheckResult> {
  const res = await app.request('/v1/checks', {
    method: 'POST',
    body: JSON.stringify({ candidate, purpose: 'hiring', consentRef: 'CONSENT-2025-17', ...extra }),
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: CheckResponseSchema.parse(await res.json()) };
}
