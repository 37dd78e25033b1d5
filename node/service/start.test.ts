import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lastClosedPeriod } from '../../protocol/certification.js';
import {
  CERTIFICATION_DEADLINE_TABLE_V1,
  certificationDeadline,
} from '../../protocol/certification-deadlines.js';
import { isConfigError } from '../../platform/config/config.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { parseNodeConfig } from '../config.js';
import { isNodeError } from '../errors.js';
import { readAgencyKeyFile, writeNewAgencyKeyFile } from './key-file.js';
import { loadPolicy } from './node-files.js';
import { isLoopbackHost, startNode } from './start.js';

const TOKEN = 'a-long-enough-admin-token-for-tests-0001';

async function codeOf(p: Promise<unknown>): Promise<[string | undefined, string | undefined]> {
  try {
    await p;
    return [undefined, undefined];
  } catch (e) {
    return isNodeError(e) ? [e.code, e.field] : [String(e), undefined];
  }
}

describe('node configuration and key files', () => {
  it('names every bad variable without echoing a value', () => {
    try {
      parseNodeConfig({
        SPX_NODE_ORI: 'nope',
        SPX_NODE_ADMIN_TOKEN: 'short',
        SPX_NODE_KEYHOLDER_URLS: 'ftp://x',
      });
      expect.unreachable();
    } catch (e) {
      expect(isConfigError(e)).toBe(true);
      const vars = isConfigError(e) ? e.issues.map((i) => i.variable) : [];
      expect(vars).toEqual(
        expect.arrayContaining([
          'SPX_NODE_ORI',
          'SPX_NODE_KEY_FILE',
          'SPX_NODE_ADMIN_TOKEN',
          'SPX_NODE_KEYHOLDER_URLS',
        ]),
      );
      expect(String(e)).not.toContain('short');
    }
  });

  it('reads back the key it wrote and names the member of a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spx-node-keyfile-'));
    const file = join(dir, 'agency.jwk');
    const key = await writeNewAgencyKeyFile(file, seededRng('key-file'));
    expect((await readAgencyKeyFile(file)).kid).toBe(key.kid);
    const other = await writeNewAgencyKeyFile(join(dir, 'other.jwk'), seededRng('other'));
    const mixed = join(dir, 'mixed.jwk');
    const json = JSON.parse(await readFile(file, 'utf8')) as { x: string };
    await writeFile(mixed, JSON.stringify({ ...json, x: other.publicJwk.x }), { mode: 0o600 });
    expect(await codeOf(readAgencyKeyFile(mixed))).toEqual(['KEY_FILE_INVALID', 'x']);
    const open = join(dir, 'open.jwk');
    await writeFile(open, JSON.stringify(json), { mode: 0o644 });
    expect(await codeOf(readAgencyKeyFile(open))).toEqual(['KEY_FILE_PERMISSIONS', 'path']);
    const pub = join(dir, 'public.jwk');
    await writeFile(pub, JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: json.x }), {
      mode: 0o600,
    });
    expect(await codeOf(readAgencyKeyFile(pub))).toEqual(['KEY_FILE_INVALID', 'd']);
  });

  it('refuses a policy file that is not a CheckPolicy', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'spx-node-policy-')), 'policy.json');
    await writeFile(file, JSON.stringify({ categoryList: 1, disqualifying: ['jaywalking'] }));
    expect(await codeOf(loadPolicy(file))).toEqual(['CONFIG_FILE_INVALID', 'SPX_NODE_POLICY_FILE']);
  });

  it('starts on a free loopback port, answers health over HTTP and closes cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spx-node-start-'));
    await writeNewAgencyKeyFile(join(dir, 'agency.jwk'), seededRng('start'));
    const config = parseNodeConfig({
      SPX_NODE_ORI: 'CA0194200',
      SPX_NODE_KEY_FILE: join(dir, 'agency.jwk'),
      SPX_NODE_ADMIN_TOKEN: TOKEN,
      SPX_NODE_PORT: '0',
      SPX_DATA_DIR: ':memory:',
      // Nothing listens on the discard port: the hub is unreachable.
      SPX_NODE_HUB_URL: 'http://127.0.0.1:9',
    });
    const lines: string[] = [];
    const timers = new Map<number, () => void>();
    let timerId = 0;
    const running = await startNode(config, {
      fetch: globalThis.fetch,
      now: () => new Date(),
      rng: seededRng('start-rng'),
      log: (l) => lines.push(l),
      signals: { on: () => undefined, off: () => undefined, exit: () => undefined },
      timers: {
        setTimeout: (callback) => (timers.set(++timerId, callback), timerId),
        clearTimeout: (id) => void timers.delete(id as number),
      },
    });
    try {
      expect(await (await fetch(`${running.url}/v1/health`)).json()).toEqual({ status: 'ok' });
      // Four loops wait for their first pass: the monitor's (scheduled first), the inbox's,
      // retention's and the certification reminder's.
      expect(timers.size).toBe(4);
      const [[first, pass], , [retentionTimer, retention], [reminderTimer, reminder]] = [
        ...timers.entries(),
      ] as [[number, () => void], [number, () => void], [number, () => void], [number, () => void]];
      // The monitor's first pass: the hub cannot be reached, which is an alert, not a crash.
      timers.delete(first);
      pass();
      await expect.poll(() => lines.some((l) => l.includes('"code":"LOG_UNREACHABLE"'))).toBe(true);
      const log = await fetch(`${running.url}/v1/log/status`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await log.json()).toMatchObject({ alerts: [{ code: 'LOG_UNREACHABLE' }] });
      // Retention's first pass cannot learn the agency's jurisdiction: logged, not a crash.
      timers.delete(retentionTimer);
      retention();
      await expect
        .poll(() => lines.some((l) => l.includes('"event":"retention_pass_failed"')), {
          timeout: 10_000,
        })
        .toBe(true);
      // The reminder's first pass: the hub cannot be reached, so the default deadline rule
      // decides; due (a warn line) when the last closed quarter's deadline is 14 days away or
      // less, computed here from the same protocol table and today's date.
      timers.delete(reminderTimer);
      reminder();
      const today = new Date();
      const period = lastClosedPeriod(today, 'quarter');
      const deadline = certificationDeadline(period, CERTIFICATION_DEADLINE_TABLE_V1.defaultRule);
      const due =
        Date.parse(`${deadline}T00:00:00Z`) -
          Date.parse(`${today.toISOString().slice(0, 10)}T00:00:00Z`) <=
        14 * 86_400_000;
      if (due) {
        await expect
          .poll(() => lines.some((l) => l.includes('"event":"certification_due"')), {
            timeout: 10_000,
          })
          .toBe(true);
      }
      const status = await fetch(`${running.url}/v1/status`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await status.json()).toMatchObject({
        ori: 'CA0194200',
        officers: 0,
        certificationDue: due ? { period, deadline } : null,
      });
      expect(lines.some((l) => l.includes('certification_reminder_failed'))).toBe(false);
    } finally {
      await running.close();
    }
    await running.closed;
    expect(lines.some((l) => l.includes('"event":"started"'))).toBe(true);
    // On loopback: no warning about serving records beyond this machine.
    expect(lines.some((l) => l.includes('listening_beyond_loopback'))).toBe(false);
    expect(timers.size).toBe(0); // every next pass was cancelled on shutdown
  });

  it('serves HTTPS beyond loopback with the configured certificate and key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spx-node-tls-'));
    await writeNewAgencyKeyFile(join(dir, 'agency.jwk'), seededRng('start-tls'));
    const tlsDir = new URL('../../platform/http/test-support/tls/', import.meta.url);
    const config = parseNodeConfig({
      SPX_NODE_ORI: 'CA0194200',
      SPX_NODE_KEY_FILE: join(dir, 'agency.jwk'),
      SPX_NODE_ADMIN_TOKEN: TOKEN,
      SPX_NODE_HOST: '0.0.0.0',
      SPX_NODE_PORT: '0',
      SPX_NODE_TLS_CERT_FILE: fileURLToPath(new URL('cert.pem', tlsDir)),
      SPX_NODE_TLS_KEY_FILE: fileURLToPath(new URL('key.pem', tlsDir)),
      SPX_DATA_DIR: ':memory:',
      SPX_NODE_HUB_URL: 'http://127.0.0.1:9',
    });
    const lines: string[] = [];
    const running = await startNode(config, {
      fetch: globalThis.fetch,
      now: () => new Date(),
      rng: seededRng('start-tls-rng'),
      log: (l) => lines.push(l),
      signals: { on: () => undefined, off: () => undefined, exit: () => undefined },
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    });
    try {
      expect(running.url).toMatch(/^https:\/\//);
      const port = new URL(running.url).port;
      const ca = await readFile(new URL('cert.pem', tlsDir), 'utf8');
      const page = await new Promise<{ status: number }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path: '/console/sign-in', ca, servername: 'localhost' },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(page.status).toBe(200);
      // TLS of its own: no warning about plain HTTP beyond loopback.
      expect(lines.some((l) => l.includes('listening_beyond_loopback'))).toBe(false);
    } finally {
      await running.close();
    }
  });

  it.each([
    ['127.0.0.1', true],
    ['127.10.0.5', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.8', false],
    ['node.example.gov', false],
    ['127.0.0.1.example.org', false],
  ])('tells loopback from a wider address: %s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
