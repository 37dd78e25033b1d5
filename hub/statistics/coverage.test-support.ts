/**
 * Certifying agencies in statistics tests: a release publishes counts only when agencies holding
 * 80 % of the known sworn officers certified the period (protocol/statistics-coverage.ts), so the
 * tests certify through the real route, as a node would.
 */
import { expect } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { CertificationPayload } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { hubRequest, type HubFixture, type TestAgency } from '../test-support.js';

/** Signs and submits `agency`'s certification of `period` (a zero report by default). */
export async function certifyPeriod(
  fx: HubFixture,
  agency: TestAgency,
  sworn: number,
  patch: Partial<CertificationPayload> = {},
): Promise<CertificationPayload> {
  const payload: CertificationPayload = {
    v: 1,
    id: newStatementId(fx.clock.now().getTime(), fx.rng),
    issuer: agency.ori,
    period: '2026-Q1',
    sworn,
    statements: 0,
    zeroReport: true,
    supersedes: null,
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
  const jws = await signStatement(payload as unknown as JsonObject, {
    typ: STATEMENT_TYPES.certification,
    key: agency.key,
  });
  const res = await hubRequest(
    fx,
    'POST',
    '/v1/certifications',
    agency,
    JSON.stringify({ certification: jws }),
  );
  expect(res.status).toBe(201);
  return payload;
}
