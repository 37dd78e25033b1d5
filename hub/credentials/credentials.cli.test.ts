/**
 * The operator's credentialing commands: `spx hub body …`, `spx hub bodies` and
 * `spx hub credentials`, on the hub database; and the same operations through the operator API
 * (operatorClient over the operator app) giving the same results and refusals.
 */
import { Command } from 'commander';
import { beforeEach, describe, expect, it } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { CliIo } from '../../platform/cli/cli-io.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { CredentialPayload } from '../../protocol/credential.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { registerHubCommands } from '../cli.js';
import { mailboxService } from '../mailbox/mailbox.service.js';
import { localOperations } from '../operator/operations.js';
import { operatorClient } from '../operator/operator.client.js';
import { createOperatorApp } from '../operator/operator.routes.js';
import { enrollAgency, hubRequest, keyFromByte, useHubFixture } from '../test-support.js';

const fx = useHubFixture();

beforeEach(async () => {
  await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  await enrollAgency(fx.db, 'AZ0000T01', await keyFromByte(2), {
    jurisdiction: 'tribal',
    state: null,
  });
});

async function run(args: string[]) {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: () => undefined,
    now: () => fx.clock.now(),
  };
  const program = new Command('spx').exitOverride();
  registerHubCommands(program, io, {
    env: {},
    openDatabase: async () => ({ ...fx.handle, close: async () => undefined }),
  });
  await program.parseAsync(['hub', ...args], { from: 'user' });
  return out.join('');
}

const contact = [
  '--contact-name',
  'Accreditation Office',
  '--contact-email',
  'office@example.org',
  '--contact-phone',
  '+15405550100',
];

describe('spx hub body and spx hub credentials', () => {
  it('enrolls a body, lists it, and shows each agency’s standing', async () => {
    const key = await keyFromByte(11);
    const enrolled = await run([
      'body',
      'enroll',
      '--id',
      'calea',
      '--name',
      'Example Accreditation Commission',
      '--jwk',
      JSON.stringify(key.publicJwk),
      ...contact,
    ]);
    expect(enrolled).toMatch(/^enrolled calea {2}active since 2026-05-01T12:00:00Z/);
    expect(await run(['bodies'])).toContain('calea  active');

    const payload: CredentialPayload = {
      v: 1,
      id: newStatementId(fx.clock.ms, fx.rng),
      body: 'calea',
      ori: 'CA0194200',
      standardsList: 1,
      standards: { use_of_force_policy_lawful: true, chokehold_ban: true },
      assessedOn: '2026-04-01',
      issuedAt: formatTimestamp(fx.clock.now()),
    };
    const jws = await signStatement(payload as unknown as JsonObject, {
      typ: STATEMENT_TYPES.credential,
      key,
    });
    const res = await hubRequest(
      fx,
      'POST',
      '/v1/credentials',
      { ori: 'calea', key },
      JSON.stringify({ credential: jws }),
    );
    expect(res.status).toBe(201);

    const json = JSON.parse(await run(['credentials', '--json'])) as {
      day: string;
      standings: { ori: string; standing: string }[];
    };
    expect(json.day).toBe('2026-05-01');
    expect(json.standings.map((s) => [s.ori, s.standing])).toEqual([
      ['AZ0000T01', 'exempt'],
      ['CA0194200', 'credentialed'],
    ]);
    const text = await run(['credentials', '--day', '2029-04-02']);
    expect(text).toContain(
      'CA0194200  expired       calea assessed 2026-04-01, valid until 2029-04-01',
    );

    expect(await run(['body', 'retire', '--id', 'calea'])).toMatch(/^retired calea {2}retired/);
    await expect(run(['body', 'reinstate', '--id', 'calea'])).rejects.toMatchObject({
      code: 'BODY_RETIRED',
    });
    await expect(run(['credentials', '--day', '2026-13-01'])).rejects.toMatchObject({
      code: 'DAY_INVALID',
    });
  });

  it('refuses a bad enrolment naming the flags', async () => {
    await expect(
      run(['body', 'enroll', '--id', 'X', '--name', ' ', '--jwk', '{"kty":"OKP"}', ...contact]),
    ).rejects.toMatchObject({
      code: 'ENTRY_INVALID',
      message: expect.stringMatching(/--jwk: KEY_INVALID[\s\S]*--id: [\s\S]*--name: /),
    });
  });

  it('gives the same results and refusals through the operator API', async () => {
    const local = localOperations(
      fx.db,
      () => fx.clock.now(),
      () => Promise.resolve(mailboxService(fx.db, { signingKey: fx.hubKey })),
      { signingKey: () => Promise.resolve(fx.hubKey) },
    );
    const app = createOperatorApp({
      operations: local,
      log: () => undefined,
      now: () => fx.clock.now(),
    });
    const remote = operatorClient((request) => Promise.resolve(app.request(request)));
    const input = {
      id: 'calea',
      name: 'Example Accreditation Commission',
      jwk: (await keyFromByte(11)).publicJwk,
      contact: { name: 'Office', email: 'office@example.org', phone: '+15405550100' },
    };
    const enrolled = await remote.enrollBody(input);
    expect(enrolled).toEqual(await local.listBodies().then((b) => b[0]));
    await expect(remote.enrollBody(input)).rejects.toMatchObject({
      code: 'BODY_EXISTS',
      field: 'id',
    });
    const next = await keyFromByte(12);
    const rotated = await remote.rotateBodyKey('calea', next.publicJwk);
    expect(rotated.keys.filter((k) => k.status === 'active').map((k) => k.kid)).toEqual([next.kid]);
    expect(rotated.keys).toHaveLength(2);
    await expect(remote.rotateBodyKey('calea', { kty: 'OKP' })).rejects.toMatchObject({
      code: 'ENTRY_INVALID',
      errors: [expect.objectContaining({ field: 'jwk', code: 'KEY_INVALID' })],
    });
    expect((await remote.setBodyStatus('calea', 'suspended')).status).toBe('suspended');
    await expect(remote.setBodyStatus('nobody', 'suspended')).rejects.toMatchObject({
      code: 'BODY_UNKNOWN',
    });
    expect(await remote.credentialStandings('2026-05-01')).toEqual(
      await local.credentialStandings('2026-05-01'),
    );
  });
});
