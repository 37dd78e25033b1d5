import { describe, expect, it } from 'vitest';
import type { PublishResponse, StatusResponse } from '../api/index.js';
import { formatProblem, formatPublish, formatStatus } from './cli-format.js';
import { formatInbox, formatPoll } from './inbox-command.js';

const publish = (retrying: number): PublishResponse => ({
  publish: {
    epoch: 1,
    considered: 1,
    signed: 1,
    restated: 0,
    batches: 1,
    waiting: 0,
    rejectedBefore: 0,
    failed: [],
  },
  delivery: { accepted: 1, duplicate: 0, rejected: 0, unverified: 0, retrying },
});

const status = (matchCounts: (number | null)[]): StatusResponse => ({
  certificationDue: null,
  ori: 'NM0010100',
  kid: 'kid-1',
  officers: 1,
  outcomes: 1,
  outcomesNeverAttested: 0,
  attestations: { pending: 0, sent: 0, accepted: 1, rejected: 0 },
  epochs: { tokenizing: 1, current: [{ epoch: 1, statements: 1 }] },
  outbox: { pending: 0, done: 1, dead: 0, due: 0 },
  retention: { action: 'archive', expired: 1, deleted: 0, archived: 2 },
  lastChecks: matchCounts.map((matchCount, i) => ({
    id: `check-${i}`,
    createdAt: '2026-12-07T10:00:00.000Z',
    purpose: 'hiring',
    state: matchCount === null ? 'failed' : 'answered',
    verdict: matchCount === null ? null : matchCount > 0 ? 'record_found' : 'no_record',
    matchCount,
    errorCode: matchCount === null ? 'HUB_UNAVAILABLE' : null,
  })),
});

describe('spx node output', () => {
  it('counts batches and matches in English', () => {
    expect(formatPublish(publish(0))).toContain('0 batches waiting to retry.');
    expect(formatPublish(publish(1))).toContain('1 batch waiting to retry.');
    expect(formatPublish(publish(1))).toContain('Signed 1 attestation of 1 outcome to publish.');
    const lines = formatStatus(status([0, 1, 2, null])).split('\n');
    expect(lines).toContain('Retention (archive): 1 expired outcome held, 2 archived, 0 deleted');
    expect(lines.filter((l) => l.startsWith('  ')).map((l) => l.trimEnd())).toEqual([
      '  2026-12-07T10:00:00.000Z  hiring  no_record  0 matches',
      '  2026-12-07T10:00:00.000Z  hiring  record_found  1 match',
      '  2026-12-07T10:00:00.000Z  hiring  record_found  2 matches',
      '  2026-12-07T10:00:00.000Z  hiring  failed',
    ]);
  });

  it('says what a new key epoch re-stated and what is left to re-state', () => {
    const restating: PublishResponse = {
      ...publish(0),
      publish: { ...publish(0).publish, epoch: 2, signed: 3, restated: 2 },
    };
    expect(formatPublish(restating)).toContain(
      'Signed 3 attestations of 1 outcome to publish (2 re-stated under key epoch 2, unchanged).',
    );
    const s = status([]);
    const halfway = {
      ...s,
      epochs: {
        tokenizing: 2,
        current: [
          { epoch: 1, statements: 4 },
          { epoch: 2, statements: 6 },
        ],
      },
    };
    expect(formatStatus(halfway)).toContain(
      'Key epoch: 2; current statements: 4 under epoch 1, 6 under epoch 2\n' +
        '  4 statements to re-state under epoch 2: spx node publish\n',
    );
    expect(formatStatus(s)).not.toContain('to re-state');
    expect(formatStatus({ ...s, epochs: { tokenizing: null, current: [] } })).toContain(
      'Key epoch: not known yet (fetched at first use)\n',
    );
    expect(
      formatStatus({
        ...status([]),
        affirmationDue: { affirmedOn: '2025-01-10', validUntil: '2026-01-10', daysLeft: 12 },
      }),
    ).toContain(
      '"In process" affirmation of 2025-01-10 counts until 2026-01-10 (12 days left): a credential, or spx node credential affirm',
    );
  });

  it("lists a refusal's field errors under its detail", () => {
    const problem = {
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'candidate.dob', code: 'DOB_FORMAT', message: 'not YYYY-MM-DD' },
        { field: '', code: 'unknown_field', message: 'unknown member' },
      ],
    };
    expect(formatProblem('cannot be used', problem)).toBe(
      'cannot be used\n  candidate.dob DOB_FORMAT — not YYYY-MM-DD\n  (body) unknown_field — unknown member',
    );
    expect(formatProblem('plain', undefined)).toBe('plain');
  });
});

describe('spx node inbox', () => {
  it('prints a correction with its change and whether the verdict changed', () => {
    const text = formatInbox({
      messages: [
        {
          seq: 7,
          type: 'correction',
          createdAt: '2026-05-01T12:00:00.000Z',
          receivedAt: '2026-05-01T12:01:00.000Z',
          outcome: 'applied',
          detail: 'record_found → no_record',
          correction: {
            checkId: '01960000-0000-7000-8000-000000000001',
            attestationId: '01960000-0000-7000-8000-000000000002',
            currentId: '01960000-0000-7000-8000-000000000003',
            currentStatus: 'overturned',
            changes: [{ field: 'status', from: 'final', to: 'overturned' }],
            verdictBefore: 'record_found',
            verdictAfter: 'no_record',
          },
          monitoring: null,
        },
        {
          seq: 9,
          type: 'monitoring',
          createdAt: '2026-05-03T12:00:00.000Z',
          receivedAt: '2026-05-03T12:01:00.000Z',
          outcome: 'applied',
          detail: null,
          correction: null,
          monitoring: {
            change: 'reported',
            statementId: '01960000-0000-7000-8000-000000000009',
            previousId: null,
            issuer: 'CA0194200',
            status: 'final',
            category: 'excessive_force',
            employeeIds: ['E-1042'],
            pastRetention: null,
          },
        },
        {
          seq: 10,
          type: 'monitoring',
          createdAt: '2030-11-01T00:30:00.000Z',
          receivedAt: '2030-11-01T00:31:00.000Z',
          outcome: 'applied',
          detail: null,
          correction: null,
          monitoring: {
            change: 'withdrawn',
            statementId: '01960000-0000-7000-8000-000000000009',
            previousId: '01960000-0000-7000-8000-000000000009',
            issuer: 'CA0194200',
            status: null,
            category: null,
            employeeIds: ['E-1042'],
            pastRetention: '2030-11-01',
          },
        },
        {
          seq: 8,
          type: 'record_request',
          createdAt: '2026-05-02T12:00:00.000Z',
          receivedAt: '2026-05-02T12:01:00.000Z',
          outcome: 'unsupported',
          detail: 'message type record_request',
          correction: null,
          monitoring: null,
        },
      ],
    });
    expect(text).toContain(
      'correction to check 01960000-0000-7000-8000-000000000001: record 01960000-0000-7000-8000-000000000002 status final → overturned; VERDICT CHANGED: record_found → no_record',
    );
    expect(text).toContain('#8 2026-05-02T12:00:00.000Z record_request: unsupported');
    expect(text).toContain(
      '#9 2026-05-03T12:00:00.000Z monitoring: officer E-1042: NEW RECORD 01960000-0000-7000-8000-000000000009: excessive_force, final (reported by CA0194200)',
    );
    expect(text).toContain(
      'monitoring: officer E-1042: record 01960000-0000-7000-8000-000000000009 WITHDRAWN (past retention since 2030-11-01; no longer shown to checkers) (reported by CA0194200)',
    );
    expect(formatInbox({ messages: [] })).toBe('The inbox is empty.\n');
  });

  it('warns when the hub deleted messages unread', () => {
    const text = formatPoll({
      received: 2,
      verdictsChanged: 1,
      notices: 0,
      acknowledged: 2,
      expiredUnacknowledged: 3,
    });
    expect(text).toContain('Fetched 2 new messages; 1 check changed verdict.');
    expect(text).toContain('deleted 3 messages for this agency unread');
  });
});
