/**
 * Coverage of a statistics release and what it lets the hub publish (docs/statistics.md,
 * "Coverage"; design brief §8), after the FBI's National Use-of-Force Data Collection, whose
 * release conditions (OMB) tie what may be published to participation:
 *
 *   coverage = sworn officers of the active agencies that certified the period
 *            ÷ sworn officers of all active agencies whose headcount is known
 *
 *   under 40 %      `withheld`     nothing but the release's own metadata
 *   40 % to 60 %    `percentages`  each published cell as a percentage of the grand total
 *   60 % to 80 %    `rates`        the percentages, and national rates per 1,000 sworn officers
 *   80 % and over   `full`         the counts
 *
 * A headcount is known when the agency ever certified one: the one it certified for the period,
 * else the latest it certified before. An agency that never certified has no known headcount and
 * counts in neither side; the release states how many such agencies there are
 * (`unknownHeadcount`), so that a hub whose agencies mostly never certify cannot pass for a
 * well-covered one unnoticed. Pure: the hub gathers the agencies (hub/statistics).
 */
import { z } from 'zod';
import { PeriodSchema, type Period } from './certification.js';

/** The publication tiers, least to most. */
export const RELEASE_TIERS = ['withheld', 'percentages', 'rates', 'full'] as const;
export type ReleaseTier = (typeof RELEASE_TIERS)[number];

/** Lower bounds of the tiers above `withheld`, as fractions n/100 of the sworn officers. */
export const TIER_THRESHOLDS: Readonly<Record<Exclude<ReleaseTier, 'withheld'>, number>> = {
  percentages: 40,
  rates: 60,
  full: 80,
};

/** One active agency as coverage sees it. */
export interface CoverageAgency {
  /** Its headcount for the period if it certified, else its latest certified one, else null. */
  readonly sworn: number | null;
  /** Whether it certified the period (before the release's cutoff). */
  readonly certified: boolean;
}

export const CoverageSchema = z.strictObject({
  /** The certification period coverage is measured on. */
  period: PeriodSchema,
  /** Sworn officers of the active agencies that certified `period`. */
  certifiedSworn: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Sworn officers of the active agencies whose headcount is known (the denominator). */
  knownSworn: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** certifiedSworn ÷ knownSworn as a percentage, rounded down to 0.01 (0 when knownSworn is 0). */
  percent: z.number().min(0).max(100),
  /** Active reporting agencies. */
  agencies: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Of them, those that certified `period`. */
  certifiedAgencies: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Of them, those that never certified a headcount: in neither side of the ratio. */
  unknownHeadcount: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type Coverage = z.infer<typeof CoverageSchema>;

/**
 * The tier of `certified` sworn officers out of `known`, compared exactly in integers (no
 * rounding can lift a release into a higher tier). No known headcount at all is `withheld`.
 */
export function releaseTier(certified: number, known: number): ReleaseTier {
  if (known <= 0) return 'withheld';
  for (const tier of ['full', 'rates', 'percentages'] as const) {
    if (certified * 100 >= known * TIER_THRESHOLDS[tier]) return tier;
  }
  return 'withheld';
}

/** Coverage of `period` over the active agencies. */
export function coverageOf(period: Period, agencies: readonly CoverageAgency[]): Coverage {
  let certifiedSworn = 0;
  let knownSworn = 0;
  let certifiedAgencies = 0;
  let unknownHeadcount = 0;
  for (const a of agencies) {
    if (a.certified) certifiedAgencies++;
    if (a.sworn === null) {
      // A certification always carries a headcount: certified without one is a caller's defect.
      if (a.certified) throw new RangeError('a certified agency has a headcount');
      unknownHeadcount++;
      continue;
    }
    if (!Number.isInteger(a.sworn) || a.sworn < 0) throw new RangeError('sworn is a count');
    knownSworn += a.sworn;
    if (a.certified) certifiedSworn += a.sworn;
  }
  const percent = knownSworn === 0 ? 0 : Math.floor((certifiedSworn * 10_000) / knownSworn) / 100;
  return {
    period,
    certifiedSworn,
    knownSworn,
    percent,
    agencies: agencies.length,
    certifiedAgencies,
    unknownHeadcount,
  };
}

/** Most periods a release's coverage series lists: ten years of monthly periods. */
export const MAX_COVERAGE_SERIES = 120;

/** One closed period of a release's coverage series (§5.17.1): its coverage and its tier. */
export const CoverageSeriesEntrySchema = CoverageSchema.extend({ tier: z.enum(RELEASE_TIERS) });
export type CoverageSeriesEntry = z.infer<typeof CoverageSeriesEntrySchema>;
export const CoverageSeriesSchema = z.array(CoverageSeriesEntrySchema).max(MAX_COVERAGE_SERIES);

/** The tier a coverage allows. */
export function coverageTier(coverage: Coverage): ReleaseTier {
  return releaseTier(coverage.certifiedSworn, coverage.knownSworn);
}
