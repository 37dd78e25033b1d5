/**
 * Shared fixtures for the hub's tests (not itself a test file): a migrated test database with a
 * cleanup between tests (useHubFixture registers both), a settable clock, seeded randomness,
 * enrolled agencies with seeded keys, signed attestations over random hub indexes (the hub
 * cannot tell them from real ones), and requests signed with request tokens (docs/protocol.md §7).
 */
import { monitoringEnrollments, monitoringNotices } from './monitoring/monitoring.table.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { toBase64url, utf8 } from '../crypto/encoding.js';
import { formatAuthorization } from '../crypto/request-auth/authorization-header.js';
import { createRequestToken } from '../crypto/request-auth/request-token.js';
import { signStatement, type JsonObject } from '../crypto/signing/index.js';
import { signingKeyFromSeed, type SigningKey } from '../crypto/signing/keys.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { openTestDatabase } from '../platform/db/test-db.js';
import type { AttestationPayload } from '../protocol/attestation.js';
import type { CheckPolicy, CheckRequest } from '../protocol/check-request.js';
import { formatTimestamp, type TokenKey } from '../protocol/common.js';
import { newStatementId, type Rng } from '../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../protocol/statement-types.js';
import type { RegistryEntry } from '../protocol/registry-entry.js';
import { createHubApp } from './app.js';
import { DEFAULT_READ_CACHE_MS, type HubAppConfig } from './config.js';
import { agencyKeys, agencies } from './registry/registry.table.js';
import { attestationKeys, attestations } from './intake/intake.table.js';
import { certifications } from './certifications/certifications.table.js';
import { checkAudit } from './checks/audit.table.js';
import { mailboxExpired, mailboxMessages, retentionNotices } from './mailbox/mailbox.table.js';
import { requestReplay } from '../platform/db/request-replay.js';
import * as logTables from './tlog/tlog.table.js';
import { registryService } from './registry/registry.service.js';
import type { HubDatabase } from './database.js';
import { invalidateCache } from './cache/generations.js';
import * as tables from './schema.js';
import * as bodyTables from './credentials/bodies.table.js';
import * as credentialTables from './credentials/credentials.table.js';
import { HUB_MIGRATIONS } from './server.js';

export type HubTestHandle = DatabaseHandle<typeof tables>;

export function openHubTestDatabase(): Promise<HubTestHandle> {
  return openTestDatabase(HUB_MIGRATIONS, { tables });
}

/** Empties every hub table, children first. */
export async function clearHubTables(db: HubDatabase): Promise<void> {
  await db.delete(certifications);
  await db.delete(credentialTables.credentialRevocations);
  await db.delete(credentialTables.credentials);
  await db.delete(credentialTables.credentialAffirmations);
  await db.delete(bodyTables.credentialingBodyKeys);
  await db.delete(bodyTables.credentialingBodies);
  await db.delete(mailboxMessages);
  await db.delete(mailboxExpired);
  await db.delete(retentionNotices);
  await db.delete(monitoringEnrollments);
  await db.delete(monitoringNotices);
  await db.delete(checkAudit);
  await db.delete(attestationKeys);
  await db.delete(attestations);
  await db.delete(agencyKeys);
  await db.delete(agencies);
  await db.delete(requestReplay);
  await db.delete(logTables.logCosignatures);
  await db.delete(logTables.logCheckpoints);
  await db.delete(logTables.logEntries);
  await db.delete(logTables.logNodes);
  await db.delete(logTables.logHead);
  await db.delete(logTables.logExpungements);
  // Nothing a hub read before the reset may be served after it.
  invalidateCache(db);
}

/** Deterministic bytes: SHA-256 of (label, counter) blocks. */
export function seededRng(label: string): Rng {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) {
      out.set(sha256(utf8(`${label}:${counter++}`)).subarray(0, Math.min(32, n - i)), i);
    }
    return out;
  };
}

export class TestClock {
  constructor(public ms: number) {}
  readonly now = (): Date => new Date(this.ms);
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export const START = Date.parse('2026-05-01T12:00:00Z');

export const keyFromByte = (b: number): Promise<SigningKey> =>
  signingKeyFromSeed(new Uint8Array(32).fill(b));

export const TEST_APP_CONFIG: HubAppConfig = {
  epochs: [1, 2],
  statsMinCell: 3,
  maxIntakeBytes: 9 * 1024 * 1024,
  maxCheckBytes: 64 * 1024,
  maxBatch: 500,
  logOrigin: 'hub.test/log',
  // As the hub runs by default: every test sees the caches' effects (a change through the hub
  // must still apply at once).
  readCacheMs: DEFAULT_READ_CACHE_MS,
};

export interface HubFixture {
  readonly app: Hono;
  readonly db: HubDatabase;
  readonly clock: TestClock;
  readonly rng: Rng;
  readonly hubKey: SigningKey;
  readonly logs: string[];
}

export async function hubFixture(
  db: HubDatabase,
  config: Partial<HubAppConfig> = {},
): Promise<HubFixture> {
  const clock = new TestClock(START);
  const rng = seededRng('hub');
  const hubKey = await keyFromByte(0xaa);
  const logs: string[] = [];
  const app = createHubApp({
    db,
    signingKey: hubKey,
    config: { ...TEST_APP_CONFIG, ...config },
    now: clock.now,
    rng,
    log: (line) => void logs.push(line),
  });
  return { app, db, clock, rng, hubKey, logs };
}

/** The fixture of the test being run, plus the database handle under it. */
export interface LiveHubFixture extends HubFixture {
  /** The test database (for a command that is handed a handle to open and close). */
  readonly handle: HubTestHandle;
}

export interface UseHubFixtureOptions {
  /** Overrides of TEST_APP_CONFIG for the suite's app. */
  readonly config?: Partial<HubAppConfig>;
  /** Empties the database before each test (default: clearHubTables). */
  readonly clear?: (db: HubDatabase) => Promise<void>;
}

/**
 * The set-up most hub suites share, registered as hooks of the calling file: the test database
 * opened once and closed after the suite; before each test, its tables emptied and a fresh
 * fixture built (hubFixture: app, clock at START, seeded rng, hub key, log lines). The object
 * returned reads through to the current test's fixture, so a suite keeps one `fx` and its own
 * `beforeEach` (enrolling agencies, registered after this call) runs once the fixture is built.
 */
export function useHubFixture(options: UseHubFixtureOptions = {}): LiveHubFixture {
  const clear = options.clear ?? clearHubTables;
  let handle: HubTestHandle | undefined;
  let current: HubFixture | undefined;
  beforeAll(async () => {
    handle = await openHubTestDatabase();
  });
  afterAll(() => handle?.close());
  beforeEach(async () => {
    await clear(opened().db);
    current = await hubFixture(opened().db, options.config);
  });
  function opened(): HubTestHandle {
    if (handle === undefined) throw new Error('useHubFixture: the test database is not open yet');
    return handle;
  }
  function built(): HubFixture {
    if (current === undefined) throw new Error('useHubFixture: read the fixture inside a test');
    return current;
  }
  return {
    get handle() {
      return opened();
    },
    get db() {
      return opened().db;
    },
    get app() {
      return built().app;
    },
    get clock() {
      return built().clock;
    },
    get rng() {
      return built().rng;
    },
    get hubKey() {
      return built().hubKey;
    },
    get logs() {
      return built().logs;
    },
  };
}

export interface TestAgency {
  readonly ori: string;
  readonly key: SigningKey;
  readonly entry: RegistryEntry;
}

export async function enrollAgency(
  db: HubDatabase,
  ori: string,
  key: SigningKey,
  patch: { roles?: string[]; jurisdiction?: string; state?: string | null; name?: string } = {},
  now = new Date(START),
): Promise<TestAgency> {
  const entry = await registryService(db).enroll(
    {
      ori,
      name: patch.name ?? `Agency ${ori}`,
      jurisdiction: patch.jurisdiction ?? 'local',
      state: patch.state === undefined ? ori.slice(0, 2) : patch.state,
      roles: patch.roles ?? ['reporter', 'checker'],
      jwk: key.publicJwk,
      contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
    },
    now,
  );
  return { ori, key, entry };
}

/** A random 32-byte hub index, as base64url. */
export const hubIndex = (rng: Rng): string => toBase64url(rng(32));

export function attestationPayload(
  issuer: string,
  rng: Rng,
  now: Date,
  patch: Partial<AttestationPayload> = {},
): AttestationPayload {
  return {
    v: 1,
    id: newStatementId(now.getTime(), rng),
    issuer,
    tokens: {
      epoch: 1,
      keys: [
        { kind: 'ssn', index: hubIndex(rng) },
        { kind: 'name_dob', index: hubIndex(rng) },
        { kind: 'last_dob', index: hubIndex(rng) },
      ],
    },
    categoryList: 1,
    category: 'termination',
    useOfForce: true,
    eventDate: '2023-04-02',
    outcomeDate: '2023-09-14',
    status: 'final',
    statusDate: '2023-11-01',
    notified: true,
    disputed: null,
    supersedes: null,
    localRef: 'IA-2023-0042',
    issuedAt: formatTimestamp(now),
    ...patch,
  };
}

export function signAttestation(payload: AttestationPayload, key: SigningKey): Promise<string> {
  return signStatement(payload as unknown as JsonObject, {
    typ: STATEMENT_TYPES.attestation,
    key,
  });
}

/** A request to the hub app, signed as `issuer` with `key` (or unsigned when key is null). */
export async function hubRequest(
  fx: Pick<HubFixture, 'app' | 'clock' | 'rng'>,
  method: 'GET' | 'POST',
  path: string,
  signer: { key: SigningKey; ori: string } | null,
  body?: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Response> {
  const bytes = typeof body === 'string' ? utf8(body) : body;
  const all: Record<string, string> = { ...headers };
  if (signer !== null) {
    const token = await createRequestToken({
      key: signer.key,
      issuer: signer.ori,
      audience: 'spx-hub',
      method,
      path,
      body: bytes,
      now: fx.clock.now(),
      rng: fx.rng,
    });
    all['authorization'] = formatAuthorization(token);
  }
  return fx.app.request(path, {
    method,
    headers: all,
    ...(bytes === undefined ? {} : { body: bytes }),
  });
}

export const postBatch = (fx: HubFixture, agency: TestAgency, statements: string[]) =>
  hubRequest(fx, 'POST', '/v1/attestations', agency, JSON.stringify({ attestations: statements }));

export const STRICT_POLICY: CheckPolicy = {
  categoryList: 1,
  disqualifying: ['decertification', 'criminal_conviction_on_duty', 'termination'],
  review: ['resignation_under_investigation', 'retirement_under_investigation', 'suspension'],
  otherCategories: 'review',
  useOfForce: 'at_least_review',
  findingStrength: 'moderate',
  lookbackYears: null,
  disputed: 'count',
};

export function checkRequest(keys: TokenKey[], patch: Partial<CheckRequest> = {}): CheckRequest {
  return {
    purpose: 'hiring',
    consentRef: 'consent/2026/0001',
    epoch: 1,
    keys,
    policy: STRICT_POLICY,
    ...patch,
  };
}

export const postCheck = (fx: HubFixture, agency: TestAgency, body: unknown) =>
  hubRequest(fx, 'POST', '/v1/checks', agency, JSON.stringify(body));

export async function rowCounts(db: HubDatabase) {
  const [a, k, au] = await Promise.all([
    db.$count(attestations),
    db.$count(attestationKeys),
    db.$count(checkAudit),
  ]);
  return { attestations: a, keys: k, audit: au };
}

export async function problemCode(res: Response): Promise<{
  status: number;
  code: string;
  fields: string[];
}> {
  const body = (await res.json()) as { code: string; errors?: { field: string; code: string }[] };
  return {
    status: res.status,
    code: body.code,
    fields: (body.errors ?? []).map((e) => `${e.field}: ${e.code}`),
  };
}
