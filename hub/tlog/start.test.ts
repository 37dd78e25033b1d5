import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logging/json-lines.js';
import { eq } from 'drizzle-orm';
import { toBase64url } from '../../crypto/encoding.js';
import { IntakeReceiptSchema } from '../../protocol/intake.js';
import { agencies } from '../registry/registry.table.js';
import { generateKeyPair, splitKey } from '../../crypto/oprf/index.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  seededRng,
  signAttestation,
  useHubFixture,
} from '../test-support.js';
import { LOG_ORIGIN, verifiedCheckpoint, verifyEvidence } from './tlog-test-support.js';
import { backfillLog } from './backfill.js';
import { logCheckpoints, logEntries, logHead, logNodes } from './tlog.table.js';
import { logRepository } from './tlog.repository.js';
import { startLogProcess } from './start.js';

const fx = useHubFixture();

const rng = seededRng('start');
const { keySet } = splitKey(generateKeyPair(1, rng), 1, 1, rng);
const KEYSET = JSON.stringify({
  epoch: 1,
  threshold: 1,
  publicKey: toBase64url(keySet.publicKey),
  publicShares: keySet.publicShares.map(toBase64url),
});

describe('starting the log with the hub process', () => {
  it('logs the keyholder key set once and checkpoints what was appended while down', async () => {
    await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const start = async () => {
      const lines: string[] = [];
      const checkpointer = await startLogProcess(fx.db, {
        origin: LOG_ORIGIN,
        signingKey: fx.hubKey,
        checkpointIntervalMs: 60_000,
        keyholderKeySet: KEYSET,
        now: fx.clock.now,
        rng: fx.rng,
        log: createLogger((l) => void lines.push(l), fx.clock.now),
        timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
      });
      await checkpointer.stop();
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    expect(await start()).toEqual([
      expect.objectContaining({ event: 'keyholder_key_logged', epoch: 1 }),
      expect.objectContaining({ event: 'checkpoint_issued', size: 2 }),
    ]);
    // A restart with the same key set appends and signs nothing.
    expect(await start()).toEqual([]);
    const latest = await logRepository(fx.db).latestCheckpoint();
    expect(verifiedCheckpoint(fx, latest!.note).size).toBe(2);
  });

  it('catches up registry and statements stored before the log existed', async () => {
    const reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    await enrollAgency(fx.db, 'WA0000001', await keyFromByte(2));
    const jws = await Promise.all(
      [0, 1, 2].map(() =>
        signAttestation(attestationPayload(reporter.ori, fx.rng, fx.clock.now()), reporter.key),
      ),
    );
    expect((await postBatch(fx, reporter, jws)).status).toBe(200);
    // A database from before the log: registry and statements, no log at all.
    for (const t of [logCheckpoints, logEntries, logNodes, logHead]) await fx.db.delete(t);
    await fx.db.update(agencies).set({ status: 'suspended' }).where(eq(agencies.ori, 'WA0000001'));

    const lines: string[] = [];
    const checkpointer = await startLogProcess(fx.db, {
      origin: LOG_ORIGIN,
      signingKey: fx.hubKey,
      checkpointIntervalMs: 60_000,
      keyholderKeySet: undefined,
      now: fx.clock.now,
      rng: fx.rng,
      log: createLogger((l) => void lines.push(l), fx.clock.now),
    });
    await checkpointer.stop();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ event: 'log_backfilled', agencies: 2, statements: 3 }),
      expect.objectContaining({ event: 'checkpoint_issued', size: 6 }),
    ]);
    const rows = await logRepository(fx.db).entries(0, 6);
    expect(rows.map((r) => JSON.parse(r.entry) as { kind: string; event?: string })).toEqual([
      expect.objectContaining({ kind: 'agency', event: 'enrolled', ori: 'CA0194200' }),
      expect.objectContaining({ kind: 'agency', event: 'enrolled', ori: 'WA0000001' }),
      expect.objectContaining({ kind: 'agency', event: 'suspended', ori: 'WA0000001' }),
      ...jws.map(() => expect.objectContaining({ kind: 'attestation' })),
    ]);
    // The statements are provable again: a resubmission's receipts verify.
    const receipt = IntakeReceiptSchema.parse(await (await postBatch(fx, reporter, jws)).json());
    const checkpoint = verifiedCheckpoint(fx, receipt.log.checkpoint);
    receipt.receipts.forEach((r, i) => verifyEvidence(jws[i]!, r.log, checkpoint));
    expect(await backfillLog(fx.db, fx.rng, fx.clock.now())).toEqual({
      agencies: 0,
      statements: 0,
    });
  });

  it('refuses to start with a key set that is not one', async () => {
    const bad = JSON.stringify({ ...JSON.parse(KEYSET), threshold: 2 });
    await expect(
      startLogProcess(fx.db, {
        origin: LOG_ORIGIN,
        signingKey: fx.hubKey,
        checkpointIntervalMs: 60_000,
        keyholderKeySet: bad,
        now: fx.clock.now,
        rng: fx.rng,
        log: () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'KEYHOLDER_KEYSET_INVALID' });
  });
});
