/**
 * Synthetic statement metadata written straight into the hub's tables, for comparing the
 * release build with its in-memory reference (statistics-release.test.ts). No signatures: the
 * statistics read metadata columns only. Seeded, so a failing case can be replayed.
 */
import { CATEGORIES } from '../../protocol/categories.js';
import { ATTESTATION_STATUSES } from '../../protocol/attestation.js';
import { JURISDICTION_LEVELS } from '../../protocol/registry-entry.js';
import { US_JURISDICTION_CODES } from '../../crypto/us-jurisdictions.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';

/** mulberry32: a small seeded generator, plenty for test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AgencyRow {
  readonly ori: string;
  readonly jurisdiction: string;
  readonly state: string | null;
}

export interface StatementRow {
  readonly id: string;
  readonly issuer: string;
  readonly category: string;
  readonly useOfForce: boolean;
  readonly outcomeDate: string;
  readonly status: string;
  readonly supersedes: string | null;
  readonly receivedAt: Date;
}

export async function insertAgencies(db: HubDatabase, rows: readonly AgencyRow[]): Promise<void> {
  const at = new Date('2020-01-01T00:00:00Z');
  for (let i = 0; i < rows.length; i += 500) {
    await db.insert(agencies).values(
      rows.slice(i, i + 500).map((a) => ({
        ...a,
        name: `Agency ${a.ori}`,
        roles: ['reporter'],
        contactName: 'Records Unit',
        contactEmail: 'records@example.gov',
        contactPhone: '+12135550100',
        enrolledAt: at,
        updatedAt: at,
      })),
    );
  }
}

export async function insertStatements(
  db: HubDatabase,
  rows: readonly StatementRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(attestations).values(
      rows.slice(i, i + 1000).map((s) => ({
        ...s,
        kid: 'k',
        epoch: 1,
        categoryList: 1,
        eventDate: s.outcomeDate,
        statusDate: s.outcomeDate,
        issuedAt: s.receivedAt.toISOString().slice(0, 19) + 'Z',
        jws: 'x',
      })),
    );
  }
}

export interface GenerateOptions {
  readonly seed: number;
  readonly agencies: number;
  readonly statements: number;
  /** The release's cutoff: about a tenth of the statements are received after it. */
  readonly cutoff: Date;
  /** Share of statements that supersede an earlier one of their issuer. */
  readonly supersedeShare?: number;
  /** How many states the agencies are spread over (few: many small cells). */
  readonly states?: number;
}

/**
 * Agencies of every level (federal and tribal ones partly without a state), statements of every
 * category and status, outcome years from well before the published window to its end,
 * supersession chains (some superseded only after the cutoff, some retracted or overturned),
 * and statements received after the cutoff.
 */
export function generate(options: GenerateOptions): {
  agencies: AgencyRow[];
  statements: StatementRow[];
} {
  const random = seeded(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const states = [...US_JURISDICTION_CODES].slice(0, options.states ?? 6);
  const agencyRows: AgencyRow[] = Array.from({ length: options.agencies }, (_, i) => {
    const jurisdiction = pick(JURISDICTION_LEVELS);
    const stateless = (jurisdiction === 'federal' || jurisdiction === 'tribal') && random() < 0.5;
    return {
      ori: `ZZ${String(options.seed % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`,
      jurisdiction,
      state: stateless ? null : pick(states),
    };
  });
  const cutoff = options.cutoff.getTime();
  const lastYear = options.cutoff.getUTCFullYear();
  const statements: StatementRow[] = [];
  const heads = new Map<string, number[]>(); // issuer → indexes of unsuperseded statements
  for (let i = 0; i < options.statements; i++) {
    const receivedAt = new Date(cutoff - 86_400_000 * 30 + Math.floor(random() * 86_400_000 * 33));
    const issuer = pick(agencyRows).ori;
    const open = heads.get(issuer) ?? [];
    let supersedes: string | null = null;
    let previous: StatementRow | undefined;
    let category = pick(CATEGORIES) as string;
    let year = lastYear - Math.floor(random() * 14); // some before the ten published years
    if (open.length > 0 && random() < (options.supersedeShare ?? 0.15)) {
      const k = Math.floor(random() * open.length);
      previous = statements[open[k]!]!;
      open.splice(k, 1);
      supersedes = previous.id;
      category = previous.category;
      year = Number(previous.outcomeDate.slice(0, 4));
    }
    const r = random();
    const status = r < 0.7 ? 'final' : pick(ATTESTATION_STATUSES);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const row: StatementRow = {
      // Ids sort unlike arrival order, as random statement ids do.
      id: `st-${((i * 7919 + options.seed) % 1_000_003).toString(36).padStart(5, '0')}-${i}`,
      issuer,
      category,
      useOfForce: random() < 0.3,
      outcomeDate: `${year}-${month}-${day}`,
      status,
      supersedes,
      // A superseding statement arrives after the one it supersedes.
      receivedAt:
        previous === undefined
          ? receivedAt
          : new Date(Math.max(receivedAt.getTime(), previous.receivedAt.getTime() + 1000)),
    };
    open.push(statements.length);
    heads.set(issuer, open);
    statements.push(row);
  }
  return { agencies: agencyRows, statements };
}
