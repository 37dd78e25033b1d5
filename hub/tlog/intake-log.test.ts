import { beforeEach, describe, expect, it } from 'vitest';
import { IntakeReceiptSchema, type IntakeReceipt } from '../../protocol/intake.js';
import { CheckAnswerSchema } from '../../protocol/check-answer.js';
import { intakeService } from '../intake/intake.service.js';
import { epochWindow } from '../epochs/epoch-window.js';
import { registryService } from '../registry/registry.service.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  keyFromByte,
  postBatch,
  postCheck,
  rowCounts,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { transparencyLog, type TransparencyLog } from './tlog.service.js';
import {
  checkedHead,
  LOG_ORIGIN,
  verifiedCheckpoint,
  verifyEvidence,
} from './tlog-test-support.js';
import { logCheckpoints, logEntries } from './tlog.table.js';

const fx = useHubFixture();
let reporter: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
});

const statements = (n: number) =>
  Promise.all(
    Array.from({ length: n }, () =>
      signAttestation(attestationPayload(reporter.ori, fx.rng, fx.clock.now()), reporter.key),
    ),
  );

async function send(jws: string[]): Promise<IntakeReceipt> {
  const res = await postBatch(fx, reporter, jws);
  expect(res.status).toBe(200);
  return IntakeReceiptSchema.parse(await res.json());
}

/** Every receipt proves its statement in the checkpoint it carries, signed by the hub. */
function expectVerified(receipt: IntakeReceipt, jws: readonly string[]) {
  const checkpoint = verifiedCheckpoint(fx, receipt.log.checkpoint);
  expect(checkpoint.origin).toBe(LOG_ORIGIN);
  receipt.receipts.forEach((r, i) => verifyEvidence(jws[i]!, r.log, checkpoint));
  return checkpoint;
}

describe('intake appends to the log', () => {
  it('gives receipts whose proofs verify, and the RFC root over every stored leaf', async () => {
    // Leaf 0 is the reporter's enrollment; batches of several sizes follow.
    for (const n of [1, 3, 2, 5, 1, 8]) {
      const jws = await statements(n);
      const receipt = await send(jws);
      const checkpoint = expectVerified(receipt, jws);
      const head = await checkedHead(fx.db);
      expect(checkpoint.size).toBe(head.size);
      expect(checkpoint.rootHash).toEqual(head.root);
    }
    expect((await checkedHead(fx.db)).size).toBe(1 + 20);
    expect(await fx.db.$count(logCheckpoints)).toBe(6);
  });

  it('answers duplicates with their original leaf, proved against the latest checkpoint', async () => {
    const jws = await statements(3);
    const first = await send(jws);
    await send(await statements(4));
    const mixed = [jws[1]!, ...(await statements(1))];
    const again = await send(mixed);
    expect(again.receipts.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect(again.receipts[0]!.log.index).toBe(first.receipts[1]!.log.index);
    expect(again.receipts[0]!.log.salt).toBe(first.receipts[1]!.log.salt);
    const checkpoint = expectVerified(again, mixed);
    expect(checkpoint.size).toBe(1 + 3 + 4 + 1);
    // A batch of duplicates only writes nothing and still carries a signed checkpoint.
    const before = await fx.db.$count(logEntries);
    expectVerified(await send(jws), jws);
    expect(await fx.db.$count(logEntries)).toBe(before);
  });

  it('appends nothing for a refused batch', async () => {
    await send(await statements(2));
    const head = await checkedHead(fx.db);
    const good = await statements(1);
    const foreign = await signAttestation(
      attestationPayload('NY0000001', fx.rng, fx.clock.now()),
      reporter.key,
    );
    expect((await postBatch(fx, reporter, [good[0]!, foreign])).status).toBeGreaterThanOrEqual(400);
    expect(await checkedHead(fx.db)).toEqual(head);
  });

  it('leaves neither statements nor leaves when the transaction fails after the append', async () => {
    await send(await statements(2));
    const head = await checkedHead(fx.db);
    const counts = await rowCounts(fx.db);
    const real = transparencyLog(fx.db, { origin: LOG_ORIGIN, signingKey: fx.hubKey });
    const failing: TransparencyLog = {
      ...real,
      appendAndCheckpoint: async (tx, entries, now) => {
        await real.appendAndCheckpoint(tx, entries, now);
        throw new Error('crash after the append');
      },
    };
    const intake = intakeService(fx.db, registryService(fx.db), {
      epochs: epochWindow([1]),
      log: failing,
      rng: fx.rng,
    });
    await expect(intake.intake(await statements(3), reporter.ori, fx.clock.now())).rejects.toThrow(
      'crash after the append',
    );
    expect(await checkedHead(fx.db)).toEqual(head);
    expect(await rowCounts(fx.db)).toEqual(counts);
    expect(await fx.db.$count(logCheckpoints)).toBe(1);
  });

  it('serializes concurrent batches: no gap, no index twice, every receipt verifies', async () => {
    let arrived = 0;
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const intake = intakeService(fx.db, registryService(fx.db), {
      epochs: epochWindow([1]),
      log: transparencyLog(fx.db, { origin: LOG_ORIGIN, signingKey: fx.hubKey }),
      rng: fx.rng,
      // All three batches are validated before any writes.
      beforeStore: () => {
        if (++arrived === 3) open();
        return opened;
      },
    });
    const batches = await Promise.all([statements(4), statements(5), statements(3)]);
    const receipts = await Promise.all(
      batches.map((b) => intake.intake(b, reporter.ori, fx.clock.now())),
    );
    receipts.forEach((r, i) => expectVerified(r, batches[i]!));
    const indexes = receipts
      .flatMap((r) => r.receipts.map((x) => x.log.index))
      .sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await checkedHead(fx.db)).size).toBe(13);
  });
});

describe('check answers carry log evidence', () => {
  it('one inclusion proof per attestation against the latest checkpoint', async () => {
    const checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
    const p = attestationPayload(reporter.ori, fx.rng, fx.clock.now());
    const jws = await signAttestation(p, reporter.key);
    await send([jws]);
    await send(await statements(6));
    const res = await postCheck(fx, checker, checkRequest([p.tokens.keys[0]!]));
    expect(res.status).toBe(200);
    const answer = CheckAnswerSchema.parse(await res.json());
    expect(answer.attestations).toEqual([jws]);
    expect(answer.log.inclusions).toHaveLength(1);
    const checkpoint = verifiedCheckpoint(fx, answer.log.checkpoint);
    expect(checkpoint.size).toBe((await checkedHead(fx.db)).size);
    verifyEvidence(jws, answer.log.inclusions[0]!, checkpoint);
    // A clean check still names the checkpoint it was answered against.
    const clean = await postCheck(
      fx,
      checker,
      checkRequest([{ kind: 'ssn', index: 'A'.repeat(43) }]),
    );
    const empty = CheckAnswerSchema.parse(await clean.json());
    expect(empty.log.inclusions).toEqual([]);
    expect(verifiedCheckpoint(fx, empty.log.checkpoint).size).toBe(checkpoint.size);
  });
});
