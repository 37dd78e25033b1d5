/**
 * Witnesses: perturbations of a table that keep every published cell and every additive
 * relation unchanged. If such a perturbation δ is non-zero on a suppressed cell and zero on every
 * published cell, then for any table x consistent with the publication, x + tδ is consistent too,
 * so that cell's value is not determined by the publication (docs/statistics.md §Suppression).
 *
 * The witnesses used here are generalised hypercubes (the idea of Repsilber's hypercube method,
 * GHMITER). Each dimension k is either
 *   - a box  (a, b), a ≠ b domain values: cells with value a get sign +1, value b sign −1;
 *   - fixed  at v: cells with value v or `*` get sign +1.
 * The support is the product of the per-dimension sets (2^d cells) and δ is the product of the
 * signs. δ is the marginal extension of the interior perturbation "±1 on the box corners at the
 * fixed values": summing a box dimension gives +1 − 1 = 0, so no `*` in a box dimension is
 * touched, and summing a fixed dimension just copies the value, so every relation holds.
 *
 * Zeros are always published, so an attacker knows every suppressed cell is at least 1. A
 * witness is therefore *valid* only if its support has no zero cell and its cells with count 1 all
 * carry the same sign: then x + sδ (s = that sign) keeps every suppressed cell ≥ 1, which is an
 * integer table, consistent with everything published, differing on every support cell.
 */
import { digit, withDigit, type TableShape } from './table-shape.js';

export type DimensionChoice =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'box'; readonly plus: number; readonly minus: number };

export interface Witness {
  readonly choices: readonly DimensionChoice[];
  /** The cells where δ ≠ 0, and δ on them (±1). */
  readonly support: readonly number[];
  readonly signs: readonly number[];
}

/** How many partner values per dimension the search tries (cheapest first). */
export const WITNESS_PARTNERS = 3;

export function witnessOf(shape: TableShape, choices: readonly DimensionChoice[]): Witness {
  let support = [0];
  let signs = [1];
  choices.forEach((choice, k) => {
    const stride = shape.strides[k]!;
    const picks: [number, number][] =
      choice.kind === 'fixed'
        ? [
            [choice.value, 1],
            [0, 1],
          ]
        : [
            [choice.plus, 1],
            [choice.minus, -1],
          ];
    support = support.flatMap((cell) => picks.map(([d]) => cell + d * stride));
    signs = signs.flatMap((sign) => picks.map(([, s]) => sign * s));
  });
  return { choices, support, signs };
}

export interface WitnessContext {
  readonly shape: TableShape;
  readonly counts: readonly number[];
  /** Non-zero for suppressed cells. */
  readonly suppressed: Uint8Array;
}

interface Scored {
  readonly cost: number;
  readonly added: number;
}

/**
 * The cells newly suppressed by a witness and their total count, or null when the witness is
 * not valid (see the file comment). `support` and `signs` are read up to `size`.
 */
function score(
  ctx: WitnessContext,
  support: ArrayLike<number>,
  signs: ArrayLike<number>,
  size: number,
): Scored | null {
  let cost = 0;
  let added = 0;
  let plusOnes = false;
  let minusOnes = false;
  for (let i = 0; i < size; i++) {
    const cell = support[i]!;
    const count = ctx.counts[cell]!;
    if (count === 0) return null;
    if (count === 1) {
      if (signs[i]! > 0) plusOnes = true;
      else minusOnes = true;
    }
    if (ctx.suppressed[cell] === 0) {
      cost += count;
      added += 1;
    }
  }
  return plusOnes && minusOnes ? null : { cost, added };
}

/** The cost of suppressing `cell` as a partner: nothing if it already is; null if it is zero. */
function partnerCost(ctx: WitnessContext, cell: number): number | null {
  const count = ctx.counts[cell]!;
  if (count === 0) return null;
  return ctx.suppressed[cell] !== 0 ? 0 : count;
}

/** The `limit` cheapest non-zero values of dimension k around `cell`, other than its own. */
function cheapestValues(ctx: WitnessContext, cell: number, k: number, limit: number): number[] {
  const own = digit(ctx.shape, cell, k);
  const ranked: [number, number][] = [];
  for (let d = 1; d < ctx.shape.radix[k]!; d++) {
    if (d === own) continue;
    const cost = partnerCost(ctx, withDigit(ctx.shape, cell, k, d));
    if (cost !== null) ranked.push([cost, d]);
  }
  ranked.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return ranked.slice(0, limit).map(([, d]) => d);
}

/**
 * A valid witness whose support contains the non-zero cell `cell`. It always exists: fixing
 * every dimension at the values of a non-zero interior cell under `cell` gives a witness whose
 * support is that cell and all its totals, all non-zero, all of sign +1.
 */
export function fallbackWitness(ctx: WitnessContext, cell: number): Witness {
  const { shape } = ctx;
  let interior = cell;
  for (let k = 0; k < shape.dimensions.length; k++) {
    if (digit(shape, interior, k) !== 0) continue;
    const [d] = cheapestValues(ctx, interior, k, 1);
    if (d === undefined) throw new RangeError('fallbackWitness: zero cell');
    interior = withDigit(shape, interior, k, d);
  }
  const choices = shape.dimensions.map((_, k): DimensionChoice => {
    return { kind: 'fixed', value: digit(shape, interior, k) };
  });
  return witnessOf(shape, choices);
}

/**
 * The cheapest valid witness through the non-zero cell `cell` among a bounded family: in each
 * dimension, fixed at the cell's value (or, where the cell has `*`, at one of the few cheapest
 * values) or a box with one of the few cheapest partners. Cost is the total count newly
 * suppressed, then the number of cells; ties go to the first found, so the result is
 * deterministic. The fallback witness is always a candidate.
 */
export function cheapestWitness(ctx: WitnessContext, cell: number): Witness {
  const { shape } = ctx;
  const dims = shape.dimensions.length;
  const options: DimensionChoice[][] = shape.dimensions.map((_, k) => {
    const own = digit(shape, cell, k);
    const values = cheapestValues(ctx, cell, k, WITNESS_PARTNERS);
    if (own === 0) return values.map((value) => ({ kind: 'fixed', value }) as const);
    return [
      { kind: 'fixed', value: own } as const,
      ...values.map((minus) => ({ kind: 'box', plus: own, minus }) as const),
    ];
  });
  const fallback = fallbackWitness(ctx, cell);
  let bestChoices: readonly DimensionChoice[] = fallback.choices;
  let best = score(ctx, fallback.support, fallback.signs, fallback.support.length)!;
  // Supports are built one dimension at a time in per-depth buffers: depth k holds 2^k partial
  // cells (the offsets of dimensions < k) and their signs, so no candidate allocates.
  const support = Array.from({ length: dims + 1 }, (_, k) => new Int32Array(1 << k));
  const signs = Array.from({ length: dims + 1 }, (_, k) => new Int8Array(1 << k));
  signs[0]![0] = 1;
  const chosen: DimensionChoice[] = [];
  const visit = (k: number): boolean => {
    if (k === dims) {
      const candidate = score(ctx, support[k]!, signs[k]!, 1 << k);
      if (candidate !== null && better(candidate, best)) {
        best = candidate;
        bestChoices = [...chosen];
      }
      return best.cost === 0 && best.added === 0;
    }
    const stride = shape.strides[k]!;
    const [from, fromSigns, to, toSigns] = [support[k]!, signs[k]!, support[k + 1]!, signs[k + 1]!];
    for (const option of options[k]!) {
      const [d1, s1, d2, s2] =
        option.kind === 'fixed' ? [option.value, 1, 0, 1] : [option.plus, 1, option.minus, -1];
      for (let i = 0; i < 1 << k; i++) {
        to[2 * i] = from[i]! + d1 * stride;
        toSigns[2 * i] = fromSigns[i]! * s1;
        to[2 * i + 1] = from[i]! + d2 * stride;
        toSigns[2 * i + 1] = fromSigns[i]! * s2;
      }
      chosen.push(option);
      const done = visit(k + 1);
      chosen.pop();
      if (done) return true;
    }
    return false;
  };
  visit(0);
  return witnessOf(shape, bestChoices);
}

function better(candidate: Scored, best: Scored): boolean {
  return (
    candidate.cost < best.cost || (candidate.cost === best.cost && candidate.added < best.added)
  );
}
