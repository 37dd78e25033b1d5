/**
 * A small federation's public data for the pages' tests and the browser suite (test/browser):
 * four reporting agencies at three levels, all certified, statements in four categories (one of
 * them below the smallest cell, so the release suppresses it and its complement), a witness that
 * cosigns the latest checkpoint, and the clock a day on, so the daily release counts them all.
 */
import {
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../crypto/note/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import { certifyPeriod } from '../statistics/coverage.test-support.js';
import {
  attestationPayload,
  enrollAgency,
  hubRequest,
  keyFromByte,
  postBatch,
  signAttestation,
  type HubFixture,
  type TestAgency,
} from '../test-support.js';

/** The configuration the seeded hub runs with: daily releases, cells below 3 suppressed. */
export const PUBLIC_HUB_CONFIG = { statsMinCell: 3, statsPeriod: 'day' } as const;

const WITNESS_ORI = 'WA0000001';
const WITNESS_SEED = new Uint8Array(32).fill(5);

export interface SeededHub {
  readonly reporters: readonly TestAgency[];
  readonly witness: TestAgency;
}

async function publish(
  fx: HubFixture,
  agency: TestAgency,
  count: number,
  patch: Partial<AttestationPayload>,
) {
  const jws = await Promise.all(
    Array.from({ length: count }, () =>
      signAttestation(attestationPayload(agency.ori, fx.rng, fx.clock.now(), patch), agency.key),
    ),
  );
  const res = await postBatch(fx, agency, jws);
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${await res.text()}`);
}

export async function seedPublicHub(fx: HubFixture): Promise<SeededHub> {
  const city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), {
    name: 'Los Angeles Police Department',
  });
  const tribal = await enrollAgency(fx.db, 'AZ0000T01', await keyFromByte(3), {
    jurisdiction: 'tribal',
    state: null,
    name: 'Salt River Police Department',
  });
  const county = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(4), {
    name: 'Travis County Sheriff',
  });
  const patrol = await enrollAgency(fx.db, 'NY0000000', await keyFromByte(6), {
    jurisdiction: 'state',
    name: 'New York State Police',
  });
  const witness = await enrollAgency(fx.db, WITNESS_ORI, await keyFromByte(5), {
    roles: ['witness'],
    name: 'Washington State Auditor',
  });
  for (const [agency, sworn] of [
    [city, 9000],
    [tribal, 30],
    [county, 700],
    [patrol, 4800],
  ] as const) {
    await certifyPeriod(fx, agency, sworn);
  }
  await publish(fx, city, 6, {});
  await publish(fx, city, 4, {
    category: 'suspension',
    eventDate: '2024-02-01',
    outcomeDate: '2024-06-01',
    statusDate: '2024-06-02',
  });
  // One decertification: below the smallest cell, suppressed with a complement.
  await publish(fx, city, 1, { category: 'decertification', useOfForce: false });
  await publish(fx, tribal, 3, {});
  await publish(fx, county, 5, {
    category: 'resignation_under_investigation',
    eventDate: '2025-01-10',
    outcomeDate: '2025-03-01',
    statusDate: '2025-03-02',
  });
  await publish(fx, patrol, 4, { category: 'criminal_conviction_on_duty' });

  // A day on: the daily release covers everything above. Releasing logs it, then the witness
  // cosigns the checkpoint that includes the release.
  fx.clock.advance(86_400);
  const release = await fx.app.request('/v1/statistics');
  if (release.status !== 200) throw new Error(`release: ${release.status}`);
  const note = await (await fx.app.request('/v1/log/checkpoint')).text();
  const { text } = parseSignedNote(note);
  const size = Number(text.split('\n')[1]);
  const signer = noteSigner(
    witnessKeyName(WITNESS_ORI),
    WITNESS_SEED,
    SIGNATURE_TYPE_COSIGNATURE_V1,
  );
  const cosignature = cosignCheckpoint(text, signer, Math.floor(fx.clock.ms / 1000));
  const res = await hubRequest(
    fx,
    'POST',
    '/v1/log/cosignatures',
    witness,
    JSON.stringify({ size, cosignature }),
  );
  if (res.status >= 300) throw new Error(`cosign: ${res.status} ${await res.text()}`);
  return { reporters: [city, tribal, county, patrol], witness };
}
