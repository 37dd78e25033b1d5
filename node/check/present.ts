/**
 * A verified check answer for people (flow §3.2; §5.9 "a hit is a pointer"): the verdict with
 * its reasons, and for each match who reported it and how to reach them, what was reported,
 * how strongly it matched and what that means under the agency's policy. `presentCheck` gives
 * the data (the CLI's --json output, the check page); `formatCheckText` the terminal text.
 */
import type { MatchKeyKind, MatchStrength } from '../../crypto/match-key-kind.js';
import { categoryDefinition, type Category } from '../../protocol/categories.js';
import type { CheckMatch } from '../../protocol/check-response.js';
import type { Effect, ReasonCode, Verdict } from '../../protocol/check-verdict.js';
import type { Contact } from '../../protocol/registry-entry.js';
import {
  EFFECT_LABELS,
  HIT_REMINDER,
  KIND_LABELS,
  NO_MATCH_NOTE,
  REASON_LABELS,
  STATUS_LABELS,
  STRENGTH_LABELS,
  VERDICT_LABELS,
  VERDICT_SUMMARIES,
} from './labels.js';
import type { VerifiedCheck } from './verify-answer.js';

export interface MatchView {
  readonly attestationId: string;
  readonly reportingAgency: {
    readonly ori: string;
    readonly name: string;
    readonly contact: Contact;
  };
  readonly category: Category;
  readonly categoryLabel: string;
  readonly useOfForce: boolean;
  readonly eventDate: string;
  readonly outcomeDate: string;
  readonly status: CheckMatch['status'];
  readonly statusLabel: string;
  readonly statusDate: string;
  readonly disputedSince: string | null;
  readonly strength: MatchStrength;
  readonly matchedKinds: readonly MatchKeyKind[];
  readonly matchedKindLabels: readonly string[];
  /** Kinds both sides carry with different values (§5.8.1): e.g. two different SSNs. */
  readonly contradictedKinds: readonly MatchKeyKind[];
  readonly contradictedKindLabels: readonly string[];
  readonly effect: Effect;
  readonly effectLabel: string;
  readonly reasons: readonly { readonly code: ReasonCode; readonly text: string }[];
}

export interface CheckPresentation {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly requester: string;
  readonly purpose: string;
  readonly consentRef: string;
  readonly epoch: number;
  readonly verdict: Verdict;
  readonly verdictLabel: string;
  readonly summary: string;
  /** Most significant first: findings, then reviews, then the rest, as the hub ordered them. */
  readonly matches: readonly MatchView[];
  /** The standing reminder that a hit is a pointer to confirm, or the no-match caveat. */
  readonly reminder: string;
}

const RANK: Record<Effect, number> = { finding: 0, review: 1, none: 2 };

export function presentCheck(verified: VerifiedCheck): CheckPresentation {
  const { payload } = verified;
  const views = payload.matches.map((m, i): MatchView => {
    const assessment = payload.reasons[i]!;
    return {
      attestationId: m.attestationId,
      reportingAgency: m.reportingAgency,
      category: m.category,
      categoryLabel: categoryDefinition(m.category).label,
      useOfForce: m.useOfForce,
      eventDate: m.eventDate,
      outcomeDate: m.outcomeDate,
      status: m.status,
      statusLabel: STATUS_LABELS[m.status],
      statusDate: m.statusDate,
      disputedSince: m.disputed?.since ?? null,
      strength: m.strength,
      matchedKinds: m.matchedKinds,
      matchedKindLabels: m.matchedKinds.map((k) => KIND_LABELS[k]),
      contradictedKinds: m.contradictedKinds,
      contradictedKindLabels: m.contradictedKinds.map((k) => KIND_LABELS[k]),
      effect: assessment.effect,
      effectLabel: EFFECT_LABELS[assessment.effect],
      reasons: assessment.reasons.map((code) => ({ code, text: REASON_LABELS[code] })),
    };
  });
  // A stable sort keeps the hub's (ascending id) order within each effect.
  const matches = [...views].sort((a, b) => RANK[a.effect] - RANK[b.effect]);
  return {
    checkId: payload.checkId,
    checkedAt: payload.checkedAt,
    requester: payload.requester,
    purpose: payload.purpose,
    consentRef: payload.consentRef,
    epoch: payload.epoch,
    verdict: payload.verdict,
    verdictLabel: VERDICT_LABELS[payload.verdict],
    summary: VERDICT_SUMMARIES[payload.verdict],
    matches,
    reminder: matches.length > 0 ? HIT_REMINDER : NO_MATCH_NOTE,
  };
}

/** How many records matched, and — under a clean verdict — that none of them counts. */
function matchLine(p: CheckPresentation): string {
  const n = p.matches.length;
  const records = `${n} matching record${n === 1 ? '' : 's'}`;
  if (p.verdict !== 'no_record' || n === 0) return `${records}.`;
  return `${records}, ${n === 1 ? 'which does' : 'none of which does'} not count under your policy (below).`;
}

export function formatCheckText(p: CheckPresentation): string {
  const lines = [
    `Check ${p.checkId} at ${p.checkedAt} by ${p.requester}`,
    `Purpose: ${p.purpose.replace('_', ' ')}   Consent: ${p.consentRef}   Key epoch: ${p.epoch}`,
    '',
    `Verdict: ${p.verdictLabel.toUpperCase()}. ${p.summary}`,
    matchLine(p),
  ];
  p.matches.forEach((m, i) => {
    const agency = m.reportingAgency;
    const force = m.useOfForce ? ', use of force' : '';
    const disputed =
      m.disputedSince === null ? '' : `; disputed by the officer since ${m.disputedSince}`;
    lines.push(
      '',
      `${i + 1}. ${m.categoryLabel}${force}: ${m.statusLabel} (since ${m.statusDate})${disputed}`,
      `   Reported by ${agency.name} (ORI ${agency.ori})`,
      `   Contact: ${agency.contact.name}, ${agency.contact.email}, ${agency.contact.phone}`,
      `   Conduct ${m.eventDate}, outcome ${m.outcomeDate}`,
      `   Match: ${STRENGTH_LABELS[m.strength]}, on ${m.matchedKindLabels.join(', ')}`,
      ...(m.contradictedKinds.length === 0
        ? []
        : [
            `   Contradicts: the record's ${m.contradictedKindLabels.join(', ')} differs from the candidate's`,
          ]),
      `   Under your policy: ${m.effectLabel}: ${m.reasons.map((r) => r.text).join('; ')}`,
    );
  });
  lines.push('', p.reminder);
  return `${lines.join('\n')}\n`;
}
