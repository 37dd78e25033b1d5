import { Command } from 'commander';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../platform/cli/cli-io.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { registerHubCommands } from '../cli.js';
import {
  attestationPayload,
  enrollAgency,
  hubIndex,
  keyFromByte,
  postBatch,
  signAttestation,
  START,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { formatEpochReport } from './epochs.cli.js';

const fx = useHubFixture();
let city: TestAgency;
let board: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  board = await enrollAgency(fx.db, 'CA0340000', await keyFromByte(2));
});

async function publish(agency: TestAgency, patch: Parameters<typeof attestationPayload>[3] = {}) {
  const payload = attestationPayload(agency.ori, fx.rng, fx.clock.now(), patch);
  const res = await postBatch(fx, agency, [await signAttestation(payload, agency.key)]);
  expect(res.status).toBe(200);
  return payload;
}

async function epochsCommand(env: Record<string, string>) {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: () => undefined,
    now: () => new Date(START),
  };
  const program = new Command('spx').exitOverride();
  registerHubCommands(program, io, {
    env,
    openDatabase: async () => ({ ...fx.handle, close: async () => undefined }),
  });
  await program.parseAsync(['hub', 'epochs', '--json'], { from: 'user' });
  return JSON.parse(out.join('')) as unknown;
}

describe('spx hub epochs', () => {
  it('counts the current statements under each epoch by agency, leaving out withdrawn ones', async () => {
    const old = await publish(city);
    await publish(city);
    await publish(board);
    // One city record re-stated under epoch 2; a board record retracted under epoch 1.
    fx.clock.advance(60);
    await publish(city, {
      id: newStatementId(fx.clock.now().getTime(), fx.rng),
      tokens: { epoch: 2, keys: old.tokens.keys.map((k) => ({ ...k, index: hubIndex(fx.rng) })) },
      supersedes: old.id,
      issuedAt: formatTimestamp(fx.clock.now()),
    });
    const withdrawn = await publish(board);
    fx.clock.advance(60);
    await publish(board, {
      ...withdrawn,
      id: newStatementId(fx.clock.now().getTime(), fx.rng),
      status: 'retracted',
      supersedes: withdrawn.id,
      issuedAt: formatTimestamp(fx.clock.now()),
    });

    const report = await epochsCommand({
      SPX_HUB_EPOCHS: '1,2',
      SPX_HUB_EPOCH_WINDOW_END: '2026-09-01T00:00:00Z',
    });
    expect(report).toEqual({
      served: {
        epochs: [
          { epoch: 1, retiresAt: '2026-09-01T00:00:00Z' },
          { epoch: 2, retiresAt: null },
        ],
      },
      standing: [
        {
          epoch: 1,
          statements: 2,
          agencies: [
            { ori: 'CA0194200', statements: 1 },
            { ori: 'CA0340000', statements: 1 },
          ],
        },
        { epoch: 2, statements: 1, agencies: [{ ori: 'CA0194200', statements: 1 }] },
      ],
    });
  });

  it('tells the operator what is left to re-state, and when the old epoch can go', () => {
    const served = {
      epochs: [
        { epoch: 1, retiresAt: '2026-09-01T00:00:00Z' },
        { epoch: 2, retiresAt: null },
      ],
    };
    const halfway = formatEpochReport({
      served,
      standing: [
        { epoch: 1, statements: 2, agencies: [{ ori: 'CA0194200', statements: 2 }] },
        { epoch: 2, statements: 5, agencies: [{ ori: 'CA0340000', statements: 5 }] },
      ],
    });
    expect(halfway).toBe(
      'Served now: epoch 1 (until 2026-09-01T00:00:00Z), epoch 2\n' +
        'epoch 1: 2 current statements not yet re-stated, from CA0194200 (2)\n' +
        'epoch 2: 5 current statements, from CA0340000 (5)\n' +
        '2 current statements are under an older epoch: a check under epoch 2 finds them only ' +
        'once their agencies re-state them (spx node publish).\n',
    );
    const done = formatEpochReport({
      served,
      standing: [{ epoch: 2, statements: 7, agencies: [{ ori: 'CA0340000', statements: 7 }] }],
    });
    expect(done).toContain(
      'Every current record is under epoch 2: the older epochs can be retired.',
    );
  });
});
