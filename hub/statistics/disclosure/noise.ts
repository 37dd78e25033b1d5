/**
 * Optional differential privacy for a release (docs/statistics.md, "Noise"): discrete Laplace
 * noise on every interior cell, then post-processing to whole, non-negative, consistent counts.
 *
 * Mechanism. A record (the current, final statement of a chain) falls in exactly one interior
 * cell, so adding or removing one changes the interior histogram by 1 in one cell: L1
 * sensitivity 1. Adding to every interior cell, empty ones included, independent noise
 * Z with P(Z = z) ∝ exp(−ε|z|) — the discrete Laplace (two-sided geometric) distribution of
 * Ghosh, Roughgarden and Sundararajan (2009), in Canonne, Kamath and Steinke (2020) — makes the
 * interior ε-differentially private. Everything after is post-processing, which spends no budget:
 * each noisy cell is clamped at 0 and every total is recomputed as the sum of its noisy cells, so
 * the table stays additive (totals agree with their cells) and suppression then runs on it as on
 * any table. The budget is per release: consecutive releases re-count the same statements, so k
 * releases of one hub compose to k·ε (basic composition; `composedEpsilon`).
 *
 * Sampling. Z = G₁ − G₂ with G₁, G₂ independent geometric counts of failures with success
 * probability 1 − α, α = exp(−ε) (their difference is exactly discrete Laplace with parameter α).
 * G = ⌊ln U / ln α⌋ for U uniform in (0, 1] from 53 random bits: P(G ≥ g) = P(U ≤ αᵍ) = αᵍ.
 * The output is an integer, so the low-order-bit attack on floating-point continuous Laplace
 * (Mironov 2012) has nothing to read; what floating point leaves is an error in each
 * probability of about 2⁻⁵³ relative, far below any ε in range. Randomness is a parameter
 * (`rng`): the hub passes crypto.randomBytes, tests a seeded source.
 */
import { StatisticsError } from './errors.js';
import { digit, fillTotals, type TableShape } from './table-shape.js';

/** Random bytes; the hub's is crypto.randomBytes. */
export type NoiseRng = (n: number) => Uint8Array;

/** The ε a hub accepts (SPX_HUB_STATS_DP_EPSILON). */
export const EPSILON_RANGE = { min: 0.01, max: 10 } as const;

/** What a noised release states about its noise. */
export interface NoiseStatement {
  readonly mechanism: 'discrete_laplace';
  /** Privacy loss of this release (ε-differential privacy, add/remove one record). */
  readonly epsilon: number;
  /** Of the interior histogram, in records. */
  readonly sensitivity: 1;
  readonly postProcessing: 'clamped at 0; totals are sums of the noisy interior cells';
}

export function noiseStatement(epsilon: number): NoiseStatement {
  checkEpsilon(epsilon);
  return {
    mechanism: 'discrete_laplace',
    epsilon,
    sensitivity: 1,
    postProcessing: 'clamped at 0; totals are sums of the noisy interior cells',
  };
}

function checkEpsilon(epsilon: number): void {
  if (!(epsilon >= EPSILON_RANGE.min && epsilon <= EPSILON_RANGE.max)) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'epsilon out of range', {
      field: 'epsilon',
    });
  }
}

/** U uniform in (0, 1], from 53 bits of `rng`. */
function uniform(rng: NoiseRng): number {
  const b = rng(7);
  // 53 bits: all of bytes 0–5 and the low 5 bits of byte 6.
  let k = (b[6]! & 0x1f) * 2 ** 48;
  for (let i = 0; i < 6; i++) k += b[i]! * 2 ** (8 * i);
  return (k + 1) / 2 ** 53;
}

/** Failures before the first success, success probability 1 − α (ln α given). */
function geometric(lnAlpha: number, rng: NoiseRng): number {
  return Math.floor(Math.log(uniform(rng)) / lnAlpha);
}

/** One draw of discrete Laplace noise with parameter exp(−ε). */
export function discreteLaplace(epsilon: number, rng: NoiseRng): number {
  checkEpsilon(epsilon);
  const lnAlpha = -epsilon;
  return geometric(lnAlpha, rng) - geometric(lnAlpha, rng);
}

/** Whether `cell` is interior: a domain value, not the total, in every dimension. */
function isInterior(shape: TableShape, cell: number): boolean {
  for (let k = 0; k < shape.dimensions.length; k++) if (digit(shape, cell, k) === 0) return false;
  return true;
}

/**
 * The counts of a table (interior and totals, as countGroups gives them) with discrete Laplace
 * noise of parameter exp(−ε) on each interior cell, clamped at 0, and every total recomputed:
 * whole, non-negative and additive. Cells are drawn in cell order, so a seeded `rng` gives the
 * same table.
 */
export function noisyCounts(
  shape: TableShape,
  counts: readonly number[],
  epsilon: number,
  rng: NoiseRng,
): number[] {
  checkEpsilon(epsilon);
  const noisy = new Array<number>(counts.length).fill(0);
  for (let cell = 0; cell < counts.length; cell++) {
    if (!isInterior(shape, cell)) continue;
    noisy[cell] = Math.max(0, counts[cell]! + discreteLaplace(epsilon, rng));
  }
  return fillTotals(shape, noisy);
}

/** The privacy loss of a series of releases, each ε-DP over the same statements: Σ ε. */
export function composedEpsilon(epsilons: readonly number[]): number {
  return epsilons.reduce((sum, e) => sum + e, 0);
}
