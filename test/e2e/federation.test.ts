/**
 * The federation end to end, as real processes over real HTTP: the demo's story (keyholder, hub
 * and three agency nodes, each with its own PGlite data directory), then the privacy test —
 * every table and every log line of the hub and the keyholder, and every JWS payload in them
 * decoded, searched for every planted identifier in every normalization.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HUB_PAGES, runDemo, type DemoResult } from '../../bin/demo/demo.js';
import { describeEpochChangeover } from './epoch-changeover.js';
import { describeKeyholderAdmission } from './keyholder-admission.js';
import { describeLogTampering } from './log-tamper.js';
import { dumpDatabase, expectNoIdentifiers } from './privacy-support.js';

const SEED = 'spx-e2e';
const AS_OF = '2026-06-30';
let demo: DemoResult;
let output = '';

beforeAll(async () => {
  // Every service takes a free port from the operating system and reports it.
  demo = await runDemo({ seed: SEED, out: (t) => void (output += t) });
}, 600_000);

afterAll(async () => {
  for (const s of [...(demo?.services ?? [])].reverse()) await s.stop();
});

describe('the federation as separate processes', () => {
  it('tells the story: strong and moderate hits, a weak case for review, a clean candidate', () => {
    expect(demo.verdicts['clean']).toBe('no_record');
    // Another John Smith born the same day, with his own SSN: review, never a finding.
    expect(demo.verdicts['namesake']).toBe('review');
    // His only record is past its retention period: the hub lists nothing (docs/protocol.md §5.13).
    expect(demo.verdicts['expired']).toBe('no_record');
    expect(demo.verdicts['weak']).toBe('review');
    expect(demo.verdicts['strong']).not.toBe('no_record');
    expect(demo.verdicts['moderate']).not.toBe('no_record');
    expect(output).toContain('Match: strong');
    expect(output).toContain('Match: moderate');
    expect(output).toContain('Match: weak');
    expect(output).toMatch(/pointer/i);
  });

  it('releases statistics with real numbers: certified coverage, counts, signed and logged', () => {
    // Every agency, the thirty synthetic ones included, certified the last month: 100 %.
    expect(output).toMatch(/certified \d{4}-\d{2}: \d+ sworn officers/);
    expect(output).toMatch(/Coverage: agencies with 100 % of the known sworn officers/);
    expect(output).toMatch(/so the release publishes: full\./);
    expect(output).toMatch(/Release \d+, signed by the hub and entered in its log/);
    // Margins with real numbers: the synthetic agencies' thousands of outcomes, not all hidden.
    const chapter = output.slice(output.indexOf('6. Public statistics'), output.indexOf('7. A '));
    const counts = [...chapter.matchAll(/^ {4}\S+ +(\d+)$/gm)].map((m) => Number(m[1]));
    expect(Math.max(0, ...counts)).toBeGreaterThan(100);
  });

  it('credentials an agency, and the signed compliance report gives eligibility with reasons', () => {
    const { rows, summary } = demo.compliance;
    // The body's credential, the chief's affirmation, the tribal exemption; all certified on time.
    expect(rows.city).toMatchObject({ credential: 'credentialed', certification: 'on_time' });
    expect(rows.state).toMatchObject({ credential: 'in_process', certification: 'on_time' });
    expect(rows.tribal).toMatchObject({ credential: 'exempt', certification: 'on_time' });
    for (const row of Object.values(rows)) expect(row.bars).not.toContain('credential_missing');
    // The thirty synthetic agencies hold no credential: the non-tribal ones are barred for it.
    expect(summary.agencies).toBe(33);
    expect(summary.barredBy['credential_missing']).toBeGreaterThan(0);
    expect(summary.eligible).toBeLessThan(summary.agencies);
    expect(output).toMatch(/The hub's signed compliance report for \d{4}-\d{2} \(rule 1\):/);
    expect(output).toMatch(/✓ credentialed by an enrolled credentialing body/);
    expect(output).toMatch(/barred by credential_missing \d+/);
  });

  it("ends with every node's monitor verifying the hub's log and its own statements in it", () => {
    expect(demo.monitorOk).toEqual({ city: true, state: true, tribal: true });
    expect(output).toMatch(/entries verified and consistent/);
  });

  it('sends the appeal to the agency that checked, within one poll; a new check no longer counts it', () => {
    expect(demo.correction).toMatchObject({
      received: 1,
      verdictsChanged: 1,
      after: 'no_record',
      recheck: 'no_record',
    });
    expect(demo.correction.before).toBe(demo.verdicts['moderate']);
    expect(output).toMatch(/its earlier check [0-9a-f-]{36} is marked changed/);
  });

  it('tells the city, which opted in to monitoring, of a new record about an officer it employs', () => {
    // The city's node enrolled the new hire's hub indexes when it published its roster.
    expect(demo.monitoring.enrolled).toBeGreaterThan(0);
    expect(demo.monitoring).toMatchObject({
      notices: 1,
      change: 'reported',
      issuer: 'NM0999800',
      employeeIds: ['CITY-HIRE-0001'],
    });
    expect(output).toMatch(
      /Monitoring notice: reported by NM0999800 .* about its officer CITY-HIRE-0001/,
    );
  });

  it("serves the hub's public pages and the console from the built services", () => {
    for (const page of DEMO_HUB_PAGES) {
      expect(demo.pages.hub[page], page).toMatchObject({ status: 200 });
    }
    expect(demo.pages.hub['/statistics']?.type).toMatch(/^text\/html/);
    expect(demo.pages.hub['/statistics.csv']?.type).toMatch(/^text\/csv/);
    expect(demo.pages.hub['/openapi.json']?.type).toMatch(/^application\/json/);
    // The demo's investigator signs in to the city's console and lands on the candidate form.
    expect(demo.pages.console).toEqual({
      signIn: 303,
      landing: '/console/checks/new',
      form: 200,
      formHasCandidateFields: true,
    });
  });

  it('stops every service cleanly (exit code 0 on SIGTERM)', () => {
    expect(demo.services).toHaveLength(0);
    expect(demo.exitCodes).toEqual({ keyholder: 0, hub: 0, city: 0, state: 0, tribal: 0 });
  });
});

describe('privacy: no identifier reaches the hub or the keyholder', () => {
  it('finds none of the planted identifiers, in any normalization, in their storage or logs', async () => {
    await expectNoIdentifiers(await dumpDatabase(path.join(demo.dir, 'hub')), demo.dir, SEED);
  }, 120_000);
});

// Every tampering the issue lists, against the demo's hub restarted on altered data (each
// scenario works on its own copy of the demo's folders).
describeLogTampering(() => demo);

// The hub operator alone tries to use the keyholder: an agency of its own making, then a key of
// its own for a real agency.
describeKeyholderAdmission(() => demo, SEED, AS_OF);

// The keyholders move to a new key epoch in the middle of the story: every match survives it.
describeEpochChangeover(() => demo, SEED, AS_OF);
