import { beforeEach, describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../crypto/note/index.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import {
  attestationPayload,
  enrollAgency,
  hubRequest,
  keyFromByte,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { verifiedCheckpoint } from './tlog-test-support.js';

const fx = useHubFixture();
let reporter: TestAgency;
let witness: TestAgency;
let note: string;

/** The witness's seed is what keyFromByte(5) derives its key from. */
const WITNESS_SEED = new Uint8Array(32).fill(5);
const witnessSigner = noteSigner(
  witnessKeyName('WA0000001'),
  WITNESS_SEED,
  SIGNATURE_TYPE_COSIGNATURE_V1,
);
const seconds = () => Math.floor(fx.clock.ms / 1000);

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  witness = await enrollAgency(fx.db, 'WA0000001', await keyFromByte(5), {
    roles: ['witness'],
  });
  const jws = await signAttestation(
    attestationPayload(reporter.ori, fx.rng, fx.clock.now()),
    reporter.key,
  );
  const res = await postBatch(fx, reporter, [jws]);
  note = ((await res.json()) as { log: { checkpoint: string } }).log.checkpoint;
});

const cosign = (text = parseSignedNote(note).text, at = seconds()) =>
  cosignCheckpoint(text, witnessSigner, at);
const submit = (agency: TestAgency, body: unknown) =>
  hubRequest(fx, 'POST', '/v1/log/cosignatures', agency, JSON.stringify(body));

describe('POST /v1/log/cosignatures', () => {
  it('stores a witness cosignature and serves it with the checkpoint', async () => {
    const size = verifiedCheckpoint(fx, note).size;
    const res = await submit(witness, { size, cosignature: cosign() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      size,
      keyName: 'spx-witness/WA0000001',
      timestamp: seconds(),
    });
    const served = await (await fx.app.request('/v1/log/checkpoint')).text();
    expect(verifiedCheckpoint(fx, served, [witnessSigner.key], 1).size).toBe(size);
    expect(() => verifiedCheckpoint(fx, note, [witnessSigner.key], 1)).toThrow(/QUORUM/);
  });

  it('keeps the newest cosignature of each witness and size', async () => {
    const size = verifiedCheckpoint(fx, note).size;
    const older = cosign(undefined, seconds() - 60);
    fx.clock.advance(1);
    await submit(witness, { size, cosignature: cosign() });
    const res = await submit(witness, { size, cosignature: older });
    expect(((await res.json()) as { timestamp: number }).timestamp).toBe(seconds());
    const again = await submit(witness, { size, cosignature: cosign() });
    expect(again.status).toBe(200);
    const served = await (await fx.app.request(`/v1/log/checkpoints/${size}`)).text();
    expect(parseSignedNote(served).signatures).toHaveLength(2);
  });

  it('refuses agencies without the witness role, bad signatures and unknown sizes', async () => {
    const size = verifiedCheckpoint(fx, note).size;
    expect(
      await problemCode(await submit(reporter, { size, cosignature: cosign() })),
    ).toMatchObject({ status: 403, code: 'ROLE_REQUIRED' });
    const otherText = parseSignedNote(note).text.replace(`\n${size}\n`, `\n${size + 1}\n`);
    expect(
      await problemCode(await submit(witness, { size, cosignature: cosign(otherText) })),
    ).toMatchObject({ status: 422, code: 'SIG_BAD_SIGNATURE', fields: ['cosignature: mismatch'] });
    expect(
      await problemCode(await submit(witness, { size: size + 5, cosignature: cosign() })),
    ).toMatchObject({ status: 404, code: 'NOT_FOUND', fields: ['size: invalid_value'] });
    expect(await problemCode(await submit(witness, { size, cosignature: 'hello' }))).toMatchObject({
      status: 422,
      code: 'SIG_MALFORMED',
    });
    expect(await problemCode(await submit(witness, { size: -1, cosignature: 'x' }))).toMatchObject({
      status: 400,
      fields: ['size: too_small'],
    });
    const served = await (await fx.app.request('/v1/log/checkpoint')).text();
    expect(parseSignedNote(served).signatures).toHaveLength(1);
  });
});
