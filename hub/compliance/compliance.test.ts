/**
 * The compliance report over a real hub database (PGlite, or PostgreSQL with
 * SPX_TEST_DATABASE_URL): statements and certifications submitted over HTTP, the report read as
 * of a moment, signed by the hub, reproducible — computed twice, after later data arrived, and
 * from a hub rebuilt by replaying the same signed submissions — and the same through the
 * operator API as on the database, refusals included.
 */
import { Command } from 'commander';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signDetached, verifyDetached } from '../../crypto/signing/detached.js';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import { utf8 } from '../../crypto/encoding.js';
import type { CliIo } from '../../platform/cli/cli-io.js';
import type { CertificationPayload } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { CredentialStandingSource } from '../../protocol/credential-standing.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { certificationsRepository } from '../certifications/certifications.repository.js';
import { registerHubCommands } from '../cli.js';
import { mailboxService } from '../mailbox/mailbox.service.js';
import { localOperations, type HubOperations } from '../operator/operations.js';
import { operatorClient } from '../operator/operator.client.js';
import { createOperatorApp } from '../operator/operator.routes.js';
import { registryService } from '../registry/registry.service.js';
import { writeNewSigningKeyFile } from '../signing-key/signing-key.js';
import {
  attestationPayload,
  clearHubTables,
  enrollAgency,
  hubFixture,
  hubRequest,
  keyFromByte,
  seededRng,
  signAttestation,
  useHubFixture,
  type HubFixture,
  type TestAgency,
} from '../test-support.js';
import type { ComplianceReport } from './compliance-report.js';
import { COMPLIANCE_SIGNATURE_TYP } from './compliance.service.js';
import { standingWithoutRecord } from './credential-sources.js';

const fx = useHubFixture();

interface Cast {
  city: TestAgency;
  county: TestAgency;
  tribe: TestAgency;
  absent: TestAgency;
}

/** One submission as sent: replayed as it is on a rebuilt hub. */
interface Sent {
  at: string;
  path: '/v1/attestations' | '/v1/certifications';
  who: keyof Cast;
  body: string;
}

async function enrollCast(db: HubFixture['db']): Promise<Cast> {
  return {
    city: await enrollAgency(db, 'CA0194200', await keyFromByte(1)),
    county: await enrollAgency(db, 'TX2270100', await keyFromByte(2)),
    tribe: await enrollAgency(db, 'AZ0000700', await keyFromByte(3), {
      jurisdiction: 'tribal',
      state: null,
    }),
    absent: await enrollAgency(db, 'NM0010300', await keyFromByte(4)),
  };
}

async function send(f: HubFixture, cast: Cast, s: Sent): Promise<Response> {
  f.clock.ms = Date.parse(s.at);
  const res = await hubRequest(f, 'POST', s.path, cast[s.who], s.body);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res;
}

/**
 * The story of 2026-Q2 (deadline 2026-07-30): the city reports a final decision 2 days after it,
 * re-states it a month later (counted once), reports another 42 days after it (late), and
 * certifies on time; the county files a late zero report; the tribe an on-time zero report;
 * one agency never certifies. Returns what was sent, in order.
 */
async function story(f: HubFixture, cast: Cast): Promise<Sent[]> {
  const sent: Sent[] = [];
  const attest = async (at: string, patch: Parameters<typeof attestationPayload>[3]) => {
    f.clock.ms = Date.parse(at);
    const p = attestationPayload(cast.city.ori, f.rng, f.clock.now(), patch);
    const s: Sent = {
      at,
      path: '/v1/attestations',
      who: 'city',
      body: JSON.stringify({ attestations: [await signAttestation(p, cast.city.key)] }),
    };
    await send(f, cast, s);
    sent.push(s);
    return p;
  };
  const certify = async (who: keyof Cast, at: string, patch: Partial<CertificationPayload>) => {
    const payload: CertificationPayload = {
      v: 1,
      id: newStatementId(Date.parse(at), f.rng),
      issuer: cast[who].ori,
      period: '2026-Q2',
      sworn: 30,
      statements: 0,
      zeroReport: true,
      supersedes: null,
      issuedAt: at,
      ...patch,
    };
    const jws = await signStatement(payload as unknown as JsonObject, {
      typ: STATEMENT_TYPES.certification,
      key: cast[who].key,
    });
    const s: Sent = {
      at,
      path: '/v1/certifications',
      who,
      body: JSON.stringify({ certification: jws }),
    };
    await send(f, cast, s);
    sent.push(s);
    return payload;
  };
  const first = await attest('2026-05-12T09:00:00Z', {
    eventDate: '2026-02-01',
    outcomeDate: '2026-05-10',
    statusDate: '2026-05-10',
  });
  await attest('2026-06-11T09:00:00Z', {
    eventDate: '2026-02-01',
    outcomeDate: '2026-05-10',
    statusDate: '2026-05-10',
    supersedes: first.id,
  });
  await attest('2026-07-01T09:00:00Z', {
    eventDate: '2026-03-01',
    outcomeDate: '2026-05-20',
    statusDate: '2026-05-20',
  });
  await certify('city', '2026-07-05T10:00:00Z', { statements: 2, zeroReport: false, sworn: 412 });
  await certify('tribe', '2026-07-06T10:00:00Z', { sworn: 12 });
  await certify('county', '2026-08-03T10:00:00Z', { sworn: 55 });
  return sent;
}

function operations(f: HubFixture, credentials?: CredentialStandingSource): HubOperations {
  return localOperations(
    f.db,
    f.clock.now,
    () => Promise.resolve(mailboxService(f.db, { signingKey: f.hubKey })),
    {
      signingKey: () => Promise.resolve(f.hubKey),
      ...(credentials === undefined ? {} : { credentials }),
    },
  );
}

let cast: Cast;
beforeEach(async () => {
  cast = await enrollCast(fx.db);
});

const AFTER = '2026-08-10T00:00:00Z';

describe('the compliance report on the hub database', () => {
  it('reads credential, certification, timeliness and eligibility from what the hub holds', async () => {
    await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    const signed = await operations(fx).complianceReport({ period: '2026-Q2' });
    const report = JSON.parse(signed.body) as ComplianceReport;
    expect(report).toMatchObject({ period: '2026-Q2', asOf: AFTER, rule: 1, deadlineTable: 1 });
    const row = (ori: string) => report.agencies.find((a) => a.ori === ori)!;
    const bars = (ori: string) =>
      row(ori)
        .reasons.filter((r) => r.effect === 'bars')
        .map((r) => r.code);

    expect(row(cast.city.ori)).toMatchObject({
      certification: { standing: 'on_time', statements: 2, sworn: 412, zeroReport: false },
      // The re-statement of the first decision is not a second report of it.
      timeliness: { reportDays: 30, decisions: 2, onTime: 1, late: 1, medianDays: 22, maxDays: 42 },
      eligible: false,
    });
    expect(bars(cast.city.ori)).toEqual(['credential_missing', 'reports_late']);
    expect(row(cast.tribe.ori)).toMatchObject({
      credential: { standing: 'exempt' },
      certification: { standing: 'on_time', zeroReport: true },
      eligible: true,
    });
    expect(row(cast.tribe.ori).reasons.map((r) => r.code)).toEqual([
      'agency_active',
      'credential_exempt',
      'certification_zero_report',
      'reports_none',
    ]);
    expect(bars(cast.county.ori)).toEqual(['credential_missing', 'certification_late']);
    expect(bars(cast.absent.ori)).toEqual(['credential_missing', 'certification_missing']);
    expect(report.summary).toEqual({
      agencies: 4,
      eligible: 1,
      barredBy: {
        credential_missing: 3,
        reports_late: 1,
        certification_late: 1,
        certification_missing: 1,
      },
    });
  });

  it('decides eligibility from the credential source it is given', async () => {
    await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    const source: CredentialStandingSource = (oris, day) => {
      expect(day).toBe('2026-08-10');
      return Promise.resolve(
        new Map(
          oris.map((ori) => [
            ori,
            {
              ...standingWithoutRecord(ori, false),
              standing: 'credentialed' as const,
              id: `c-${ori}`,
            },
          ]),
        ),
      );
    };
    const report = JSON.parse(
      (await operations(fx, source).complianceReport({ period: '2026-Q2' })).body,
    ) as ComplianceReport;
    expect(report.agencies.map((a) => [a.ori, a.credential.standing, a.eligible])).toEqual([
      [cast.tribe.ori, 'credentialed', true],
      [cast.city.ori, 'credentialed', false],
      [cast.absent.ori, 'credentialed', false],
      [cast.county.ori, 'credentialed', false],
    ]);
  });

  it('counts only what the hub held at asOf: later reports, certifications and suspensions do not show', async () => {
    await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    await registryService(fx.db).setStatus(cast.absent.ori, 'suspended', fx.clock.now());
    const early = JSON.parse(
      (await operations(fx).complianceReport({ period: '2026-Q2', asOf: '2026-07-02T00:00:00Z' }))
        .body,
    ) as ComplianceReport;
    const row = (r: ComplianceReport, ori: string) => r.agencies.find((a) => a.ori === ori)!;
    expect(row(early, cast.city.ori).certification.standing).toBe('due');
    expect(row(early, cast.city.ori).timeliness).toMatchObject({ decisions: 2, late: 1 });
    expect(row(early, cast.absent.ori)).toMatchObject({ status: 'active' });
    // Suspended on 07-08, reinstated since: a report as of 07-10 reads it suspended, from the log.
    await registryService(fx.db).setStatus(
      cast.city.ori,
      'suspended',
      new Date('2026-07-08T00:00:00Z'),
    );
    await registryService(fx.db).setStatus(cast.city.ori, 'active', fx.clock.now());
    const during = JSON.parse(
      (await operations(fx).complianceReport({ period: '2026-Q2', asOf: '2026-07-10T00:00:00Z' }))
        .body,
    ) as ComplianceReport;
    expect(row(during, cast.city.ori)).toMatchObject({ status: 'suspended', eligible: false });
    expect(row(during, cast.city.ori).reasons[0]!.code).toBe('agency_suspended');
    expect(row(early, cast.city.ori).status).toBe('active');
    const later = JSON.parse(
      (await operations(fx).complianceReport({ period: '2026-Q2' })).body,
    ) as ComplianceReport;
    // Suspended and never certified: not listed, as in `spx hub certifications`.
    expect(later.agencies.map((a) => a.ori)).not.toContain(cast.absent.ori);
  });
});

describe('reproducible and signed', () => {
  const AS_OF = '2026-08-05T00:00:00Z';
  const both = async (ops: HubOperations) =>
    Promise.all(
      (['json', 'csv'] as const).map((format) =>
        ops.complianceReport({ period: '2026-Q2', asOf: AS_OF, format }),
      ),
    );

  it('gives the same bytes twice, after later data, and from a hub rebuilt from the same submissions', async () => {
    const sent = await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    const first = await both(operations(fx));
    expect(await both(operations(fx))).toEqual(first);

    // Later: another late report, a suspension.
    fx.clock.ms = Date.parse('2026-09-01T00:00:00Z');
    const p = attestationPayload(cast.city.ori, fx.rng, fx.clock.now(), {
      eventDate: '2026-03-01',
      outcomeDate: '2026-04-02',
      statusDate: '2026-04-02',
    });
    const late = await hubRequest(
      fx,
      'POST',
      '/v1/attestations',
      cast.city,
      JSON.stringify({ attestations: [await signAttestation(p, cast.city.key)] }),
    );
    expect(late.status).toBeLessThan(300);
    await registryService(fx.db).setStatus(cast.tribe.ori, 'suspended', fx.clock.now());
    // And a correction of the city's certification (a new head of the period).
    const head = (await certificationsRepository(fx.db).head(cast.city.ori, '2026-Q2'))!;
    const correction = {
      v: 1,
      id: newStatementId(fx.clock.ms, fx.rng),
      issuer: cast.city.ori,
      period: '2026-Q2',
      sworn: 415,
      statements: 2,
      zeroReport: false,
      supersedes: head.id,
      issuedAt: formatTimestamp(fx.clock.now()),
    };
    const corrected = await hubRequest(
      fx,
      'POST',
      '/v1/certifications',
      cast.city,
      JSON.stringify({
        certification: await signStatement(correction, {
          typ: STATEMENT_TYPES.certification,
          key: cast.city.key,
        }),
      }),
    );
    expect(corrected.status).toBe(201);
    expect(await both(operations(fx))).toEqual(first);
    const now = JSON.parse(
      (await operations(fx).complianceReport({ period: '2026-Q2' })).body,
    ) as ComplianceReport;
    expect(now.agencies.find((a) => a.ori === cast.city.ori)).toMatchObject({
      certification: { sworn: 415 },
      timeliness: { decisions: 3 },
    });

    // A new hub: empty database, same enrolments, the same signed submissions at the same times.
    await clearHubTables(fx.db);
    const rebuilt = await hubFixture(fx.db);
    const recast = await enrollCast(rebuilt.db);
    for (const s of sent) await send(rebuilt, recast, s);
    rebuilt.clock.ms = Date.parse(AFTER);
    const again = await both(operations(rebuilt));
    expect(again.map((r) => r.body)).toEqual(first.map((r) => r.body));
    // Ed25519 is deterministic: the same key signs the same bytes the same way.
    expect(again.map((r) => r.signature)).toEqual(first.map((r) => r.signature));
  });

  it('is signed by the key the hub publishes, one typ per format', async () => {
    await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    const [json, csv] = await both(operations(fx));
    const keys = (await (await fx.app.request('/v1/hub/keys')).json()) as {
      keys: { kid: string; x: string }[];
    };
    const published = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: keys.keys[0]!.x };
    const kid = keys.keys[0]!.kid;
    for (const r of [json!, csv!]) {
      const verified = await verifyDetached(utf8(r.body), r.signature, {
        typ: COMPLIANCE_SIGNATURE_TYP[r.format],
        key: published,
        kid,
      });
      expect(verified.ok).toBe(true);
      const other = r.format === 'json' ? 'csv' : 'json';
      const crossed = await verifyDetached(utf8(r.body), r.signature, {
        typ: COMPLIANCE_SIGNATURE_TYP[other],
        key: published,
        kid,
      });
      expect(crossed).toMatchObject({ ok: false, error: { code: 'SIG_TYP_MISMATCH' } });
    }
    expect(csv!.mediaType).toBe('text/csv; charset=utf-8; header=present');
    expect(csv!.body.split('\r\n')[0]).toMatch(/^period,as_of,rule,ori,name,/);
    const tampered = await verifyDetached(
      utf8(json!.body.replace('"eligible":false', '"eligible":true')),
      json!.signature,
      {
        typ: COMPLIANCE_SIGNATURE_TYP.json,
        key: published,
        kid,
      },
    );
    expect(tampered).toMatchObject({ ok: false, error: { code: 'SIG_BAD_SIGNATURE' } });
    // Only the hub's key: a report signed by another key does not pass as the hub's.
    const forged = await signDetached(utf8(json!.body), {
      typ: COMPLIANCE_SIGNATURE_TYP.json,
      key: await keyFromByte(9),
    });
    expect(
      (
        await verifyDetached(utf8(json!.body), forged, {
          typ: COMPLIANCE_SIGNATURE_TYP.json,
          key: published,
          kid,
        })
      ).ok,
    ).toBe(false);
  });
});

describe('through the operator API', () => {
  function remote(f: HubFixture): {
    ops: HubOperations;
    request: (url: string) => Promise<Response>;
  } {
    const app = createOperatorApp({
      operations: operations(f),
      log: () => undefined,
      now: f.clock.now,
    });
    return {
      ops: operatorClient((request) => Promise.resolve(app.request(request))),
      request: (url) => Promise.resolve(app.request(url)),
    };
  }

  it('answers the same bytes and signature as the database, with the signature in a header', async () => {
    await story(fx, cast);
    fx.clock.ms = Date.parse(AFTER);
    for (const format of ['json', 'csv']) {
      const query = { period: '2026-Q2', asOf: '2026-08-01T00:00:00Z', format };
      expect(await remote(fx).ops.complianceReport(query)).toEqual(
        await operations(fx).complianceReport(query),
      );
    }
    const res = await remote(fx).request('http://hub-operator/v1/compliance?period=2026-Q2');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('spx-signature')).toMatch(/^[\w-]+\.\.[\w-]+$/);
  });

  it('refuses bad input with the same code and field either way', async () => {
    fx.clock.ms = Date.parse('2026-07-15T12:00:00Z');
    const cases: [Record<string, string>, string, string][] = [
      [{ period: '2026-13' }, 'PERIOD_INVALID', 'period'],
      [{ period: 'Q2-2026' }, 'PERIOD_INVALID', 'period'],
      [{ period: '2026-06' }, 'PERIOD_INVALID', 'period'],
      [{ period: '2026-Q3' }, 'PERIOD_NOT_CLOSED', 'period'],
      [{ period: '2027-Q1' }, 'PERIOD_NOT_CLOSED', 'period'],
      [{ period: '2026-Q2', asOf: '2026-06-30T23:59:59Z' }, 'PERIOD_NOT_CLOSED', 'period'],
      [{ asOf: '2026-07-16T00:00:00Z' }, 'AS_OF_INVALID', 'asOf'],
      [{ asOf: 'yesterday' }, 'AS_OF_INVALID', 'asOf'],
      [{ rule: '2' }, 'RULE_UNKNOWN', 'rule'],
      [{ rule: '1.0' }, 'RULE_UNKNOWN', 'rule'],
      [{ format: 'xml' }, 'FORMAT_INVALID', 'format'],
    ];
    for (const [query, code, field] of cases) {
      const local = await operations(fx)
        .complianceReport(query)
        .catch((e: unknown) => e);
      expect(local, JSON.stringify(query)).toMatchObject({ code, field });
      const sent = await remote(fx)
        .ops.complianceReport(query)
        .catch((e: unknown) => e);
      expect(sent).toMatchObject({ code, field, message: (local as Error).message });
    }
    const unknown = await remote(fx).request('http://hub-operator/v1/compliance?periods=2026-Q2');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });
});

describe('spx hub report compliance', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spx-compliance-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function run(args: string[], now: string) {
    const out: string[] = [];
    const err: string[] = [];
    const keyFile = path.join(dir, 'hub-key.json');
    await writeNewSigningKeyFile(keyFile, seededRng('cli hub key')).catch(() => undefined);
    const io: CliIo = {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      now: () => new Date(now),
    };
    const program = new Command('spx')
      .exitOverride()
      .configureOutput({ writeErr: () => undefined });
    registerHubCommands(program, io, {
      env: { SPX_HUB_KEY_FILE: keyFile },
      openDatabase: async () => ({ ...fx.handle, close: async () => undefined }),
    });
    await program.parseAsync(['hub', 'report', 'compliance', ...args], { from: 'user' });
    return { out: out.join(''), err: err.join(''), keyFile };
  }

  it('writes the CSV and its signature, or prints JSON for the last closed period', async () => {
    await story(fx, cast);
    const file = path.join(dir, 'q2.csv');
    const { err } = await run(
      ['--period', '2026-Q2', '--as-of', AFTER, '--format', 'csv', '--out', file],
      '2026-08-20T00:00:00Z',
    );
    expect(err).toBe(`wrote ${file} and its signature ${file}.jws\n`);
    const csv = await readFile(file, 'utf8');
    const signature = (await readFile(`${file}.jws`, 'utf8')).trim();
    expect(csv.split('\r\n')).toHaveLength(6); // header, four agencies, final CRLF
    const key = JSON.parse(await readFile(path.join(dir, 'hub-key.json'), 'utf8')) as {
      x: string;
      kid: string;
    };
    expect(
      (
        await verifyDetached(utf8(csv), signature, {
          typ: COMPLIANCE_SIGNATURE_TYP.csv,
          key: { kty: 'OKP', crv: 'Ed25519', x: key.x },
          kid: key.kid,
        })
      ).ok,
    ).toBe(true);

    const { out } = await run([], '2026-08-20T00:00:00Z');
    expect(JSON.parse(out)).toMatchObject({ period: '2026-Q2', asOf: '2026-08-20T00:00:00Z' });
  });

  it('refuses bad flags with clear codes', async () => {
    const now = '2026-08-20T00:00:00Z';
    await expect(run(['--format', 'pdf'], now)).rejects.toMatchObject({ code: 'FORMAT_INVALID' });
    await expect(run(['--period', '2026-Q3'], now)).rejects.toMatchObject({
      code: 'PERIOD_NOT_CLOSED',
    });
    await expect(run(['--rule', '7'], now)).rejects.toMatchObject({ code: 'RULE_UNKNOWN' });
    await expect(run(['--as-of', '2026-13-01T00:00:00Z'], now)).rejects.toMatchObject({
      code: 'AS_OF_INVALID',
    });
    await expect(run(['--colour'], now)).rejects.toMatchObject({ code: 'commander.unknownOption' });
    await expect(run(['--out', path.join(dir, 'missing', 'r.json')], now)).rejects.toMatchObject({
      code: 'OUT_UNWRITABLE',
    });
  });
});
