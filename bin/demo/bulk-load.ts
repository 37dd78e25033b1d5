/**
 * The demo's background: many synthetic agencies, each enrolled with the running hub through its
 * operator socket (as `spx hub enroll` does), reporting synthetic final outcomes and certifying
 * the last closed month — all from this process, so the demo still runs five services. Without
 * them the statistics release counts the three story agencies' few dozen outcomes, nearly all
 * suppressed (node/synthetic/bulk.ts says what the statements are, and are not).
 */
import { randomBytes } from 'node:crypto';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';
import {
  HUB_MIGRATIONS,
  hubTables,
  parseHubConfig,
  readSigningKeyFile,
  type HubOperations,
} from '../../hub/index.js';
import { localOperations } from '../../hub/operator/operations.js';
import { operatorClient } from '../../hub/operator/operator.client.js';
import { operatorSocketPath } from '../../hub/operator/operator-socket.js';
import { openDatabase } from '../../platform/db/open.js';
import { createHubClient } from '../../node/clients/hub-client.js';
import { bulkAgencies, bulkAttestations } from '../../node/synthetic/bulk.js';
import { seededRng } from '../../node/synthetic/index.js';
import { socketFetch } from '../../platform/operator-socket/socket-fetch.js';
import {
  lastClosedPeriod,
  type CertificationPayload,
  type PeriodLength,
} from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';

/**
 * The demo's certification period: a month, so that the certifications it makes today are on
 * time (a quarter closed more than 30 days ago would make every one late).
 */
export const DEMO_CERTIFICATION_PERIOD: PeriodLength = 'month';

/** Agencies and outcomes each: a few thousand statements in all. */
export const BULK_AGENCIES = 30;
export const BULK_OUTCOMES_PER_AGENCY = 100;
const BATCH = 250;

export interface BulkLoadResult {
  readonly agencies: number;
  readonly statements: number;
  readonly sworn: number;
}

export async function bulkLoad(options: {
  readonly hubUrl: string;
  /** The hub operator's environment (SPX_DATA_DIR or SPX_DATABASE_URL, …): where to enroll. */
  readonly hubCli: Readonly<Record<string, string>>;
  readonly seed: string;
  readonly epoch: number;
}): Promise<BulkLoadResult> {
  const rng = seededRng(`${options.seed}/bulk`);
  const agencies = bulkAgencies(BULK_AGENCIES, rng);
  const { operations, close } = await hubOperations(options.hubCli);
  try {
    return await load(operations, options, rng, agencies);
  } finally {
    await close();
  }
}

/**
 * The running hub's operations: through its operator socket while it runs on PGlite (its
 * database is locked), on its PostgreSQL database directly otherwise — as `spx hub` does.
 */
async function hubOperations(
  env: Readonly<Record<string, string>>,
): Promise<{ operations: Pick<HubOperations, 'enroll'>; close: () => Promise<void> }> {
  const dataDir = env['SPX_DATA_DIR'];
  if (dataDir !== undefined) {
    return {
      operations: operatorClient(socketFetch(operatorSocketPath(dataDir))),
      close: () => Promise.resolve(),
    };
  }
  const config = parseHubConfig(env);
  const handle = await openDatabase(config.database, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
  });
  const operations = localOperations(
    handle.db,
    () => new Date(),
    () => Promise.reject(new Error('the demo expunges nothing')),
    { signingKey: () => readSigningKeyFile(config.keyFile) },
  );
  return { operations, close: () => handle.close() };
}

async function load(
  operations: Pick<HubOperations, 'enroll'>,
  options: { readonly hubUrl: string; readonly epoch: number },
  rng: (n: number) => Uint8Array,
  agencies: ReturnType<typeof bulkAgencies>,
): Promise<BulkLoadResult> {
  const now = new Date();
  let statements = 0;
  for (const agency of agencies) {
    const key = await signingKeyFromSeed(rng(32));
    await operations.enroll({
      ori: agency.ori,
      name: agency.name,
      jurisdiction: agency.level,
      state: agency.state,
      roles: ['reporter'],
      jwk: key.publicJwk,
      contact: agency.contact,
    });
    const hub = createHubClient(options.hubUrl, {
      identity: { ori: agency.ori, key },
      fetch,
      now: () => new Date(),
      rng: (n) => new Uint8Array(randomBytes(n)),
    });
    const payloads = bulkAttestations(agency, BULK_OUTCOMES_PER_AGENCY, {
      rng,
      now,
      epoch: options.epoch,
      // Three years, four states: cells of some size, so the suppression leaves numbers to read.
      from: `${now.getUTCFullYear() - 2}-01-01`,
      to: formatTimestamp(now).slice(0, 10),
    });
    const signed = await Promise.all(
      payloads.map((p) =>
        signStatement(p as unknown as JsonObject, { typ: STATEMENT_TYPES.attestation, key }),
      ),
    );
    for (let i = 0; i < signed.length; i += BATCH) {
      await hub.submitAttestations({ attestations: signed.slice(i, i + BATCH) });
    }
    statements += signed.length;
    // Its statements were issued now, in the open month: the closed one is a zero report.
    const certification: CertificationPayload = {
      v: 1,
      id: newStatementId(now.getTime(), rng),
      issuer: agency.ori,
      period: lastClosedPeriod(now, DEMO_CERTIFICATION_PERIOD),
      sworn: agency.sworn,
      statements: 0,
      zeroReport: true,
      supersedes: null,
      issuedAt: formatTimestamp(now),
    };
    await hub.submitCertification({
      certification: await signStatement(certification as unknown as JsonObject, {
        typ: STATEMENT_TYPES.certification,
        key,
      }),
    });
  }
  return {
    agencies: agencies.length,
    statements,
    sworn: agencies.reduce((s, a) => s + a.sworn, 0),
  };
}
