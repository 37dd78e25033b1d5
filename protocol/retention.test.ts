import { describe, expect, it } from 'vitest';
import { CATEGORIES } from './categories.js';
import {
  CURRENT_RETENTION_TABLE,
  RETENTION_TABLE_V1,
  RETENTION_TABLES,
  retentionDue,
  retentionDueDate,
  retentionRule,
  type RetentionTable,
} from './retention.js';

/** A table whose state rules differ from the national ones, to show the lookup order. */
const TABLE: RetentionTable = {
  version: 99,
  defaultRule: { years: 7, source: 'default' },
  categories: { decertification: { years: null, source: 'national decertification' } },
  states: {
    NM: {
      decertification: { years: 10, source: 'NM decertification' },
      suspension: { years: 3, source: 'NM suspension' },
    },
    GU: { termination: { years: 5, source: 'Guam termination' } },
  },
};

const at = (day: string) => new Date(`${day}T12:00:00Z`);

describe('retention rules', () => {
  it("takes the reporting state's rule, then the national rule for the category, then the default", () => {
    const nm = { jurisdiction: 'local', state: 'NM' } as const;
    expect(retentionRule('decertification', nm, TABLE).source).toBe('NM decertification');
    expect(retentionRule('suspension', nm, TABLE).source).toBe('NM suspension');
    expect(retentionRule('termination', nm, TABLE).source).toBe('default');
    const tx = { jurisdiction: 'state', state: 'TX' } as const;
    expect(retentionRule('decertification', tx, TABLE).source).toBe('national decertification');
    expect(
      retentionRule('termination', { jurisdiction: 'territorial', state: 'GU' }, TABLE),
    ).toEqual({ years: 5, source: 'Guam termination' });
  });

  it('applies no state rule to federal or tribal agencies, wherever they are', () => {
    for (const jurisdiction of ['federal', 'tribal'] as const) {
      expect(retentionRule('suspension', { jurisdiction, state: 'NM' }, TABLE).source).toBe(
        'default',
      );
    }
  });

  it("expires a record on the first day its state's rule allows, not a day earlier", () => {
    const suspension = {
      category: 'suspension',
      status: 'final',
      statusDate: '2020-07-15',
    } as const;
    const nm = { jurisdiction: 'local', state: 'NM' } as const;
    expect(retentionDueDate(suspension, nm, TABLE)).toBe('2023-07-15');
    expect(retentionDue(suspension, nm, at('2023-07-14'), TABLE)).toBe(false);
    expect(retentionDue(suspension, nm, at('2023-07-15'), TABLE)).toBe(true);
    // The same record from Texas waits for the default seven years.
    const tx = { jurisdiction: 'local', state: 'TX' } as const;
    expect(retentionDue(suspension, tx, at('2027-07-14'), TABLE)).toBe(false);
    expect(retentionDue(suspension, tx, at('2027-07-15'), TABLE)).toBe(true);
  });

  it('counts days in UTC: 23:59 in Hawaii on the eve is already the due day in UTC', () => {
    const record = { category: 'termination', status: 'final', statusDate: '2018-01-01' } as const;
    const hi = { jurisdiction: 'local', state: 'HI' } as const;
    expect(retentionDue(record, hi, new Date('2024-12-31T23:59:59Z'))).toBe(false);
    expect(retentionDue(record, hi, new Date('2025-01-01T00:00:00Z'))).toBe(true);
  });

  it('runs the clock only from a final decision or an overturning', () => {
    const tx = { jurisdiction: 'local', state: 'TX' } as const;
    const old = at('2099-01-01');
    for (const status of ['notice_sent', 'pending_appeal', 'retracted', 'expired'] as const) {
      expect(
        retentionDue({ category: 'termination', status, statusDate: '1990-01-01' }, tx, old),
      ).toBe(false);
    }
    for (const status of ['final', 'overturned'] as const) {
      expect(
        retentionDue({ category: 'termination', status, statusDate: '1990-01-01' }, tx, old),
      ).toBe(true);
    }
  });

  it('version 1 gives every category a rule with a source, and is the current table', () => {
    expect(RETENTION_TABLES[1]).toBe(RETENTION_TABLE_V1);
    expect(CURRENT_RETENTION_TABLE).toBe(RETENTION_TABLE_V1);
    for (const category of CATEGORIES) {
      for (const state of [null, 'CA', 'TX']) {
        const rule = retentionRule(category, { jurisdiction: 'state', state }, RETENTION_TABLE_V1);
        expect(rule.source.length).toBeGreaterThan(0);
        expect(rule.years === null || (Number.isInteger(rule.years) && rule.years > 0)).toBe(true);
      }
    }
    for (const [state, rules] of Object.entries(RETENTION_TABLE_V1.states)) {
      expect(state).toMatch(/^[A-Z]{2}$/);
      for (const category of Object.keys(rules)) expect(CATEGORIES).toContain(category);
    }
  });
});
