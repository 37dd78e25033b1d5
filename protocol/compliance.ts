/**
 * Grant eligibility (docs/compliance.md): the versioned rule the compliance report applies to
 * each agency and period, and the vocabulary of its reasons. Pure data and types, as the
 * certification deadlines are (certification-deadlines.ts): a published version never changes;
 * a new rule is a new entry of COMPLIANCE_RULES, and a report names the version it applied, so
 * the same log, period, date and version always give the same report.
 *
 * Rule version 1 — an agency is eligible for a period exactly when every condition holds:
 *
 * 1. agency: it is active in the registry on the report's date;
 * 2. credential: its credential standing (credential-standing.ts) on the report's date is one
 *    that counts — credentialed, in process (a chief's affirmation still counting), or exempt
 *    (tribal);
 * 3. certification: it certified the period on time (a zero report counts as a certification);
 *    a certification not yet due, a late one and a missing one do not;
 * 4. reports: at most `maxLateShare` of the final decisions dated in the period (by the
 *    statements' `statusDate`) reached the hub later than the deadline table's `reportDays`.
 *
 * Each condition gives exactly one reason: a stable code, whether it `meets` or `bars` the
 * condition, and words with the agency's own figures. An agency is eligible when no reason bars.
 */
import type { CredentialStandingKind } from './credential-standing.js';

export interface EligibilityRule {
  readonly version: number;
  /** The certification deadline table (certification-deadlines.ts) this rule applies. */
  readonly deadlineTable: number;
  /**
   * The share of a period's final decisions that may be reported late (after `reportDays`)
   * and still meet the reports condition: more than this bars.
   */
  readonly maxLateShare: number;
  readonly source: string;
}

export const ELIGIBILITY_RULE_V1: EligibilityRule = {
  version: 1,
  deadlineTable: 1,
  maxLateShare: 0.1,
  source:
    'SPX rule 1 (EO 13929 secs. 2(b), 3(c)): active, credential that counts, period certified ' +
    'on time, at most 10 % of final decisions reported late',
};

export const ELIGIBILITY_RULES: readonly EligibilityRule[] = [ELIGIBILITY_RULE_V1];
export const CURRENT_ELIGIBILITY_RULE_VERSION = 1;

/** The rule of `version`, or undefined when there is none. */
export function eligibilityRule(version: number): EligibilityRule | undefined {
  return ELIGIBILITY_RULES.find((r) => r.version === version);
}

export const ELIGIBILITY_CONDITIONS = ['agency', 'credential', 'certification', 'reports'] as const;
export type EligibilityCondition = (typeof ELIGIBILITY_CONDITIONS)[number];

export type ReasonEffect = 'meets' | 'bars';

/**
 * Every reason code, with the condition it answers, its effect, and its words (the report adds
 * the agency's figures after them).
 */
export const ELIGIBILITY_REASONS = {
  agency_active: { condition: 'agency', effect: 'meets', words: 'active in the registry' },
  agency_suspended: { condition: 'agency', effect: 'bars', words: 'suspended in the registry' },
  credentialed: {
    condition: 'credential',
    effect: 'meets',
    words: 'credentialed by an enrolled credentialing body',
  },
  credential_in_process: {
    condition: 'credential',
    effect: 'meets',
    words: "in process: the chief's affirmation counts",
  },
  credential_exempt: {
    condition: 'credential',
    effect: 'meets',
    words: 'exempt from credentialing (tribal agency)',
  },
  credential_missing: {
    condition: 'credential',
    effect: 'bars',
    words: 'no credential or affirmation on record',
  },
  credential_expired: { condition: 'credential', effect: 'bars', words: 'credential expired' },
  credential_revoked: { condition: 'credential', effect: 'bars', words: 'credential revoked' },
  certification_on_time: {
    condition: 'certification',
    effect: 'meets',
    words: 'period certified on time',
  },
  certification_zero_report: {
    condition: 'certification',
    effect: 'meets',
    words: 'zero report certified on time',
  },
  certification_due: {
    condition: 'certification',
    effect: 'bars',
    words: 'period not certified yet (not yet late)',
  },
  certification_late: {
    condition: 'certification',
    effect: 'bars',
    words: 'period certified after the deadline',
  },
  certification_missing: {
    condition: 'certification',
    effect: 'bars',
    words: 'period not certified; the deadline has passed',
  },
  reports_on_time: {
    condition: 'reports',
    effect: 'meets',
    words: 'final decisions reported on time',
  },
  reports_mostly_on_time: {
    condition: 'reports',
    effect: 'meets',
    words: 'a few final decisions reported late, within the share the rule allows',
  },
  reports_none: {
    condition: 'reports',
    effect: 'meets',
    words: 'no final decisions dated in the period',
  },
  reports_no_limit: {
    condition: 'reports',
    effect: 'meets',
    words: 'no reporting limit applies',
  },
  reports_late: {
    condition: 'reports',
    effect: 'bars',
    words: 'too many final decisions reported late',
  },
} as const satisfies Record<
  string,
  { condition: EligibilityCondition; effect: ReasonEffect; words: string }
>;
export type EligibilityReasonCode = keyof typeof ELIGIBILITY_REASONS;
export const ELIGIBILITY_REASON_CODES = Object.keys(ELIGIBILITY_REASONS) as EligibilityReasonCode[];

/** The credential reason of each standing. */
export const CREDENTIAL_REASON: Readonly<Record<CredentialStandingKind, EligibilityReasonCode>> = {
  credentialed: 'credentialed',
  in_process: 'credential_in_process',
  exempt: 'credential_exempt',
  expired: 'credential_expired',
  revoked: 'credential_revoked',
  none: 'credential_missing',
};

export interface EligibilityReason {
  readonly code: EligibilityReasonCode;
  readonly effect: ReasonEffect;
  /** The reason's words and the agency's figures. */
  readonly text: string;
}

/** The reason of `code`, its words followed by `detail` when there is one. */
export function eligibilityReason(code: EligibilityReasonCode, detail?: string): EligibilityReason {
  const { effect, words } = ELIGIBILITY_REASONS[code];
  return { code, effect, text: detail === undefined ? words : `${words} (${detail})` };
}

/** Eligible exactly when no reason bars. */
export function isEligible(reasons: readonly EligibilityReason[]): boolean {
  return reasons.every((r) => r.effect === 'meets');
}
