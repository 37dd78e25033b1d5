/**
 * The largest batch intake accepts (MAX_INTAKE_BATCH) goes through, on both drivers, with a
 * proof for each statement. On PGlite, reading the ~1 500 proof nodes of such a batch with a
 * row-constructor IN list failed inside PGlite (SQLSTATE 24000, "cannot drop portal"), so
 * every batch above ~120 statements answered 500; the node read is now a semi-join over a
 * VALUES list, which does not grow the expression with the number of nodes.
 */
import { describe, expect, it } from 'vitest';
import { IntakeReceiptSchema, MAX_INTAKE_BATCH } from '../../protocol/intake.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  signAttestation,
  useHubFixture,
} from '../test-support.js';
import { appendEntries, readNodes } from './tlog.repository.js';
import { agencyEntry } from './entries.js';
import { verifiedCheckpoint, verifyEvidence } from './tlog-test-support.js';

const fx = useHubFixture();

describe('a full intake batch', () => {
  it(`accepts ${MAX_INTAKE_BATCH} statements at once, each with a proof that verifies`, async () => {
    const reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const jws = await Promise.all(
      Array.from({ length: MAX_INTAKE_BATCH }, () =>
        signAttestation(attestationPayload(reporter.ori, fx.rng, fx.clock.now()), reporter.key),
      ),
    );
    const res = await postBatch(fx, reporter, jws);
    expect(res.status).toBe(200);
    const receipt = IntakeReceiptSchema.parse(await res.json());
    expect(receipt.receipts).toHaveLength(MAX_INTAKE_BATCH);
    const checkpoint = verifiedCheckpoint(fx, receipt.log.checkpoint);
    receipt.receipts.forEach((r, i) => verifyEvidence(jws[i]!, r.log, checkpoint));
  }, 120_000);

  it('reads thousands of stored nodes in one call', async () => {
    const key = await keyFromByte(1);
    const event = agencyEntry('enrolled', 'CA0194200', key.kid, key.publicJwk, fx.clock.now());
    await fx.db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from({ length: 4096 }, () => event),
        fx.clock.now(),
      ),
    );
    const wanted = Array.from({ length: 4096 }, (_, index) => ({ level: 0, index }));
    const nodes = await readNodes(fx.db, wanted);
    expect(nodes.size).toBe(4096);
  }, 120_000);
});
