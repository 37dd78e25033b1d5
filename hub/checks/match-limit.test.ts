/**
 * The 20-match bound of a check (docs/protocol.md §5.8.1) counts what the answer would list:
 * records a check does not disclose — past their retention period (§5.13) — do not use it up,
 * so a disclosable record is never refused for their sake; twenty-one disclosable records are
 * still refused whole (TOO_MANY_MATCHES, audited), never cut down; and the hub reads at most
 * MAX_CHECK_CANDIDATES matching chains before it refuses.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it, beforeEach } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import { MAX_CHECK_CANDIDATES, MAX_CHECK_MATCHES } from '../../protocol/check-response.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  keyFromByte,
  postBatch,
  postCheck,
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { checkAudit } from './audit.table.js';

const fx = useHubFixture();
let city: TestAgency;
let checker: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
});

type Key = AttestationPayload['tokens']['keys'][number];

/** `n` records of one officer (one shared SSN index); `old` ones are past retention. */
async function publishRecords(n: number, old: boolean, ssn: Key): Promise<AttestationPayload[]> {
  const dates = old
    ? { eventDate: '2009-01-01', outcomeDate: '2009-06-01', statusDate: '2010-01-01' }
    : {};
  const payloads = Array.from({ length: n }, () => {
    const p = attestationPayload(city.ori, fx.rng, fx.clock.now(), dates);
    return { ...p, tokens: { ...p.tokens, keys: [ssn, ...p.tokens.keys.slice(1)] } };
  });
  const jws = await Promise.all(payloads.map((p) => signAttestation(p, city.key)));
  expect((await postBatch(fx, city, jws)).status).toBe(200);
  return payloads;
}

async function check(key: Key) {
  const res = await postCheck(fx, checker, checkRequest([key]));
  if (res.status !== 200) return { status: res.status, code: (await problemCode(res)).code };
  const body = (await res.json()) as { response: string };
  const payload = JSON.parse(
    Buffer.from(body.response.split('.')[1]!, 'base64url').toString(),
  ) as CheckResponsePayload;
  return { status: 200, payload };
}

/** The officer's SSN index, shared by every record of a test. */
const officer = (): Key => attestationPayload(city.ori, fx.rng, fx.clock.now()).tokens.keys[0]!;

describe('the match bound counts only what the answer discloses', () => {
  it('lists a disclosable record beside twenty records past retention', async () => {
    const ssn = officer();
    await publishRecords(MAX_CHECK_MATCHES, true, ssn);
    const [current] = await publishRecords(1, false, ssn);
    const result = await check(ssn);
    expect(result.status).toBe(200);
    expect(result.payload!.matches.map((m) => m.attestationId)).toEqual([current!.id]);
    expect(result.payload!.verdict).toBe('record_found');
  });

  it('still refuses twenty-one disclosable records whole, and audits the count', async () => {
    const ssn = officer();
    await publishRecords(MAX_CHECK_MATCHES + 1, false, ssn);
    await publishRecords(3, true, ssn);
    const result = await check(ssn);
    expect(result).toEqual({ status: 422, code: 'TOO_MANY_MATCHES' });
    const [audit] = await fx.db
      .select()
      .from(checkAudit)
      .where(eq(checkAudit.outcome, 'too_many_matches'));
    expect(audit).toMatchObject({ matchCount: MAX_CHECK_MATCHES + 1, matchedAttestationIds: [] });
  });

  it(`refuses beyond ${MAX_CHECK_CANDIDATES} matching chains, disclosed or not`, async () => {
    const ssn = officer();
    await publishRecords(MAX_CHECK_CANDIDATES + 1, true, ssn);
    const result = await check(ssn);
    expect(result).toEqual({ status: 422, code: 'TOO_MANY_MATCHES' });
    const [audit] = await fx.db
      .select()
      .from(checkAudit)
      .where(eq(checkAudit.outcome, 'too_many_matches'));
    expect(audit).toMatchObject({ matchCount: MAX_CHECK_CANDIDATES + 1 });
  });
});
