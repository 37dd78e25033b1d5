/**
 * Shared by the keyholder's tests: agencies with real Ed25519 keys, signed requests as a node
 * sends them (docs/protocol.md §7), and a node's side of tokenization.
 */
import { randomBytes } from 'node:crypto';
import { toBase64url, utf8 } from '../crypto/encoding.js';
import {
  blindBatch,
  decodeEvaluationResponse,
  deriveKeyPair,
  type BlindState,
  type EvaluationResponse,
  type EvaluationResponseJson,
} from '../crypto/oprf/index.js';
import { formatAuthorization } from '../crypto/request-auth/authorization-header.js';
import { createRequestToken } from '../crypto/request-auth/request-token.js';
import { signingKeyFromSeed, type SigningKey } from '../crypto/signing/keys.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { openTestDatabase } from '../platform/db/test-db.js';
import type { AgencyRole, RegistryEntry } from '../protocol/registry-entry.js';
import { admissionsRepository } from './admissions.repository.js';
import { createKeyholderApp, type KeyholderAppDeps } from './app.js';
import { keyRepository } from './key-repository.js';
import { KEYHOLDER_MIGRATIONS } from './paths.js';
import { quotaRepository, utcDay } from './quota-repository.js';
import * as tables from './schema.js';

export const rng = (n: number) => new Uint8Array(randomBytes(n));

/** The audience of the testbed's keyholder: that of the base URL a node would call it at. */
export const TEST_KEYHOLDER_AUDIENCE = 'http://keyholder-1.test';

export interface TestAgency {
  readonly ori: string;
  readonly key: SigningKey;
  readonly entry: RegistryEntry;
}

export async function makeAgency(
  ori: string,
  seedByte: number,
  roles: AgencyRole[] = ['reporter', 'checker'],
  status: RegistryEntry['status'] = 'active',
): Promise<TestAgency> {
  const key = await signingKeyFromSeed(new Uint8Array(32).fill(seedByte));
  const entry = {
    ori,
    name: `Police Department ${ori}`,
    jurisdiction: 'local',
    state: ori.slice(0, 2),
    roles,
    keys: [{ kid: key.kid, status: 'active', jwk: key.publicJwk }],
    contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
    status,
  } as RegistryEntry;
  return { ori, key, entry };
}

export async function signedInit(
  agency: { ori: string; key: SigningKey },
  body: string,
  now: Date,
  options: { path?: string; audience?: string; contentType?: string } = {},
): Promise<RequestInit> {
  const token = await createRequestToken({
    key: agency.key,
    issuer: agency.ori,
    audience: options.audience ?? TEST_KEYHOLDER_AUDIENCE,
    method: 'POST',
    path: options.path ?? '/v1/evaluate',
    body: utf8(body),
    now,
    rng,
  });
  return {
    method: 'POST',
    body,
    headers: {
      authorization: formatAuthorization(token),
      'content-type': options.contentType ?? 'application/json',
    },
  };
}

/** Blinds `count` distinct match-key strings for `epoch`, as a node does before evaluation. */
export function blindInputs(
  epoch: number,
  count: number,
  label = 'k',
): { state: BlindState; body: string; blinded: string[] } {
  const inputs = Array.from({ length: count }, (_, i) => utf8(`SPX1|test|${label}-${i}`));
  const { state, request } = blindBatch(epoch, inputs, rng);
  const blinded = request.blindedElements.map(toBase64url);
  return { state, body: JSON.stringify({ epoch, blindedElements: blinded }), blinded };
}

export async function evaluationOf(res: Response): Promise<EvaluationResponse> {
  return decodeEvaluationResponse((await res.json()) as EvaluationResponseJson);
}

export async function codeOf(res: Response): Promise<string> {
  return ((await res.json()) as { code: string }).code;
}

/** One keyholder database with epoch 1 active and epoch 2 retired, and an app factory over it. */
export interface Testbed {
  readonly handle: DatabaseHandle<typeof tables>;
  readonly logs: string[];
  readonly registry: Map<string, RegistryEntry>;
  /** The apps' clock; tests move it. */
  now: Date;
  app(overrides?: Partial<KeyholderAppDeps>): ReturnType<typeof createKeyholderApp>;
  /**
   * A new agency, enrolled in the fake registry unless `enrolled` is false, and admitted by this
   * keyholder's operator (its key) unless `admitted` is false (default: as `enrolled`).
   */
  agency(
    roles?: AgencyRole[],
    status?: RegistryEntry['status'],
    enrolled?: boolean,
    admitted?: boolean,
  ): Promise<TestAgency>;
  /** Elements the agency had evaluated on the clock's UTC day. */
  used(ori: string): Promise<number>;
}

export const TESTBED_NOON = new Date('2026-05-01T12:00:00Z');
export const TESTBED_SEED = new Uint8Array(32).fill(7);

export async function openTestbed(): Promise<Testbed> {
  const handle = await openTestDatabase(KEYHOLDER_MIGRATIONS, { tables });
  const keys = keyRepository(handle.db, { rng });
  for (const epoch of [1, 2]) {
    const key = deriveKeyPair(TESTBED_SEED, epoch);
    await keys.add(
      { key, threshold: 1, groupPublicKey: key.publicKey, publicShares: [key.publicKey] },
      TESTBED_NOON,
    );
  }
  await keys.retire(2, TESTBED_NOON);
  let counter = 0;
  const bed: Testbed = {
    handle,
    logs: [],
    registry: new Map(),
    now: TESTBED_NOON,
    app: (overrides = {}) =>
      createKeyholderApp({
        db: handle.db,
        directory: { find: async (ori) => bed.registry.get(ori) },
        now: () => bed.now,
        rng,
        log: (line) => bed.logs.push(line),
        dailyQuota: 1000,
        audiences: [TEST_KEYHOLDER_AUDIENCE],
        ...overrides,
      }),
    async agency(roles = ['reporter'], status = 'active', enrolled = true, admitted = enrolled) {
      counter++;
      const ori = `CA${String(counter).padStart(7, '0')}`;
      const a = await makeAgency(ori, counter, roles, status);
      if (enrolled) bed.registry.set(a.ori, a.entry);
      if (admitted) await admissionsRepository(handle.db).admit(ori, a.key.kid, TESTBED_NOON, null);
      return a;
    },
    used: (ori) => quotaRepository(handle.db).used(ori, utcDay(bed.now)),
  };
  return bed;
}
