/**
 * Many synthetic agencies and thousands of synthetic final outcomes, so that the demo's
 * statistics release has something to say (issue 12 §4): its three story agencies alone report a
 * few dozen outcomes, nearly all suppressed. Nothing here is about a person: each statement's hub
 * indexes are random bytes (no identifier was tokenized), so they match no check and no
 * monitoring enrollment; only the metadata the statistics count — category, use of force, year,
 * jurisdiction — is drawn, with weights in the rough proportions of published decertification
 * data. Deterministic from the injected `rng`.
 */
import type { AttestationPayload } from '../../protocol/attestation.js';
import { CATEGORIES, type Category } from '../../protocol/categories.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { toBase64url } from '../../crypto/encoding.js';
import { Random, addDays } from './random.js';
import type { Rng } from './seeded-rng.js';

export interface BulkAgency {
  readonly ori: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
  readonly state: string;
  /** Its sworn headcount, as it certifies it. */
  readonly sworn: number;
  readonly contact: { readonly name: string; readonly email: string; readonly phone: string };
}

/**
 * States the synthetic agencies are spread over: few, so that a few thousand outcomes make cells
 * above the threshold (spread over eight states and six years, most cells were 1 or 2 and the
 * complementary suppression hid even the grand total).
 */
const STATES = ['NM', 'AZ', 'TX', 'CO'] as const;
const LEVELS: readonly JurisdictionLevel[] = ['local', 'local', 'local', 'state', 'tribal'];
/** Weights of each category (CATEGORIES order), most outcomes being terminations and suspensions. */
const CATEGORY_WEIGHTS: Readonly<Record<Category, number>> = Object.fromEntries(
  CATEGORIES.map((c) => [
    c,
    c === 'termination' ? 30 : c === 'suspension' ? 30 : c === 'decertification' ? 10 : 5,
  ]),
) as Record<Category, number>;

/** `count` agencies with ORIs `<state>09<nnnnn>` (outside the story agencies' `NM09999xx`). */
export function bulkAgencies(count: number, rng: Rng): BulkAgency[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > 9_999) {
    throw new RangeError('bulkAgencies: count is 0..9999');
  }
  const random = new Random(rng);
  return Array.from({ length: count }, (_, i) => {
    const state = STATES[i % STATES.length]!;
    const level = random.pick(LEVELS);
    const n = String(i + 1).padStart(4, '0');
    return {
      ori: `${state}08${n}0`,
      name: `Synthetic ${level === 'state' ? 'State Patrol' : level === 'tribal' ? 'Tribal Police' : 'Police Department'} ${n}`,
      level,
      state,
      sworn: random.between(level === 'state' ? 200 : 20, level === 'state' ? 900 : 400),
      contact: {
        name: 'Records Unit',
        email: `records${n}@synthetic.example`,
        phone: `+1505555${n}`,
      },
    };
  });
}

function weightedCategory(random: Random): Category {
  const total = CATEGORIES.reduce((s, c) => s + CATEGORY_WEIGHTS[c], 0);
  let x = random.int(total);
  for (const c of CATEGORIES) {
    x -= CATEGORY_WEIGHTS[c];
    if (x < 0) return c;
  }
  return CATEGORIES[0]!;
}

/**
 * `count` final outcomes of `agency`, decided between `from` and `to` (YYYY-MM-DD), issued at
 * `now`, under OPRF epoch `epoch`, each with three random hub indexes.
 */
export function bulkAttestations(
  agency: BulkAgency,
  count: number,
  options: {
    readonly rng: Rng;
    readonly now: Date;
    readonly epoch: number;
    from: string;
    to: string;
  },
): AttestationPayload[] {
  const random = new Random(options.rng);
  const index = () => toBase64url(options.rng(32));
  return Array.from({ length: count }, (_, i): AttestationPayload => {
    const outcomeDate = random.date(options.from, options.to);
    const category = weightedCategory(random);
    return {
      v: 1,
      id: newStatementId(options.now.getTime(), options.rng),
      issuer: agency.ori,
      tokens: {
        epoch: options.epoch,
        keys: [
          { kind: 'ssn', index: index() },
          { kind: 'name_dob', index: index() },
          { kind: 'last_dob', index: index() },
        ],
      },
      categoryList: 1,
      category,
      useOfForce: category === 'civil_judgment_use_of_force' || random.chance(0.3),
      eventDate: addDays(outcomeDate, -random.between(30, 400)),
      outcomeDate,
      status: 'final',
      statusDate: outcomeDate,
      notified: true,
      disputed: null,
      supersedes: null,
      localRef: `BULK-${agency.ori}-${String(i + 1).padStart(5, '0')}`,
      issuedAt: formatTimestamp(options.now),
    };
  });
}
