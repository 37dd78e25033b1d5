/**
 * `spx audit-log` through commander with an injected io and fetch, mapping errors to exit
 * codes as bin/spx.ts `main` does: 0 verified, 3 not verified, 2 usage, 1 failure to run; the
 * state file is replaced only after an audit that passed.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attestationLogEntry } from '../../protocol/tlog.js';
import { runProgram } from '../../platform/cli/test-support/run-program.js';
import { registerAuditCommand } from './cli.js';
import { AUDIT_HUB_URL, auditHub, sampleEntries, type AuditHub } from './test-support/audit-hub.js';

const spx = (args: string[], fetch: typeof globalThis.fetch) =>
  runProgram(
    (program, io) => registerAuditCommand(program, io, { fetch, clock: () => 0 }),
    args,
    new Date('2026-11-27T12:00:00Z'),
  );

let hub: AuditHub;
let dir: string;
const audit = (...flags: string[]) =>
  spx(['audit-log', '--hub-url', AUDIT_HUB_URL, ...flags], hub.fetch);

beforeEach(async () => {
  hub = await auditHub();
  hub.append((await sampleEntries(120)).entries);
  dir = await mkdtemp(join(tmpdir(), 'audit-log-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('spx audit-log', () => {
  it('exits 0 on a log that verifies, and says the key was not pinned', async () => {
    const r = await audit();
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('Hub key NOT pinned: taken from GET /v1/hub/keys');
    expect(r.out).toContain('origin NOT pinned');
    expect(r.out).toContain('Checkpoint: size 120');
    expect(r.out).toMatch(
      /Entries audited: 120 of 120 — 117 attestation, 2 agency \(2 enrolled, 0 key rotated/,
    );
    expect(r.out).toContain('OK: every entry verifies');
  });

  it('accepts --hub-keys, the spelling of verify-evidence, for --hub-key', async () => {
    const keyFile = join(dir, 'hub-keys-spelling.json');
    await writeFile(keyFile, JSON.stringify({ keys: [hub.key.publicJwk] }));
    const r = await audit('--hub-keys', keyFile, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ hubKeys: { pinned: true, kids: [hub.key.kid] } });
    expect((await audit('--hub-key', keyFile, '--hub-keys', keyFile)).code).toBe(2);
  });

  it('prints the report as JSON, with the hub key pinned from a JWK Set file', async () => {
    const keyFile = join(dir, 'hub-keys.json');
    await writeFile(keyFile, JSON.stringify({ keys: [hub.key.publicJwk] }));
    const r = await audit('--hub-key', keyFile, '--origin', hub.log.origin, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: true,
      hubUrl: `${AUDIT_HUB_URL}/`,
      originPinned: true,
      hubKeys: { pinned: true, kids: [hub.key.kid] },
      checkpoint: { size: 120 },
      entries: { audited: 120 },
      stateSaved: false,
    });
    expect(hub.requests).not.toContain('/v1/hub/keys');
  });

  it('writes the state on success, audits the next run against it, and keeps it on failure', async () => {
    const state = join(dir, 'state.json');
    expect((await audit('--state', state)).code).toBe(0);
    const first = await readFile(state, 'utf8');
    expect(JSON.parse(first)).toEqual({
      v: 1,
      checkpoint: hub.log.checkpoint(),
      verifiedAt: '2026-11-27T12:00:00.000Z',
    });

    hub.append((await sampleEntries(5, 'later')).entries);
    const grown = await audit('--state', state);
    expect(grown.code).toBe(0);
    expect(grown.out).toContain('Saved checkpoint: size 120');
    expect(grown.out).toContain(`State saved to ${state}.`);
    const second = await readFile(state, 'utf8');
    expect((JSON.parse(second) as { checkpoint: string }).checkpoint).toContain('\n125\n');

    hub.rewriteEntry(3, attestationLogEntry(new Uint8Array(32), 'eyJ9.e30.rewritten'));
    const rewritten = await audit('--state', state);
    expect(rewritten.code).toBe(3);
    expect(rewritten.err).toMatch(/^spx: AUDIT_HISTORY_REWRITTEN: /);
    expect(rewritten.out).toContain('FAILED AUDIT_HISTORY_REWRITTEN');
    expect(rewritten.out).toContain('State not updated');
    expect(await readFile(state, 'utf8')).toBe(second);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('exits 3 on a log that does not verify or a hub that does not answer', async () => {
    hub.tamper.page = (p) => ({ ...p, entries: p.entries.slice(1) });
    const r = await audit('--json');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^spx: AUDIT_ENTRIES_INCOMPLETE: /);
    expect((JSON.parse(r.out) as { ok: boolean }).ok).toBe(false);

    const gone = await spx(['audit-log', '--hub-url', 'http://nowhere.test'], hub.fetch);
    expect(gone.code).toBe(3);
    expect(gone.err).toMatch(/^spx: AUDIT_UNREACHABLE: /);
  });

  it.each([
    [[], /required option '--hub-url/],
    [['--hub-url', 'ftp://hub.test'], /OPTION_INVALID: --hub-url: /],
    [['--hub-url', 'http://hub.test/?x=1'], /OPTION_INVALID: --hub-url: /],
    [['--hub-url', AUDIT_HUB_URL, '--origin', 'has space'], /OPTION_INVALID: --origin: /],
    [['--hub-url', AUDIT_HUB_URL, '--witness', 'nonsense'], /OPTION_INVALID: --witness: /],
    [['--hub-url', AUDIT_HUB_URL, '--quorum', '1'], /OPTION_INVALID: --quorum: at most/],
    [['--hub-url', AUDIT_HUB_URL, '--quorum', '-1'], /OPTION_INVALID: --quorum: /],
    [['--hub-url', AUDIT_HUB_URL, '--state', ''], /OPTION_INVALID: --state: /],
  ])('exits 2 naming the flag: %j', async (flags, message) => {
    const r = await spx(['audit-log', ...flags], hub.fetch);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(hub.requests).toEqual([]);
  });

  it('exits 2 when --origin contradicts the saved state', async () => {
    const state = join(dir, 'state.json');
    expect((await audit('--state', state)).code).toBe(0);
    const r = await audit('--state', state, '--origin', 'other.test/log');
    expect([r.code, r.err]).toEqual([
      2,
      'spx: OPTION_INVALID: --origin: differs from the origin of the checkpoint saved in --state\n',
    ]);
  });

  it('exits 1 on a key file or state file it cannot use', async () => {
    const keyFile = join(dir, 'hub-key.json');
    await writeFile(keyFile, JSON.stringify({ ...hub.key.publicJwk, d: 'c2VjcmV0' }));
    const privateKey = await audit('--hub-key', keyFile);
    expect([privateKey.code, privateKey.err]).toEqual([
      1,
      'spx: HUB_KEY_INVALID: --hub-key: $.d: unexpected JWK member "d"\n',
    ]);
    expect((await audit('--hub-key', join(dir, 'missing.json'))).err).toMatch(/FILE_UNREADABLE/);

    const state = join(dir, 'state.json');
    await writeFile(state, '{"v":1,"checkpoint":"not a note"}');
    const r = await audit('--state', state);
    expect([r.code, r.err]).toEqual([
      1,
      `spx: STATE_INVALID: --state: ${state}: checkpoint: not a signed checkpoint (NOTE_MALFORMED)\n`,
    ]);
    expect(hub.requests).toEqual([]);
  });

  it('prints the report and exits 1 when the state cannot be written', async () => {
    const state = join(dir, 'no-such-dir', 'state.json');
    const r = await audit('--state', state);
    expect([r.code, r.err]).toEqual([
      1,
      `spx: STATE_WRITE_FAILED: --state: cannot write ${state}\n`,
    ]);
    expect(r.out).toContain('OK: every entry verifies');
    expect(r.out).toContain(`State not updated (${state}).`);
    expect(await readdir(dir)).toEqual([]);
  });
});
