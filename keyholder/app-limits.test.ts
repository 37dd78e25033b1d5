/**
 * The keyholder app's limits: malformed and oversized bodies, the daily quota (exact limit,
 * concurrency, UTC days, allowances) and the registry copy's staleness with a fake hub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { HubAgencyDirectory } from './directory.js';
import { quotaRepository } from './quota-repository.js';
import {
  blindInputs,
  codeOf,
  openTestbed,
  signedInit,
  TESTBED_NOON as NOON,
  type TestAgency,
  type Testbed,
} from './test-fixtures.js';

let bed: Testbed;

beforeAll(async () => {
  bed = await openTestbed();
});
afterAll(() => bed?.handle.close());

describe('bad bodies', () => {
  const element = toBase64url(new Uint8Array(32).fill(1));
  const cases: [string, string, number, string, string?][] = [
    ['malformed JSON', '{"epoch":1,', 400, 'MALFORMED_JSON'],
    ['a JSON array', '[]', 400, 'MALFORMED_JSON'],
    [
      'an unknown member',
      JSON.stringify({ epoch: 1, blindedElements: [element], extra: 1 }),
      400,
      'VALIDATION_FAILED',
      'extra',
    ],
    [
      'an element of the wrong length',
      JSON.stringify({ epoch: 1, blindedElements: [toBase64url(new Uint8Array(31))] }),
      400,
      'VALIDATION_FAILED',
      'blindedElements[0]',
    ],
    [
      '257 elements',
      JSON.stringify({ epoch: 1, blindedElements: Array(257).fill(element) }),
      400,
      'VALIDATION_FAILED',
      'blindedElements',
    ],
    ['no elements', JSON.stringify({ epoch: 1, blindedElements: [] }), 400, 'VALIDATION_FAILED'],
    [
      'an epoch of the wrong type',
      JSON.stringify({ epoch: '1', blindedElements: [element] }),
      400,
      'VALIDATION_FAILED',
      'epoch',
    ],
    [
      'a non-canonical group element',
      JSON.stringify({ epoch: 1, blindedElements: [toBase64url(new Uint8Array(32).fill(0xff))] }),
      422,
      'OPRF_ELEMENT_INVALID',
      'blindedElements[0]',
    ],
    [
      'the identity element',
      JSON.stringify({ epoch: 1, blindedElements: [toBase64url(new Uint8Array(32))] }),
      422,
      'OPRF_ELEMENT_INVALID',
      'blindedElements[0]',
    ],
    ['an oversized body', 'x'.repeat(40 * 1024), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'a member named twice',
      `{"epoch":2,"blindedElements":["${element}"],"epoch":1}`,
      400,
      'MALFORMED_JSON',
      'epoch',
    ],
  ];

  it.each(cases)(
    'refuses %s with its code and consumes nothing',
    async (_, body, status, code, field) => {
      const a = await bed.agency();
      const res = await bed.app().request('/v1/evaluate', await signedInit(a, body, bed.now));
      expect(res.status).toBe(status);
      const problem = (await res.json()) as { code: string; errors?: { field: string }[] };
      expect(problem.code).toBe(code);
      if (field !== undefined) expect(problem.errors?.map((e) => e.field)).toContain(field);
      expect(await bed.used(a.ori)).toBe(0);
    },
  );

  it('refuses an agency its operator did not admit without reading its body', async () => {
    const a = await bed.agency(['reporter'], 'active', true, false);
    const { headers } = await signedInit(a, 'the body it claims', bed.now);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1024;
          controller.enqueue(new Uint8Array(1024).fill(0x20));
        },
      },
      { highWaterMark: 0 },
    );
    const res = await bed
      .app()
      .request('/v1/evaluate', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    expect([res.status, await codeOf(res)]).toEqual([403, 'AGENCY_NOT_ADMITTED']);
    expect(pulled).toBe(0);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const a = await bed.agency();
    const { body } = blindInputs(1, 1);
    const res = await bed
      .app()
      .request('/v1/evaluate', await signedInit(a, body, bed.now, { contentType: 'text/plain' }));
    expect(res.status).toBe(415);
    expect(await codeOf(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('daily quota', () => {
  it('accepts a request reaching the allowance exactly and refuses one element more with Retry-After', async () => {
    const a = await bed.agency();
    const small = bed.app({ dailyQuota: 10 });
    const send = async (n: number) => {
      const { body } = blindInputs(1, n, `q${n}`);
      return small.request('/v1/evaluate', await signedInit(a, body, bed.now));
    };
    expect((await send(6)).status).toBe(200);
    expect((await send(4)).status).toBe(200);
    const over = await send(1);
    expect(over.status).toBe(429);
    expect(await codeOf(over)).toBe('RATE_LIMITED');
    // 12:00 UTC → 12 hours to the next UTC midnight.
    expect(over.headers.get('retry-after')).toBe('43200');
    expect(await bed.used(a.ori)).toBe(10);
  });

  it('lets concurrent requests together use the allowance but never exceed it', async () => {
    const a = await bed.agency();
    await quotaRepository(bed.handle.db).setAllowance(a.ori, 100, bed.now);
    const inits = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const { body } = blindInputs(1, 30, `c${i}`);
        return signedInit(a, body, bed.now);
      }),
    );
    const statuses = await Promise.all(
      inits.map(async (init) => (await bed.app().request('/v1/evaluate', init)).status),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(await bed.used(a.ori)).toBe(90);
  });

  it('counts per agency and per UTC day', async () => {
    const a = await bed.agency();
    const b = await bed.agency();
    const limited = bed.app({ dailyQuota: 4 });
    const send = async (who: TestAgency) => {
      const { body } = blindInputs(1, 4, `${who.ori}-${bed.now.toISOString()}`);
      return limited.request('/v1/evaluate', await signedInit(who, body, bed.now));
    };
    try {
      bed.now = new Date('2026-05-01T23:59:59Z');
      expect((await send(a)).status).toBe(200);
      const over = await send(a);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('1');
      expect((await send(b)).status).toBe(200);
      bed.now = new Date('2026-05-02T00:00:00Z');
      expect((await send(a)).status).toBe(200);
    } finally {
      bed.now = NOON;
    }
  });

  it("applies an agency's own allowance instead of the default", async () => {
    const bulk = await bed.agency();
    await quotaRepository(bed.handle.db).setAllowance(bulk.ori, 50, bed.now);
    const limited = bed.app({ dailyQuota: 2 });
    const { body } = blindInputs(1, 40);
    const res = await limited.request('/v1/evaluate', await signedInit(bulk, body, bed.now));
    expect(res.status).toBe(200);
  });
});

describe('with the hub as directory', () => {
  it('keeps serving from its copy while the hub is down, until the copy is too old', async () => {
    const a = await bed.agency();
    let hubUp = true;
    const hub = (async () => {
      if (!hubUp) throw new TypeError('fetch failed');
      return Response.json({ agencies: [...bed.registry.values()] });
    }) as unknown as typeof fetch;
    const directory = new HubAgencyDirectory({
      hubUrl: 'http://hub.test',
      fetch: hub,
      now: () => bed.now,
      log: (line) => bed.logs.push(line),
      ttlSeconds: 60,
      maxStalenessSeconds: 3600,
      minRefreshSeconds: 10,
    });
    const viaHub = bed.app({ directory });
    const send = async () => {
      const { body } = blindInputs(1, 1, bed.now.toISOString());
      return viaHub.request('/v1/evaluate', await signedInit(a, body, bed.now));
    };
    try {
      expect((await send()).status).toBe(200);
      hubUp = false;
      bed.now = new Date(NOON.getTime() + 30 * 60_000);
      expect((await send()).status).toBe(200);
      bed.now = new Date(NOON.getTime() + 61 * 60_000);
      const stale = await send();
      expect(stale.status).toBe(503);
      expect(await codeOf(stale)).toBe('UNAVAILABLE');
      hubUp = true;
      bed.now = new Date(NOON.getTime() + 62 * 60_000);
      expect((await send()).status).toBe(200);
    } finally {
      bed.now = NOON;
    }
  });
});
