import { describe, expect, it } from 'vitest';
import type { CheckMatch } from '../../protocol/check-response.js';
import {
  exampleAttestation,
  exampleCheckRequest,
  exampleCheckResponse,
  exampleMatch,
} from '../../protocol/test-support/examples.js';
import { HIT_REMINDER, NO_MATCH_NOTE } from './labels.js';
import { formatCheckText, presentCheck } from './present.js';
import type { VerifiedCheck } from './verify-answer.js';

function verified(matches: CheckMatch[]): VerifiedCheck {
  const payload = exampleCheckResponse(exampleCheckRequest(), matches);
  return {
    payload,
    attestations: [],
    answer: { response: '', attestations: [], log: { checkpoint: '', inclusions: [] } },
    checkpoint: {
      origin: '',
      size: 0,
      root: new Uint8Array(32),
      note: '',
      text: '',
      cosigners: [],
    },
  };
}

const termination = exampleMatch(exampleAttestation(), ['ssn', 'name_dob', 'last_dob'], 'strong');
const overturned = exampleMatch(
  exampleAttestation({
    id: '0190f1c2-3b4a-7c5d-8e6f-000000000001',
    status: 'overturned',
    supersedes: '0190f1c2-3b4a-7c5d-8e6f-000000000000',
  }),
  ['name_dob'],
  'moderate',
);
const weak = exampleMatch(
  exampleAttestation({
    id: '0190f1c2-3b4a-7c5d-8e6f-000000000002',
    category: 'suspension',
    useOfForce: false,
    disputed: { since: '2023-12-01' },
  }),
  ['last_dob'],
  'weak',
);

describe('presentCheck', () => {
  it('shows each match with its agency, contact, category, dates, status, strength and reasons', () => {
    const p = presentCheck(verified([termination]));
    expect(p.verdict).toBe('record_found');
    expect(p.verdictLabel).toBe('Record found');
    expect(p.matches).toEqual([
      {
        attestationId: termination.attestationId,
        reportingAgency: termination.reportingAgency,
        category: 'termination',
        categoryLabel: 'Termination',
        useOfForce: true,
        eventDate: '2023-04-02',
        outcomeDate: '2023-09-14',
        status: 'final',
        statusLabel: 'final',
        statusDate: '2023-11-01',
        disputedSince: null,
        strength: 'strong',
        matchedKinds: ['ssn', 'name_dob', 'last_dob'],
        matchedKindLabels: [
          'Social Security number',
          'full name and date of birth',
          'last name and date of birth',
        ],
        contradictedKinds: [],
        contradictedKindLabels: [],
        effect: 'finding',
        effectLabel: 'disqualifying once confirmed',
        reasons: [
          {
            code: 'disqualifying_category',
            text: 'your policy treats this category as disqualifying',
          },
        ],
      },
    ]);
    expect(p.reminder).toBe(HIT_REMINDER);
  });

  it('puts findings first, then reviews, then records that do not count', () => {
    const p = presentCheck(
      verified(
        [termination, overturned, weak].sort((a, b) =>
          a.attestationId < b.attestationId ? -1 : 1,
        ),
      ),
    );
    expect(p.matches.map((m) => m.effect)).toEqual(['finding', 'review', 'none']);
    expect(p.matches[1]!.reasons.map((r) => r.code)).toEqual(['review_category', 'weak_match']);
  });

  it('says when the record carries another SSN than the candidate, and why it is review', () => {
    const namesake = exampleMatch(exampleAttestation(), ['name_dob'], 'moderate', ['ssn']);
    const p = presentCheck(verified([namesake]));
    expect(p.verdict).toBe('review');
    expect(p.matches[0]!.contradictedKindLabels).toEqual(['Social Security number']);
    expect(p.matches[0]!.reasons.map((r) => r.code)).toEqual([
      'disqualifying_category',
      'contradicted',
    ]);
    const text = formatCheckText(p);
    expect(text).toContain(
      "Contradicts: the record's Social Security number differs from the candidate's",
    );
    expect(text).toContain('a namesake, or a typing error on either side');
    expect(formatCheckText(presentCheck(verified([termination])))).not.toContain('Contradicts');
  });

  it('says that no match is not proof that no record exists', () => {
    const p = presentCheck(verified([]));
    expect([p.verdict, p.verdictLabel, p.reminder]).toEqual([
      'no_record',
      'No record found',
      NO_MATCH_NOTE,
    ]);
  });
});

describe('formatCheckText', () => {
  it('prints the verdict, every match with how to reach its agency, and the reminder', () => {
    const text = formatCheckText(presentCheck(verified([weak])));
    expect(text).toContain('Verdict: REVIEW NEEDED.');
    expect(text).toContain(
      '1. Suspension for misconduct: final (since 2023-11-01); disputed by the officer since 2023-12-01',
    );
    expect(text).toContain('Reported by Example City Police Department (ORI CA0194200)');
    expect(text).toContain('Contact: Records Custodian, records@agency.example.gov, +12135550100');
    expect(text).toContain('Match: weak (a lead for review only), on last name and date of birth');
    expect(text.trimEnd().endsWith(HIT_REMINDER)).toBe(true);
  });
});
