/**
 * `spx hub certifications`: each agency's standing on a period — on time, late, missing, due —
 * with zero reports, from certifications submitted over HTTP.
 */
import { Command } from 'commander';
import { beforeEach, describe, expect, it } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { CliIo } from '../../platform/cli/cli-io.js';
import type { CertificationPayload } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { registerHubCommands } from '../cli.js';
import {
  enrollAgency,
  hubRequest,
  keyFromByte,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';

const fx = useHubFixture();
let early: TestAgency;
let late: TestAgency;
let absent: TestAgency;

beforeEach(async () => {
  early = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  late = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
  absent = await enrollAgency(fx.db, 'NM0010300', await keyFromByte(3));
});

async function certify(agency: TestAgency, at: string, patch: Partial<CertificationPayload> = {}) {
  fx.clock.ms = Date.parse(at);
  const payload: CertificationPayload = {
    v: 1,
    id: newStatementId(fx.clock.ms, fx.rng),
    issuer: agency.ori,
    period: '2026-Q1',
    sworn: 50,
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

async function run(args: string[], now: string) {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: () => undefined,
    now: () => new Date(now),
  };
  const program = new Command('spx').exitOverride();
  registerHubCommands(program, io, {
    env: {},
    openDatabase: async () => ({ ...fx.handle, close: async () => undefined }),
  });
  await program.parseAsync(['hub', 'certifications', ...args], { from: 'user' });
  return out.join('');
}

describe('spx hub certifications', () => {
  it('lists on time, late and missing for the last closed quarter, corrections kept on time', async () => {
    const first = await certify(early, '2026-04-10T10:00:00Z');
    await certify(early, '2026-05-20T10:00:00Z', { sworn: 52, supersedes: first.id });
    await certify(late, '2026-05-02T10:00:00Z', { sworn: 0 });

    const json = JSON.parse(await run(['--json'], '2026-06-01T00:00:00Z')) as {
      certifications: { ori: string; standing: string; sworn: number | null; versions: number }[];
    };
    expect(json.certifications.map((c) => [c.ori, c.standing, c.sworn, c.versions])).toEqual([
      [early.ori, 'on_time', 52, 2],
      [absent.ori, 'missing', null, 0],
      [late.ori, 'late', 0, 1],
    ]);
    const text = await run([], '2026-06-01T00:00:00Z');
    expect(text).toContain(`${early.ori}  2026-Q1  on time  zero report, 52 sworn`);
    expect(text).toContain(`${absent.ori}  2026-Q1  missing  deadline 2026-04-30`);
  });

  it('says due before the deadline, and refuses a period of another length', async () => {
    const json = JSON.parse(await run(['--json', '--period', '2026-Q1'], '2026-04-05T00:00:00Z'));
    expect(
      (json as { certifications: { standing: string }[] }).certifications.map((c) => c.standing),
    ).toEqual(['due', 'due', 'due']);
    await expect(run(['--period', '2026-03'], '2026-04-05T00:00:00Z')).rejects.toMatchObject({
      code: 'PERIOD_INVALID',
    });
    await expect(run(['--period', 'Q1'], '2026-04-05T00:00:00Z')).rejects.toMatchObject({
      code: 'PERIOD_INVALID',
    });
  });
});
