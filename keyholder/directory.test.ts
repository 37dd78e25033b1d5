import { beforeEach, describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../protocol/registry-entry.js';
import { HubAgencyDirectory, type HubDirectoryOptions } from './directory.js';
import { makeAgency } from './test-fixtures.js';

const T0 = new Date('2026-05-01T12:00:00Z').getTime();

/** A fake hub: serves `listing` (or fails as told) and counts the fetches. */
class FakeHub {
  listing: unknown[] = [];
  mode: 'ok' | 'down' | 'error500' | 'not-json' | 'huge' = 'ok';
  calls = 0;
  urls: string[] = [];
  fetch = (async (url: string) => {
    this.calls++;
    this.urls.push(url);
    switch (this.mode) {
      case 'down':
        throw new TypeError('fetch failed');
      case 'error500':
        return new Response('oops', { status: 500 });
      case 'not-json':
        return new Response('<html>', { status: 200 });
      case 'huge':
        return new Response('x'.repeat(2048), { status: 200 });
      default:
        return Response.json({ agencies: this.listing });
    }
  }) as unknown as typeof fetch;
}

let hub: FakeHub;
let now: number;
let logs: string[];
let a: RegistryEntry;
let b: RegistryEntry;

function directory(overrides: Partial<HubDirectoryOptions> = {}) {
  return new HubAgencyDirectory({
    hubUrl: 'http://hub.test/',
    fetch: hub.fetch,
    now: () => new Date(now),
    log: (l) => logs.push(l),
    ttlSeconds: 60,
    maxStalenessSeconds: 3600,
    minRefreshSeconds: 10,
    ...overrides,
  });
}

const events = () => logs.map((l) => (JSON.parse(l) as { event: string }).event);

beforeEach(async () => {
  hub = new FakeHub();
  now = T0;
  logs = [];
  a = (await makeAgency('CA0000001', 1)).entry;
  b = (await makeAgency('TX0000002', 2)).entry;
  hub.listing = [a];
});

describe('HubAgencyDirectory', () => {
  it('fetches GET {hubUrl}/v1/registry/agencies once and serves from its copy within the TTL', async () => {
    const d = directory();
    expect(await d.find('CA0000001')).toEqual(a);
    now += 59_000;
    expect(await d.find('CA0000001')).toEqual(a);
    expect(hub.calls).toBe(1);
    expect(hub.urls).toEqual(['http://hub.test/v1/registry/agencies']);
  });

  it('fetches again once the TTL has passed', async () => {
    const d = directory();
    await d.find('CA0000001');
    hub.listing = [{ ...a, status: 'suspended' }];
    now += 60_000;
    expect((await d.find('CA0000001'))?.status).toBe('suspended');
    expect(hub.calls).toBe(2);
  });

  it('refetches early for an unknown ORI, at most once per minimum interval', async () => {
    const d = directory();
    await d.find('CA0000001');
    now += 10_000;
    hub.listing = [a, b];
    expect(await d.find('TX0000002')).toEqual(b);
    expect(hub.calls).toBe(2);
    // Made-up ORIs cannot make the keyholder hammer the hub.
    now += 1_000;
    expect(await d.find('NY9999999')).toBeUndefined();
    expect(await d.find('NY9999998')).toBeUndefined();
    expect(hub.calls).toBe(2);
    now += 10_000;
    expect(await d.find('NY9999999')).toBeUndefined();
    expect(hub.calls).toBe(3);
  });

  it('refetches early when a known agency presents a key id it does not list (key rotation)', async () => {
    const d = directory();
    await d.find('CA0000001');
    const rotated = (await makeAgency('CA0000001', 9)).entry;
    hub.listing = [rotated];
    now += 15_000;
    expect(await d.find('CA0000001', a.keys[0]!.kid)).toEqual(a);
    expect(hub.calls).toBe(1);
    expect(await d.find('CA0000001', rotated.keys[0]!.kid)).toEqual(rotated);
    expect(hub.calls).toBe(2);
  });

  it('keeps serving its last copy while the hub is unreachable and logs it', async () => {
    const d = directory();
    await d.find('CA0000001');
    hub.mode = 'down';
    now += 30 * 60_000;
    expect(await d.find('CA0000001')).toEqual(a);
    expect(events()).toContain('registry_refresh_failed');
    const failure = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['event'] === 'registry_refresh_failed');
    expect(failure).toMatchObject({ reason: 'hub unreachable', servingCopyAgeSeconds: 1800 });
  });

  it('retries an unreachable hub at most once per minimum interval', async () => {
    const d = directory();
    await d.find('CA0000001');
    hub.mode = 'down';
    now += 61_000;
    await d.find('CA0000001');
    await d.find('CA0000001');
    now += 5_000;
    await d.find('CA0000001');
    expect(hub.calls).toBe(2);
    now += 10_000;
    await d.find('CA0000001');
    expect(hub.calls).toBe(3);
  });

  it('refuses with REGISTRY_UNAVAILABLE once its copy is older than the maximum staleness', async () => {
    const d = directory();
    await d.find('CA0000001');
    hub.mode = 'down';
    now += 3600_000;
    await expect(d.find('CA0000001')).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    hub.mode = 'ok';
    now += 10_000;
    expect(await d.find('CA0000001')).toEqual(a);
  });

  it('refuses with REGISTRY_UNAVAILABLE when it never got a copy', async () => {
    hub.mode = 'down';
    await expect(directory().find('CA0000001')).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
    });
  });

  it.each([
    ['error500', 'hub answered HTTP 500'],
    ['not-json', 'hub answered with a body that is not JSON'],
    ['huge', 'hub answer exceeds 1024 bytes'],
  ] as const)('treats a hub answer of kind %s as a failed refresh', async (mode, reason) => {
    hub.mode = mode;
    const d = directory({ maxResponseBytes: 1024 });
    await expect(d.find('CA0000001')).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect(logs.some((l) => (JSON.parse(l) as { reason?: string }).reason === reason)).toBe(true);
  });

  it('treats an answer without an agencies list as a failed refresh', async () => {
    hub.listing = undefined as unknown as unknown[];
    await expect(directory().find('CA0000001')).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
    });
  });

  it('skips and logs invalid entries but serves the valid ones', async () => {
    const bad = { ...b, roles: ['janitor'] };
    hub.listing = [bad, a, 'not an entry', { ...a, ori: 'CA0000003', extra: true }];
    const d = directory();
    expect(await d.find('CA0000001')).toEqual(a);
    expect(await d.find('TX0000002')).toBeUndefined();
    expect(d.state.agencies).toBe(1);
    const skipped = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['event'] === 'registry_entry_skipped');
    expect(skipped.map((s) => [s['index'], s['ori']])).toEqual([
      [0, 'TX0000002'],
      [2, null],
      [3, 'CA0000003'],
    ]);
    expect(skipped[0]!['fields']).toContain('roles');
  });

  it('drops an ORI listed twice rather than guess which entry is current', async () => {
    hub.listing = [a, { ...a, status: 'suspended' }, b];
    const d = directory();
    expect(await d.find('CA0000001')).toBeUndefined();
    expect(await d.find('TX0000002')).toEqual(b);
  });

  it('shares one fetch among concurrent lookups', async () => {
    const d = directory();
    await Promise.all([d.find('CA0000001'), d.find('CA0000001'), d.find('TX0000002')]);
    expect(hub.calls).toBe(1);
  });
});
