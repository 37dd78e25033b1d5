import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import { readSigningKeyFile, writeNewSigningKeyFile } from '../signing-key/signing-key.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { IntakeReceiptSchema } from '../../protocol/intake.js';
import { registerHubCommands } from '../cli.js';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubRequest,
  keyFromByte,
  postBatch,
  postCheck,
  problemCode,
  seededRng,
  signAttestation,
  START,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { expungeAttestation } from './expunge.js';
import { checkedHead, verifiedCheckpoint, verifyEvidence } from './tlog-test-support.js';
import { logEntries, logExpungements } from './tlog.table.js';

const fx = useHubFixture();
let reporter: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
});

let keyFile: string;
beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'spx-expunge-'));
  keyFile = path.join(dir, 'hub-key.json');
  await writeNewSigningKeyFile(keyFile, (n) => new Uint8Array(randomBytes(n)));
});

/** `spx hub expunge …` on the test database; returns exit code and output. */
async function cli(args: string[]) {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: () => undefined,
    now: () => new Date(START),
  };
  const program = new Command('spx').exitOverride();
  registerHubCommands(program, io, {
    env: { SPX_HUB_KEY_FILE: keyFile },
    rng: seededRng('cli'),
    openDatabase: async () => ({ ...fx.handle, close: async () => undefined }),
  });
  try {
    await program.parseAsync(['hub', 'expunge', ...args], { from: 'user' });
    return { code: 0, out: out.join('') };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, out: `${e.code}: ${e.message}` };
    throw e;
  }
}

describe('expungement by court order', () => {
  it('removes every version of the record and its salts; the log still verifies', async () => {
    const notice = attestationPayload(reporter.ori, fx.rng, fx.clock.now(), {
      status: 'notice_sent',
    });
    fx.clock.advance(60);
    const final = attestationPayload(reporter.ori, fx.rng, fx.clock.now(), {
      supersedes: notice.id,
    });
    const other = attestationPayload(reporter.ori, fx.rng, fx.clock.now());
    const jws = await Promise.all(
      [notice, final, other].map((p) => signAttestation(p, reporter.key)),
    );
    const receipt = IntakeReceiptSchema.parse(await (await postBatch(fx, reporter, jws)).json());
    const head = await checkedHead(fx.db);

    const run = await cli([final.id, '--order', 'CA Sup. Ct. 2026-CV-0042', '--by', 'J. Doe']);
    expect(run).toEqual({
      code: 0,
      out:
        `expunged ${notice.id} (CA0194200), log leaf 1 kept without salt\n` +
        `expunged ${final.id} (CA0194200), log leaf 2 kept without salt\n`,
    });
    // The tree is untouched; only the link from leaf to statement is gone.
    expect(await checkedHead(fx.db)).toEqual(head);
    const leaves = await fx.db
      .select()
      .from(logEntries)
      .where(eq(logEntries.kind, 'attestation'))
      .orderBy(logEntries.index);
    expect(leaves.map((l) => [l.index, l.statementId, l.salt === null])).toEqual([
      [1, null, true],
      [2, null, true],
      [3, other.id, false],
    ]);
    expect(await fx.db.select({ id: attestations.id }).from(attestations)).toEqual([
      { id: other.id },
    ]);
    expect(await fx.db.$count(attestationKeys, eq(attestationKeys.attestationId, final.id))).toBe(
      0,
    );
    expect(await fx.db.select().from(logExpungements).orderBy(logExpungements.logIndex)).toEqual(
      [notice, final].map((p, i) =>
        expect.objectContaining({
          attestationId: p.id,
          logIndex: i + 1,
          orderRef: 'CA Sup. Ct. 2026-CV-0042',
          expungedBy: 'J. Doe',
        }),
      ),
    );
    // The other statement's receipt still verifies against the same checkpoint.
    verifyEvidence(
      jws[2]!,
      receipt.receipts[2]!.log,
      verifiedCheckpoint(fx, receipt.log.checkpoint),
    );

    // Checks no longer find it, and the node cannot send it again.
    const checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
    const res = await postCheck(fx, checker, checkRequest([final.tokens.keys[0]!]));
    expect(((await res.json()) as { attestations: string[] }).attestations).toEqual([]);
    expect(await problemCode(await postBatch(fx, reporter, [jws[1]!]))).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      fields: ['attestations[0].id: not_allowed'],
    });
  });

  it('tells every agency whose earlier answer listed a version of the record', async () => {
    const checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
    const record = attestationPayload(reporter.ori, fx.rng, fx.clock.now());
    expect(
      (await postBatch(fx, reporter, [await signAttestation(record, reporter.key)])).status,
    ).toBe(200);
    const answer = await postCheck(fx, checker, checkRequest([record.tokens.keys[0]!]));
    expect(answer.status).toBe(200);

    expect((await cli([record.id, '--order', 'A-1', '--by', 'J. Doe'])).code).toBe(0);

    const hubKey = await readSigningKeyFile(keyFile);
    const page = await hubRequest(fx, 'GET', '/v1/mailbox/messages', checker);
    const { messages } = (await page.json()) as { messages: string[] };
    expect(messages).toHaveLength(1);
    const opened = await verifyStatement(messages[0]!, {
      typ: 'spx-mailbox-message+jws',
      resolveKey: (kid) => (kid === hubKey.kid ? hubKey.publicJwk : undefined),
    });
    expect(opened.ok && opened.value.payload['body']).toMatchObject({
      type: 'correction',
      attestationId: record.id,
      current: null,
      changes: [{ field: 'expunged', from: 'final', to: null }],
    });
  });

  it('refuses unknown, already expunged and malformed requests, naming the input', async () => {
    const p = attestationPayload(reporter.ori, fx.rng, fx.clock.now());
    await postBatch(fx, reporter, [await signAttestation(p, reporter.key)]);
    const request = { attestationId: p.id, orderRef: 'order 1', by: 'operator' };
    await expungeAttestation(fx.db, request, fx.clock.now());
    await expect(expungeAttestation(fx.db, request, fx.clock.now())).rejects.toMatchObject({
      code: 'ATTESTATION_EXPUNGED',
    });
    const unknown = attestationPayload(reporter.ori, fx.rng, fx.clock.now()).id;
    expect(await cli([unknown, '--order', 'x', '--by', 'y'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^ATTESTATION_UNKNOWN: <attestation-id>: /),
    });
    expect(await cli(['not-an-id', '--order', 'x', '--by', 'y'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^ENTRY_INVALID/),
    });
    expect(await cli([unknown, '--order', 'bad\u0007ref', '--by', 'y'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^ENTRY_INVALID: --order: /),
    });
  });
});
