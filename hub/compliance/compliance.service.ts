/**
 * Building, encoding and signing the compliance report (docs/compliance.md). The query is
 * checked here — period, moment, rule version, format — so that the CLI on the database and
 * the running hub's operator socket refuse the same input with the same HubError.
 *
 * The report is a function of what the hub holds at `asOf` (compliance.repository.ts), the
 * credential standings on that date, the period and the rule version: the same arguments give
 * the same bytes, and the hub signs those bytes (a detached JWS, crypto/signing/detached.ts,
 * under the key published at GET /v1/hub/keys).
 */
import { signDetached } from '../../crypto/signing/detached.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import { utf8 } from '../../crypto/encoding.js';
import {
  isClosedPeriod,
  lastClosedPeriod,
  periodBounds,
  periodLength,
  PeriodSchema,
  type PeriodLength,
} from '../../protocol/certification.js';
import { certificationDeadlineTable } from '../../protocol/certification-deadlines.js';
import { formatTimestamp, TimestampSchema } from '../../protocol/common.js';
import {
  CURRENT_ELIGIBILITY_RULE_VERSION,
  ELIGIBILITY_RULES,
  eligibilityRule,
} from '../../protocol/compliance.js';
import type { CredentialStandingSource } from '../../protocol/credential-standing.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import type { HubDatabase } from '../database.js';
import { HubError } from '../errors.js';
import {
  COMPLIANCE_FORMATS,
  COMPLIANCE_MEDIA_TYPES,
  encodeComplianceReport,
  type ComplianceFormat,
} from './compliance-encode.js';
import { buildComplianceReport, type ComplianceReport } from './compliance-report.js';
import { complianceRepository } from './compliance.repository.js';

/** What an operator asks for; every member optional, every one checked. */
export interface ComplianceQuery {
  /** Default: the last period of the hub's length closed at `asOf`. */
  readonly period?: string | undefined;
  /** A timestamp `YYYY-MM-DDTHH:MM:SSZ`, not in the future. Default: now (whole seconds). */
  readonly asOf?: string | undefined;
  /** An eligibility rule version. Default: the current one. */
  readonly rule?: string | undefined;
  /** json (default) or csv. */
  readonly format?: string | undefined;
}

export interface SignedComplianceReport {
  readonly format: ComplianceFormat;
  readonly mediaType: string;
  /** The report as published: what the signature covers (its UTF-8 bytes). */
  readonly body: string;
  /** Detached compact JWS over the body's bytes. */
  readonly signature: string;
}

export const COMPLIANCE_SIGNATURE_TYP: Readonly<Record<ComplianceFormat, string>> = {
  json: STATEMENT_TYPES.complianceReport,
  csv: STATEMENT_TYPES.complianceReportCsv,
};

export interface ComplianceOptions {
  /** The hub's signing key; read only when a report is signed. */
  readonly signingKey: () => Promise<SigningKey>;
  /** Where credential standings come from (credential-sources.ts without a store). */
  readonly credentials: CredentialStandingSource;
  /** SPX_HUB_CERTIFICATION_PERIOD. */
  readonly periodLength: PeriodLength;
}

interface CheckedQuery {
  readonly period: string;
  readonly asOf: Date;
  readonly rule: number;
  readonly format: ComplianceFormat;
}

function refuse(code: ConstructorParameters<typeof HubError>[0], field: string, message: string) {
  return new HubError(code, `${field}: ${message}`, { field });
}

/** The query's members, checked in order: format, rule, asOf, period. */
export function checkComplianceQuery(
  query: ComplianceQuery,
  length: PeriodLength,
  now: Date,
): CheckedQuery {
  const format = query.format ?? 'json';
  if (!(COMPLIANCE_FORMATS as readonly string[]).includes(format)) {
    throw refuse('FORMAT_INVALID', 'format', `${format.slice(0, 40)} is not json or csv`);
  }
  const ruleText = query.rule ?? String(CURRENT_ELIGIBILITY_RULE_VERSION);
  const version = /^[1-9][0-9]{0,5}$/.test(ruleText) ? Number(ruleText) : undefined;
  if (version === undefined || eligibilityRule(version) === undefined) {
    throw refuse(
      'RULE_UNKNOWN',
      'rule',
      `${ruleText.slice(0, 40)} is not an eligibility rule version (known: ${ELIGIBILITY_RULES.map((r) => r.version).join(', ')})`,
    );
  }
  let asOf = new Date(Math.floor(now.getTime() / 1000) * 1000);
  if (query.asOf !== undefined) {
    if (!TimestampSchema.safeParse(query.asOf).success) {
      throw refuse(
        'AS_OF_INVALID',
        'asOf',
        `${query.asOf.slice(0, 40)} is not a timestamp like 2026-07-01T00:00:00Z`,
      );
    }
    asOf = new Date(query.asOf);
    if (asOf.getTime() > now.getTime()) {
      throw refuse(
        'AS_OF_INVALID',
        'asOf',
        `${query.asOf} is in the future (now ${formatTimestamp(now)})`,
      );
    }
  }
  const period = query.period ?? lastClosedPeriod(asOf, length);
  if (!PeriodSchema.safeParse(period).success) {
    throw refuse(
      'PERIOD_INVALID',
      'period',
      `${period.slice(0, 40)} is not a period (2026-Q1, 2026-03 or 2026)`,
    );
  }
  if (periodLength(period) !== length) {
    throw refuse(
      'PERIOD_INVALID',
      'period',
      `this hub certifies by ${length}; ${period} is not one`,
    );
  }
  if (!isClosedPeriod(period, asOf)) {
    throw refuse(
      'PERIOD_NOT_CLOSED',
      'period',
      `${period} ends ${periodBounds(period).end}, after the report's moment ${formatTimestamp(asOf)}`,
    );
  }
  return { period, asOf, rule: version, format: format as ComplianceFormat };
}

export function complianceService(db: HubDatabase, options: ComplianceOptions) {
  const repo = complianceRepository(db);

  async function build(q: CheckedQuery): Promise<ComplianceReport> {
    const rule = eligibilityRule(q.rule)!;
    const [agencies, certifications, lags] = await Promise.all([
      repo.agencies(q.asOf),
      repo.certifications(q.period, q.asOf),
      repo.lags(q.period, q.asOf),
    ]);
    const credentials = await options.credentials(
      agencies.map((a) => a.ori),
      q.asOf.toISOString().slice(0, 10),
      q.asOf,
    );
    return buildComplianceReport({
      period: q.period,
      asOf: q.asOf,
      rule,
      deadlines: certificationDeadlineTable(rule.deadlineTable),
      agencies,
      certifications,
      lags,
      credentials,
    });
  }

  return {
    /** The report object (unsigned), for callers that read it rather than publish it. */
    async report(query: ComplianceQuery, now: Date): Promise<ComplianceReport> {
      return build(checkComplianceQuery(query, options.periodLength, now));
    },

    /** The report encoded in the asked format and signed by the hub. */
    async signedReport(query: ComplianceQuery, now: Date): Promise<SignedComplianceReport> {
      const q = checkComplianceQuery(query, options.periodLength, now);
      const body = encodeComplianceReport(await build(q), q.format);
      const signature = await signDetached(utf8(body), {
        typ: COMPLIANCE_SIGNATURE_TYP[q.format],
        key: await options.signingKey(),
      });
      return { format: q.format, mediaType: COMPLIANCE_MEDIA_TYPES[q.format], body, signature };
    },
  };
}

export type ComplianceService = ReturnType<typeof complianceService>;
