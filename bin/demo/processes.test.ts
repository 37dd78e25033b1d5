import { describe, expect, it } from 'vitest';
import { demoEnvironments } from './demo.js';
import { startedUrl } from './processes.js';

describe('startedUrl', () => {
  it("takes the address from a service's started line", () => {
    const line = JSON.stringify({
      time: '2026-12-07T10:00:00.000Z',
      level: 'info',
      event: 'started',
      url: 'http://127.0.0.1:41234',
      database: 'pglite:/tmp/x',
    });
    expect(startedUrl(line)).toBe('http://127.0.0.1:41234');
  });

  it('ignores every other line', () => {
    expect(startedUrl('{"event":"tables_analyzed","url":"http://127.0.0.1:1"}')).toBeUndefined();
    expect(startedUrl('{"event":"started"}')).toBeUndefined();
    expect(startedUrl('hub listening on http://127.0.0.1:41234')).toBeUndefined();
    expect(startedUrl('{"event":"started","url":')).toBeUndefined();
  });
});

describe('demoEnvironments', () => {
  it('leaves every port to the operating system unless a base port is given', () => {
    const free = demoEnvironments('/d');
    expect([free.hub.SPX_HUB_PORT, free.keyholder.SPX_KEYHOLDER_PORT]).toEqual(['0', '0']);
    expect(Object.values(free.nodes).map((e) => e.SPX_NODE_PORT)).toEqual(['0', '0', '0']);
    const fixed = demoEnvironments('/d', { basePort: 7300 });
    expect([fixed.hub.SPX_HUB_PORT, fixed.keyholder.SPX_KEYHOLDER_PORT]).toEqual(['7300', '7310']);
    expect(Object.values(fixed.nodes).map((e) => e.SPX_NODE_PORT)).toEqual([
      '7320',
      '7321',
      '7322',
    ]);
  });

  it('tells the services only the addresses already known', () => {
    const before = demoEnvironments('/d');
    expect(before.keyholder.SPX_KEYHOLDER_HUB_URL).toBeUndefined();
    expect(before.nodes.city.SPX_NODE_KEYHOLDER_URLS).toBeUndefined();
    const hubUrl = 'http://127.0.0.1:40001';
    const keyholderUrl = 'http://127.0.0.1:40002';
    const after = demoEnvironments('/d', { upstreams: { hubUrl, keyholderUrl } });
    expect(after.keyholder.SPX_KEYHOLDER_HUB_URL).toBe(hubUrl);
    expect(after.nodes.tribal).toMatchObject({
      SPX_NODE_HUB_URL: hubUrl,
      SPX_NODE_KEYHOLDER_URLS: keyholderUrl,
    });
    expect(Object.keys(after.hub).filter((k) => k.endsWith('_URL'))).toEqual([]);
  });
});
