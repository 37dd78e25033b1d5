import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromBase64url } from '../../crypto/encoding.js';
import { categoryDefinition, type Category } from '../../protocol/categories.js';
import { clearHubTables, problemCode, useHubFixture } from '../test-support.js';
import type { HubDatabase } from '../database.js';
import { statisticsSnapshots } from '../statistics/statistics.table.js';
import { PUBLIC_HUB_CONFIG, seedPublicHub } from './pages.test-support.js';
import { PAGE_CSP } from './html-response.js';

async function reset(db: HubDatabase): Promise<void> {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
}

const fx = useHubFixture({ config: PUBLIC_HUB_CONFIG, clear: reset });

interface ReleaseRow {
  dimensions: Record<string, string | number>;
  count: number | null;
  suppressed: string | null;
}

const page = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fx.app.request(path, { headers });
  return { res, text: await res.text() };
};

/** The table rows of a page: header cell, then the data cells' text. */
function tableRows(html: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const [, inner] of html.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const head = /<th scope="row">(.*?)<\/th>/s.exec(inner!);
    if (!head) continue;
    const cells = [...inner!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!);
    rows.set(head[1]!, cells);
  }
  return rows;
}

const national = (rows: ReleaseRow[], dims: string[], along: string, value: string | number) =>
  rows.find((r) =>
    dims.every((d) => (d === along ? r.dimensions[d] === value : r.dimensions[d] === '*')),
  );

describe('the public pages', () => {
  beforeEach(async () => {
    await seedPublicHub(fx);
  });

  it('show the release by category with exactly its numbers, suppressed cells as suppressed', async () => {
    const doc = (await (await fx.app.request('/v1/statistics')).json()) as {
      metadata: { dimensions: string[]; tier: string; domains: Record<string, string[]> };
      rows: ReleaseRow[];
    };
    expect(doc.metadata.tier).toBe('full');
    const { res, text } = await page('/statistics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const rows = tableRows(text);
    const labels: Record<string, string> = {
      termination: 'Termination',
      decertification: 'Decertification',
      suspension: 'Suspension for misconduct',
      criminal_conviction_on_duty: 'Criminal conviction for on-duty conduct',
    };
    let suppressed = 0;
    for (const [code, label] of Object.entries(labels)) {
      const row = national(doc.rows, doc.metadata.dimensions, 'category', code);
      const shown = rows.get(label);
      expect(shown, label).toBeDefined();
      if (row?.suppressed) {
        suppressed++;
        expect(shown![0]).toBe('suppressed');
      } else {
        expect(shown![0]).toBe(String(row?.count ?? 0));
      }
    }
    // The lone decertification is below the smallest cell; its complement here is the total.
    expect(suppressed).toBeGreaterThanOrEqual(1);
    expect(text).toContain('<dt>All outcomes</dt><dd>suppressed</dd>');
    expect(rows.get('Decertification')![0]).toBe('suppressed');
    // Years and levels are there too, as charts with their descriptions.
    expect(rows.get('2025')![0]).toBe('5');
    expect(rows.get('Tribal')).toBeDefined();
    expect(text).toContain(
      '<svg role="img" aria-labelledby="chart-category-title chart-category-desc"',
    );
    expect(text).not.toMatch(/<script/i);
  });

  it('never shows a suppressed count, anywhere on the page', async () => {
    // The hub's stored table keeps the true counts; the page must not carry the hidden ones.
    const [snapshot] = await fx.db.select().from(statisticsSnapshots);
    const table = JSON.parse(snapshot!.tableJson) as { rows: ReleaseRow[] };
    const hidden = table.rows.filter(
      (r) =>
        r.suppressed !== null &&
        Object.entries(r.dimensions).every(([d, v]) => d === 'category' || v === '*'),
    );
    // The decertification and, as its complement, the grand total.
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    const { text } = await page('/statistics');
    const rows = tableRows(text);
    for (const r of hidden) {
      if (r.dimensions['category'] === '*') {
        expect(text).toContain('<dt>All outcomes</dt><dd>suppressed</dd>');
        expect(text).not.toContain(`<dd>${r.count}</dd>`);
        continue;
      }
      const label = categoryDefinition(r.dimensions['category'] as Category).label;
      expect(rows.get(label)![0]).toBe('suppressed');
      expect(rows.get(label)).not.toContain(String(r.count));
    }
  });

  it('serve the signed release CSV as a download, the very bytes the manifest signs', async () => {
    const res = await fx.app.request('/statistics.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="spx-statistics-2026-05-02T00-00-00Z\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    const api = new Uint8Array(
      await (await fx.app.request('/v1/statistics?format=csv')).arrayBuffer(),
    );
    expect(bytes).toEqual(api);
    const manifest = await (await fx.app.request('/v1/statistics/manifest')).text();
    const payload = JSON.parse(
      new TextDecoder().decode(fromBase64url(manifest.split('.')[1]!)),
    ) as {
      csv: string;
    };
    expect(createHash('sha256').update(bytes).digest('base64url')).toBe(payload.csv);
    // A suppressed cell is an empty count with its flag, never a number.
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    const decert = lines.find((l) => l.startsWith('decertification,*,*,*'));
    expect(decert).toMatch(/,,suppressed$/);
    // Revalidation: the ETag of the release's body.
    const again = await fx.app.request('/statistics.csv', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('send a policy that allows no script, and revalidate with an ETag', async () => {
    for (const path of ['/', '/statistics', '/coverage', '/compliance', '/log', '/agencies']) {
      const { res, text } = await page(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(PAGE_CSP);
      expect(PAGE_CSP).toContain("default-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(text.startsWith('<!DOCTYPE html><html lang="en">'), path).toBe(true);
      expect(text).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      const again = await fx.app.request(path, { headers: { 'if-none-match': etag } });
      expect(again.status, path).toBe(304);
    }
    const css = await fx.app.request('/assets/site.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('refuse unknown, repeated and out-of-range parameters with a 400 naming the field', async () => {
    for (const [path, field] of [
      ['/statistics?format=csv', 'format'],
      ['/log?days=0', 'days'],
      ['/log?days=367', 'days'],
      ['/log?days=ten', 'days'],
      ['/log?days=1&days=2', 'days'],
      ['/agencies?level=galactic', 'level'],
      ['/agencies?state=XX', 'state'],
      ['/agencies?page=0', 'page'],
      ['/agencies?page=' + '9'.repeat(80), 'page'],
      ['/compliance?period=2026-Q1', 'period'],
    ] as const) {
      expect(await problemCode(await fx.app.request(path)), path).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [expect.stringContaining(field)],
      });
    }
    const { res, text } = await page('/log?days=0', { accept: 'text/html' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(text).toContain('<code>days</code>: a whole number from 1 to 366');
  });

  it('show coverage with its tier thresholds', async () => {
    const { text } = await page('/coverage');
    const rows = tableRows(text);
    expect(rows.get('Sworn officers in agencies that certified 2026-Q1')).toEqual(['14,530']);
    expect(rows.get('Active reporting agencies')).toEqual(['4']);
    expect(text).toContain('Coverage 100.00 %');
  });

  it('show the transparency log: its checkpoint, its witness, its size per day', async () => {
    const note = await (await fx.app.request('/v1/log/checkpoint')).text();
    const size = note.split('\n')[1]!;
    const { text } = await page('/log');
    expect(text).toContain(`<dd>${Number(size).toLocaleString('en-US')}</dd>`);
    const rows = tableRows(text);
    expect(rows.get('Washington State Auditor')).toEqual([
      'WA0000001',
      size,
      '2026-05-02T12:00:00Z',
      'cosigned',
    ]);
    expect(rows.get('2026-05-02')).toEqual([size]);
    expect(rows.get('2026-05-01')).toBeDefined();
    // One day back: today only.
    const today = tableRows((await page('/log?days=1')).text);
    expect(today.get('2026-05-01')).toBeUndefined();
    expect(today.get('2026-05-02')).toEqual([size]);
  });

  it('list the agencies, filtered by level and state, without contact or keys', async () => {
    const all = await page('/agencies');
    const rows = tableRows(all.text);
    expect(rows.get('Salt River Police Department')).toEqual([
      'AZ0000T01',
      'Tribal',
      '—',
      'reporter, checker',
      'active',
    ]);
    expect(rows.size).toBe(5);
    expect(all.text).not.toContain('records@example.gov');
    const tribal = tableRows((await page('/agencies?level=tribal')).text);
    expect([...tribal.keys()]).toEqual(['Salt River Police Department']);
    const none = tableRows((await page('/agencies?state=none')).text);
    expect([...none.keys()]).toEqual(['Salt River Police Department']);
    const tx = await page('/agencies?state=TX&level=local');
    expect([...tableRows(tx.text).keys()]).toEqual(['Travis County Sheriff']);
    expect(tx.text).toContain('<option value="TX" selected="">TX</option>');
    expect((await page('/agencies?page=2')).text).toContain('Page 2 is past the last page, 1.');
  });

  it('summarise compliance in counts of agencies, never a per-agency line', async () => {
    const { text } = await page('/compliance');
    expect(text).toContain('for the period 2026-Q1');
    // Four law enforcement agencies (the witness is not one), one of them tribal.
    expect(text).toContain('<dt>Agencies</dt><dd>4</dd>');
    const rows = tableRows(text);
    expect(rows.get('exempt from credentialing (tribal agency)')).toEqual([
      'meets',
      '0',
      '0',
      '1',
      '1',
    ]);
    for (const agency of ['CA0194200', 'Los Angeles Police Department', 'AZ0000T01']) {
      expect(text).not.toContain(agency);
    }
    // Four agencies is more than the smallest cell (3): national eligibility is published.
    expect(text).not.toContain('not published');
  });
});
