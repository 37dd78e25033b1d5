/**
 * The demo's story with the hub on PostgreSQL, as real processes over real HTTP: the same ten
 * chapters as test/e2e/federation.test.ts (whose hub runs on PGlite) — checks, the statistics
 * release, the correction and the monitoring notice through the mailbox, retention, the
 * credential and the compliance report, every node's log monitor — then the privacy test over
 * every table of the hub's schema. The keyholder and the nodes keep PGlite. The log-tampering,
 * admission and epoch-changeover scenarios, which rewrite the hub's data directory, run on
 * PGlite only.
 *
 * Runs where SPX_E2E_POSTGRES_URL names a server (vitest.e2e.config.ts passes
 * SPX_TEST_DATABASE_URL on); the hub uses a fresh schema named like the test databases'
 * (platform/db/test-db.ts, so a killed run's schema is swept a day later), dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../../bin/demo/demo.js';
import { testSchemaName } from '../../platform/db/test-db.js';
import { dumpPostgresSchema, expectNoIdentifiers } from './privacy-support.js';

const POSTGRES_URL = process.env['SPX_E2E_POSTGRES_URL'];
const SEED = 'spx-e2e';
const schema = testSchemaName(Date.now(), randomBytes(6));
let demo: DemoResult | undefined;
let output = '';

beforeAll(async () => {
  if (!POSTGRES_URL) return;
  demo = await runDemo({
    seed: SEED,
    hubDatabase: { url: POSTGRES_URL, schema },
    out: (t) => void (output += t),
  });
}, 600_000);

afterAll(async () => {
  for (const s of [...(demo?.services ?? [])].reverse()) await s.stop();
  if (!POSTGRES_URL) return;
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => undefined });
  try {
    await sql`drop schema if exists ${sql(schema)} cascade`;
  } finally {
    await sql.end();
  }
});

describe.skipIf(!POSTGRES_URL)('the federation with the hub on PostgreSQL', () => {
  it('tells the same story: hits, review for the weak case and the namesake, nothing past retention', () => {
    expect(demo!.verdicts).toMatchObject({
      clean: 'no_record',
      namesake: 'review',
      expired: 'no_record',
      weak: 'review',
    });
    expect(demo!.verdicts['strong']).not.toBe('no_record');
    expect(demo!.verdicts['moderate']).not.toBe('no_record');
  });

  it('releases a certified table, signed and logged', () => {
    expect(output).toMatch(/Coverage: agencies with 100 % of the known sworn officers/);
    expect(output).toMatch(/Release \d+, signed by the hub and entered in its log/);
  });

  it('delivers the correction and the monitoring notice through the hub’s mailbox', () => {
    expect(demo!.correction).toMatchObject({
      received: 1,
      verdictsChanged: 1,
      after: 'no_record',
      recheck: 'no_record',
    });
    expect(demo!.correction.before).toBe(demo!.verdicts['moderate']);
    expect(demo!.monitoring.enrolled).toBeGreaterThan(0);
    expect(demo!.monitoring).toMatchObject({
      notices: 1,
      change: 'reported',
      issuer: 'NM0999800',
      employeeIds: ['CITY-HIRE-0001'],
    });
  });

  it('reads the credential, the affirmation and the exemption into the compliance report', () => {
    const { rows, summary } = demo!.compliance;
    expect(rows.city).toMatchObject({ credential: 'credentialed', certification: 'on_time' });
    expect(rows.state).toMatchObject({ credential: 'in_process', certification: 'on_time' });
    expect(rows.tribal).toMatchObject({ credential: 'exempt', certification: 'on_time' });
    expect(summary.agencies).toBe(33);
    expect(summary.barredBy['credential_missing']).toBeGreaterThan(0);
  });

  it("ends with every node's monitor verifying the hub's log, and every service stopped cleanly", () => {
    expect(demo!.monitorOk).toEqual({ city: true, state: true, tribal: true });
    expect(demo!.exitCodes).toEqual({ keyholder: 0, hub: 0, city: 0, state: 0, tribal: 0 });
  });

  it('leaves no planted identifier in the hub’s schema, the keyholder or their logs', async () => {
    await expectNoIdentifiers(await dumpPostgresSchema(POSTGRES_URL!, schema), demo!.dir, SEED);
  }, 120_000);
});
