/**
 * The distinct-officer table (officers.ts) over generated records, each with an officer: it
 * never counts more officers than statements in a cell, and what it suppresses cannot be undone
 * from what it and the statement table publish.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../../protocol/categories.js';
import type { CountableRecord } from './countable-records.js';
import {
  buildOfficerTable,
  MIN_OFFICER_THRESHOLD,
  type OfficerGroup,
  type OfficerRow,
} from './officers.js';
import { buildStatisticsTable, type StatisticsTable } from './statistics-table.js';
import { TOTAL } from './table-shape.js';

const CATS: readonly Category[] = ['termination', 'suspension', 'decertification'];
const YEARS = [2024, 2025, 2026];
const NOW = new Date('2027-01-01T00:00:00Z');

interface OfficerRecord extends CountableRecord {
  readonly officer: number;
}

const records = fc
  .array(
    fc.record({
      officer: fc.nat({ max: 40 }),
      category: fc.constantFrom(...CATS),
      year: fc.constantFrom(...YEARS),
      level: fc.constantFrom('state' as const, 'local' as const),
      state: fc.constantFrom('CA' as const, 'NY' as const),
      useOfForce: fc.boolean(),
    }),
    { maxLength: 160 },
  )
  .map((rs): OfficerRecord[] => rs.map((r, i) => ({ ...r, id: `r-${i}` })));

/** Enough records that the grand total clears the threshold while some cells do not. */
const manyRecords = fc
  .array(
    fc.record({
      officer: fc.nat({ max: 60 }),
      category: fc.constantFrom(...CATS),
      year: fc.constantFrom(...YEARS),
      level: fc.constantFrom('state' as const, 'local' as const),
      state: fc.constantFrom('CA' as const, 'NY' as const),
      useOfForce: fc.boolean(),
    }),
    { minLength: 30, maxLength: 120 },
  )
  .map((rs): OfficerRecord[] => rs.map((r, i) => ({ ...r, id: `r-${i}` })));

/** What the hub's query returns: distinct officers per cell and margin. */
function officerGroups(rs: readonly OfficerRecord[]): OfficerGroup[] {
  const sets = new Map<string, Set<number>>();
  for (const r of rs) {
    for (const c of [TOTAL, r.category] as const)
      for (const y of [TOTAL, r.year] as const) {
        const k = `${c}|${y}`;
        sets.set(k, (sets.get(k) ?? new Set()).add(r.officer));
      }
  }
  return [...sets].map(([k, s]) => {
    const [c, y] = k.split('|') as [string, string];
    return {
      category: c as Category | typeof TOTAL,
      year: y === TOTAL ? TOTAL : Number(y),
      officers: s.size,
    };
  });
}

function statementTable(rs: readonly OfficerRecord[], minCell: number): StatisticsTable {
  return buildStatisticsTable(rs, { now: NOW, minCell, years: YEARS });
}

/** The statement row of an officer row: level, state summed out. */
function statementRow(table: StatisticsTable, row: OfficerRow) {
  return table.rows.find(
    (r) =>
      r.dimensions.category === row.dimensions.category &&
      r.dimensions.year === row.dimensions.year &&
      r.dimensions.level === TOTAL &&
      r.dimensions.state === TOTAL,
  )!;
}

function seededBytes(seed: number) {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) {
      out.set(
        createHash('sha256')
          .update(`${seed}/${counter++}`)
          .digest()
          .subarray(0, Math.min(32, n - i)),
        i,
      );
    }
    return out;
  };
}

const isMargin = (row: OfficerRow) =>
  row.dimensions.category === TOTAL || row.dimensions.year === TOTAL;

describe('distinct officers', () => {
  it('counts each officer once per cell and margin, never more than the statements', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 2, max: 6 }), (rs, minCell) => {
        const statements = statementTable(rs, minCell);
        const table = buildOfficerTable(statements, officerGroups(rs));
        expect(table.rows).toHaveLength(
          (statements.metadata.domains.category!.length + 1) * (YEARS.length + 1),
        );
        const truth = new Map(officerGroups(rs).map((g) => [`${g.category}|${g.year}`, g]));
        for (const row of table.rows) {
          const s = statementRow(statements, row);
          const t = truth.get(`${row.dimensions.category}|${row.dimensions.year}`)?.officers ?? 0;
          if (row.count !== null) {
            expect(row.count).toBe(t);
            expect(row.count).toBeLessThanOrEqual(s.count!);
          }
          // Zero officers exactly when zero statements.
          expect(t === 0).toBe(s.count === 0);
        }
      }),
    );
  });

  it('leaves no suppressed cell recoverable from the totals, its statements or its reason', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 2, max: 6 }), (rs, minCell) => {
        const statements = statementTable(rs, minCell);
        const table = buildOfficerTable(statements, officerGroups(rs));
        expect(table.metadata.threshold).toBe(Math.max(minCell, MIN_OFFICER_THRESHOLD));
        const cats = statements.metadata.domains.category!;
        const at = (c: unknown, y: unknown) =>
          table.rows.find((r) => r.dimensions.category === c && r.dimensions.year === y)!;
        for (const row of table.rows) {
          const s = statementRow(statements, row);
          // A published officer count would bound a suppressed statement count from below.
          if (s.suppressed !== null && s.count !== 0) expect(row.suppressed).not.toBeNull();
          if (row.suppressed === null) continue;
          const { category, year } = row.dimensions;
          // Every relation through a suppressed cell has another suppressed member: its margins
          // (the grand total only when rule 4 says so: the next test).
          expect(at(category, TOTAL).suppressed).not.toBeNull();
          expect(at(TOTAL, year).suppressed).not.toBeNull();
          if (!isMargin(row)) {
            // What a reader can know: 1 ≤ p ≤ its statement count, and for a primary cell
            // p < threshold. At least two values either way.
            const upper = Math.min(s.count ?? Infinity, table.metadata.threshold - 1);
            expect(upper).toBeGreaterThanOrEqual(2);
          } else {
            // A margin lies between its largest part and the sum of its parts: with one
            // non-zero part it equals it, so that part is suppressed too, or it has two.
            const parts =
              category === TOTAL && year === TOTAL
                ? [cats.map((c) => at(c, TOTAL)), YEARS.map((y) => at(TOTAL, y))]
                : [
                    category === TOTAL
                      ? cats.map((c) => at(c, year))
                      : YEARS.map((y) => at(category, y)),
                  ];
            for (const line of parts) {
              const nonZero = line.filter((p) => p.count !== 0);
              expect(nonZero.length >= 2 || nonZero.every((p) => p.suppressed !== null)).toBe(true);
            }
          }
        }
      }),
    );
  });

  it('publishes the grand total only when every suppressed cell keeps two values a reader can bound', () => {
    let published = 0;
    fc.assert(
      fc.property(manyRecords, fc.integer({ min: 2, max: 14 }), (rs, minCell) => {
        const statements = statementTable(rs, minCell);
        const table = buildOfficerTable(statements, officerGroups(rs));
        const cats = statements.metadata.domains.category!;
        const at = (c: unknown, y: unknown) =>
          table.rows.find((r) => r.dimensions.category === c && r.dimensions.year === y)!;
        const g = at(TOTAL, TOTAL);
        if (g.count === null || g.count === 0) return;
        if (table.rows.some((r) => r.suppressed !== null)) published++;
        expect(table.rows.some((r) => r.suppressed === 'linked')).toBe(false);
        // A reader's bounds from what is published (G ≤ Σ parts, p ≤ its margins and its
        // statement count, a primary cell below the threshold), independent of the rule's code.
        const upper = (row: OfficerRow): number => {
          if (row.count !== null) return row.count;
          const s = statementRow(statements, row).count ?? Infinity;
          const own = Math.min(s, g.count!);
          if (!isMargin(row)) {
            return Math.min(own, row.suppressed === 'primary' ? table.metadata.threshold - 1 : own);
          }
          const { category, year } = row.dimensions;
          const parts =
            category === TOTAL ? cats.map((c) => at(c, year)) : YEARS.map((y) => at(category, y));
          return Math.min(
            own,
            parts.reduce((sum, p) => sum + upper(p), 0),
          );
        };
        const sum = (rows: OfficerRow[]) => rows.reduce((a, r) => a + upper(r), 0);
        for (const c of cats)
          for (const y of YEARS) {
            const cell = at(c, y);
            if (cell.suppressed === null) continue;
            const low = Math.max(
              1,
              g.count! -
                sum(cats.filter((x) => x !== c).map((x) => at(x, TOTAL))) -
                sum(YEARS.filter((x) => x !== y).map((x) => at(c, x))),
              g.count! -
                sum(YEARS.filter((x) => x !== y).map((x) => at(TOTAL, x))) -
                sum(cats.filter((x) => x !== c).map((x) => at(x, y))),
            );
            expect(upper(cell) - low).toBeGreaterThanOrEqual(1);
          }
      }),
      { numRuns: 300 },
    );
    // The generator reaches the case the rule is about.
    expect(published).toBeGreaterThan(3);
  });

  it('releases the grand total beside one small cell, and withholds it when that cell would be pinned', () => {
    const records = (cells: [Category, number, number, number][]): OfficerRecord[] => {
      const out: OfficerRecord[] = [];
      let officer = 0;
      for (const [category, year, officers, perOfficer] of cells) {
        for (let o = 0; o < officers; o++, officer++)
          for (let k = 0; k < perOfficer; k++)
            out.push({
              id: `r-${out.length}`,
              officer,
              category,
              year,
              level: 'state',
              state: 'CA',
              useOfForce: false,
            });
      }
      return out;
    };
    const grandOf = (rs: OfficerRecord[], minCell: number) => {
      const table = buildOfficerTable(statementTable(rs, minCell), officerGroups(rs));
      const small = table.rows.find(
        (r) => r.dimensions.category === 'suspension' && r.dimensions.year === 2025,
      )!;
      expect(small.suppressed).toBe('primary');
      return table.rows.find(
        (r) => r.dimensions.category === TOTAL && r.dimensions.year === TOTAL,
      )!;
    };
    const big: [Category, number, number, number][] = [
      ['termination', 2024, 20, 1],
      ['termination', 2025, 20, 1],
      ['suspension', 2024, 20, 1],
    ];
    // Two officers, twelve statements: p may be 3 as well (threshold 10).
    expect(grandOf(records([...big, ['suspension', 2025, 2, 6]]), 10)).toMatchObject({
      count: 62,
      suppressed: null,
    });
    // Threshold 3: p < 3 and no officer in two cells, so G − the rest would be exactly 2.
    expect(grandOf(records([...big, ['suspension', 2025, 2, 2]]), 3)).toMatchObject({
      count: null,
      suppressed: 'margin',
    });
  });

  it('states the officers’ noise budget: ε per cell, 4ε for the table, 5ε for the release', () => {
    const statements = statementTable([], 3);
    const table = buildOfficerTable(statements, [], { epsilon: 0.1, rng: seededBytes(1) });
    expect(table.metadata.noise).toMatchObject({
      mechanism: 'discrete_laplace',
      epsilonPerCell: 0.1,
      cellsPerRecord: 4,
      epsilon: 0.4,
      releaseEpsilon: 0.5,
    });
    expect(buildOfficerTable(statements, []).metadata.noise).toBeUndefined();
  });

  it('with noise, stays whole, within its statements and margins, and repeats with a seed', () => {
    fc.assert(
      fc.property(records, fc.nat(), (rs, seed) => {
        const statements = statementTable(rs, 3);
        const noise = { epsilon: 0.5, rng: seededBytes(seed) };
        const table = buildOfficerTable(statements, officerGroups(rs), noise);
        const again = buildOfficerTable(statements, officerGroups(rs), {
          epsilon: 0.5,
          rng: seededBytes(seed),
        });
        expect(JSON.stringify(again)).toBe(JSON.stringify(table));
        for (const row of table.rows) {
          if (row.count === null) continue;
          expect(Number.isInteger(row.count) && row.count >= 0).toBe(true);
          const s = statementRow(statements, row);
          if (s.count !== null) expect(row.count).toBeLessThanOrEqual(s.count);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('links nothing it is not given: one officer per record is the statement count', () => {
    const rs: OfficerRecord[] = Array.from({ length: 12 }, (_, i) => ({
      id: `r-${i}`,
      officer: i,
      category: 'termination',
      year: 2025,
      level: 'state',
      state: 'CA',
      useOfForce: false,
    }));
    const statements = statementTable(rs, 10);
    const table = buildOfficerTable(statements, officerGroups(rs));
    expect(
      table.rows.find((r) => r.dimensions.category === TOTAL && r.dimensions.year === TOTAL)!.count,
    ).toBe(12);
    // The same twelve records by three officers: below the threshold, and its margins with it.
    const three = rs.map((r) => ({ ...r, officer: r.officer % 3 }));
    const small = buildOfficerTable(statementTable(three, 10), officerGroups(three));
    expect(small.rows.filter((r) => r.count !== 0).every((r) => r.suppressed !== null)).toBe(true);
  });
});
