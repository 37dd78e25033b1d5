/**
 * Message decoding vectors for period certifications (docs/protocol.md §5.15): the signed
 * payload, the submission body, the receipt and the agency's list; see message-cases.ts.
 * Expected outcomes are written by hand.
 */
import { EXAMPLE_IDS, exampleJws } from '../../../protocol/test-support/examples.js';
import { ACCEPTED, rejected } from '../../../protocol/outcome.js';
import { bad, omit, type AddCase } from './message-cases.js';

export function addCertificationCases(add: AddCase): void {
  const cert = {
    v: 1,
    id: EXAMPLE_IDS.attestation,
    issuer: 'CA0194200',
    period: '2026-Q1',
    sworn: 412,
    statements: 3,
    zeroReport: false,
    supersedes: null,
    issuedAt: '2026-04-03T15:04:05Z',
  };
  const zero = { ...cert, statements: 0, zeroReport: true };
  add('certification', 'a quarter with three statements', cert, ACCEPTED);
  add('certification', 'a zero report', zero, ACCEPTED);
  add('certification', 'a month', { ...zero, period: '2026-03' }, ACCEPTED);
  add('certification', 'a year', { ...zero, period: '2025' }, ACCEPTED);
  add(
    'certification',
    'a correction',
    { ...cert, sworn: 415, supersedes: EXAMPLE_IDS.superseded },
    ACCEPTED,
  );
  add('certification', 'quarter 5', { ...zero, period: '2026-Q5' }, bad('period: invalid_format'));
  add('certification', 'month 13', { ...zero, period: '2026-13' }, bad('period: invalid_format'));
  add(
    'certification',
    'a period before 1900',
    { ...zero, period: '1899' },
    bad('period: invalid_value'),
  );
  add(
    'certification',
    'issued before the period ended',
    { ...zero, issuedAt: '2026-03-31T23:00:00Z' },
    bad('period: not_allowed'),
  );
  add(
    'certification',
    'issued on the last day of the period',
    { ...zero, period: '2026-04', issuedAt: '2026-04-30T23:59:59Z' },
    bad('period: not_allowed'),
  );
  add('certification', 'negative headcount', { ...zero, sworn: -1 }, bad('sworn: too_small'));
  add('certification', 'absurd headcount', { ...zero, sworn: 100_001 }, bad('sworn: too_big'));
  add('certification', 'fractional headcount', { ...zero, sworn: 2.5 }, bad('sworn: invalid_type'));
  add('certification', 'headcount as text', { ...zero, sworn: '412' }, bad('sworn: invalid_type'));
  add('certification', 'negative count', { ...cert, statements: -1 }, bad('statements: too_small'));
  add(
    'certification',
    'a zero report with statements',
    { ...cert, zeroReport: true },
    bad('zeroReport: mismatch'),
  );
  add(
    'certification',
    'no statements, not a zero report',
    { ...zero, zeroReport: false },
    bad('zeroReport: mismatch'),
  );
  add(
    'certification',
    'statements without sworn officers',
    { ...cert, sworn: 0 },
    bad('sworn: not_allowed'),
  );
  add(
    'certification',
    'supersedes itself',
    { ...cert, supersedes: cert.id },
    bad('supersedes: not_allowed'),
  );
  add('certification', 'zeroReport missing', omit(zero, 'zeroReport'), bad('zeroReport: required'));
  add('certification', 'unknown member', { ...zero, note: 'x' }, bad('note: unknown_field'));
  add(
    'certification',
    'version 2',
    { ...zero, v: 2 },
    rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
  );

  const jws = exampleJws('spx-certification+jws', zero, 'cert-1');
  add('certification-submission', 'one certification', { certification: jws }, ACCEPTED);
  add(
    'certification-submission',
    'a list instead of one',
    { certification: [jws] },
    bad('certification: invalid_type'),
  );

  const receipt = {
    id: cert.id,
    status: 'accepted',
    receivedAt: '2026-04-03T15:04:06Z',
    period: '2026-Q1',
    deadline: '2026-04-30',
    timeliness: 'on_time',
    log: { index: 118, checkpoint: 'hub.example/log\n119\nAAAA\n\n— hub.example/log sig\n' },
  };
  add('certification-receipt', 'accepted on time', receipt, ACCEPTED);
  add(
    'certification-receipt',
    'unknown timeliness',
    { ...receipt, timeliness: 'early' },
    bad('timeliness: invalid_value'),
  );

  const record = {
    id: cert.id,
    period: '2026-Q1',
    sworn: 412,
    statements: 3,
    zeroReport: false,
    supersedes: null,
    supersededBy: null,
    receivedAt: '2026-04-03T15:04:06Z',
    deadline: '2026-04-30',
  };
  add('certification-list', 'one certification', { certifications: [record] }, ACCEPTED);
  add('certification-list', 'none', { certifications: [] }, ACCEPTED);
}
