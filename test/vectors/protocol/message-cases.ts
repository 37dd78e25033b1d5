/**
 * Message decoding vectors (docs/protocol.md §5, 08-errors-versioning.md). Each case is a
 * JSON body, the message it is decoded as, and the expected outcome: accepted, or the problem
 * code with the field errors (`field: code`, sorted). Expected outcomes are written here by
 * hand from the spec; only example byte values are derived (SHA-256 of fixed labels).
 */
import type { z } from 'zod';
import {
  AgencyKeySchema,
  AttestationPayloadSchema,
  CertificationListSchema,
  CertificationPayloadSchema,
  CertificationReceiptSchema,
  CertificationSubmissionSchema,
  CheckAnswerSchema,
  CheckPolicySchema,
  CheckRequestSchema,
  CheckResponsePayloadSchema,
  CorrectionBodySchema,
  IntakeBatchSchema,
  MailboxAckSchema,
  MailboxMessagePayloadSchema,
  MailboxPageSchema,
  MonitoringBodySchema,
  IntakeReceiptSchema,
  RegistryEntrySchema,
  ServedEpochsSchema,
  TokenizationRequestSchema,
  TokenizationResponseSchema,
} from '../../../protocol/index.js';
import {
  EXAMPLE_IDS,
  exampleAgencyKey,
  exampleAttestation,
  exampleB64,
  exampleRegistryEntry,
  exampleTokenizationRequest,
  exampleTokenizationResponse,
} from '../../../protocol/test-support/examples.js';
import { ACCEPTED, rejected, type Outcome } from '../../../protocol/outcome.js';
import { addCheckCases } from './message-cases-check.js';
import { addCertificationCases } from './message-cases-certification.js';
import { addCredentialCases } from './message-cases-credential.js';
import {
  AffirmationPayloadSchema,
  CredentialPayloadSchema,
  CredentialRevocationPayloadSchema,
} from '../../../protocol/credential.js';
import { addMailboxCases } from './message-cases-mailbox.js';

export const MESSAGE_SCHEMAS: Record<string, z.ZodType> = {
  'agency-key': AgencyKeySchema,
  'registry-entry': RegistryEntrySchema,
  'tokenization-request': TokenizationRequestSchema,
  'tokenization-response': TokenizationResponseSchema,
  'served-epochs': ServedEpochsSchema,
  attestation: AttestationPayloadSchema,
  'intake-batch': IntakeBatchSchema,
  'intake-receipt': IntakeReceiptSchema,
  'check-policy': CheckPolicySchema,
  'check-request': CheckRequestSchema,
  'check-response': CheckResponsePayloadSchema,
  'check-answer': CheckAnswerSchema,
  correction: CorrectionBodySchema,
  monitoring: MonitoringBodySchema,
  'mailbox-message': MailboxMessagePayloadSchema,
  'mailbox-page': MailboxPageSchema,
  'mailbox-ack': MailboxAckSchema,
  certification: CertificationPayloadSchema,
  'certification-submission': CertificationSubmissionSchema,
  'certification-receipt': CertificationReceiptSchema,
  'certification-list': CertificationListSchema,
  credential: CredentialPayloadSchema,
  'credential-revocation': CredentialRevocationPayloadSchema,
  'credential-affirmation': AffirmationPayloadSchema,
};

export interface MessageCase {
  readonly name: string;
  readonly message: string;
  readonly input: unknown;
  readonly expect: Outcome;
}

export const bad = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);
export const omit = <T extends object>(o: T, key: keyof T & string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

export type AddCase = (message: string, name: string, input: unknown, expect: Outcome) => void;

export function buildMessageCases(): MessageCase[] {
  const cases: MessageCase[] = [];
  const add: AddCase = (message, name, input, expect) => {
    cases.push({ name, message, input, expect });
  };

  // §5.3 agency keys and registry entries
  const key = exampleAgencyKey('vector-key');
  add('agency-key', 'valid Ed25519 key with its thumbprint as kid', key, ACCEPTED);
  add(
    'agency-key',
    'kid of another key',
    { ...key, kid: exampleAgencyKey('other').kid },
    bad('kid: mismatch'),
  );
  add(
    'agency-key',
    'private member d',
    { ...key, jwk: { ...key.jwk, d: exampleB64('d', 32) } },
    bad('jwk.d: unknown_field'),
  );
  add(
    'agency-key',
    'padded x',
    { ...key, jwk: { ...key.jwk, x: key.jwk.x + '=' } },
    bad('jwk.x: too_long'),
  );

  const entry = exampleRegistryEntry();
  add('registry-entry', 'local agency', entry, ACCEPTED);
  add(
    'registry-entry',
    'federal agency without a state',
    { ...entry, ori: 'DCFBIWA00', jurisdiction: 'federal', state: null },
    ACCEPTED,
  );
  add(
    'registry-entry',
    'tribal agency without a state',
    { ...entry, ori: 'AZ0140100', jurisdiction: 'tribal', state: null },
    ACCEPTED,
  );
  add(
    'registry-entry',
    'territorial agency',
    { ...entry, ori: 'PR0010000', jurisdiction: 'territorial', state: 'PR' },
    ACCEPTED,
  );
  add(
    'registry-entry',
    'local agency without a state',
    { ...entry, state: null },
    bad('state: not_allowed'),
  );
  add(
    'registry-entry',
    'state differs from ORI prefix',
    { ...entry, state: 'NV' },
    bad('state: mismatch'),
  );
  add(
    'registry-entry',
    'lower-case ORI',
    { ...entry, ori: 'ca0194200' },
    bad('ori: invalid_format'),
  );
  add(
    'registry-entry',
    'repeated role',
    { ...entry, roles: ['reporter', 'reporter'] },
    bad('roles[1]: duplicate'),
  );
  add('registry-entry', 'no role', { ...entry, roles: [] }, bad('roles: too_few'));
  add(
    'registry-entry',
    'active agency with retired keys only',
    { ...entry, keys: [exampleAgencyKey('r', 'retired')] },
    bad('keys: not_allowed'),
  );
  add(
    'registry-entry',
    'officer data in contact',
    { ...entry, contact: { ...entry.contact, officer: 'x' } },
    bad('contact.officer: unknown_field'),
  );

  // §5.4 tokenization
  const treq = exampleTokenizationRequest(2);
  add('tokenization-request', 'two blinded elements', treq, ACCEPTED);
  add(
    'tokenization-request',
    'empty batch',
    { ...treq, blindedElements: [] },
    bad('blindedElements: too_few'),
  );
  add('tokenization-request', 'epoch 0', { ...treq, epoch: 0 }, bad('epoch: too_small'));
  add(
    'tokenization-request',
    'element of 31 bytes',
    { ...treq, blindedElements: [exampleB64('e', 31)] },
    bad('blindedElements[0]: too_short'),
  );
  const tres = exampleTokenizationResponse(2);
  add('tokenization-response', 'two evaluated elements and a proof', tres, ACCEPTED);
  add(
    'tokenization-response',
    'share index 256',
    { ...tres, shareIndex: 256 },
    bad('shareIndex: too_big'),
  );
  add('tokenization-response', 'missing proof', omit(tres, 'proof'), bad('proof: required'));

  // §4.8 the epochs a hub serves
  const window = {
    epochs: [
      { epoch: 1, retiresAt: '2026-09-01T00:00:00Z' },
      { epoch: 2, retiresAt: null },
    ],
  };
  add('served-epochs', 'a changeover: epoch 1 retiring, epoch 2 new', window, ACCEPTED);
  add('served-epochs', 'one epoch', { epochs: [{ epoch: 1, retiresAt: null }] }, ACCEPTED);
  add('served-epochs', 'no epoch', { epochs: [] }, bad('epochs: too_few'));
  add(
    'served-epochs',
    'epochs out of order',
    {
      epochs: [
        { epoch: 2, retiresAt: null },
        { epoch: 1, retiresAt: null },
      ],
    },
    bad('epochs[1].epoch: out_of_order'),
  );
  add(
    'served-epochs',
    'the newest epoch retiring',
    { epochs: [{ epoch: 1, retiresAt: '2026-09-01T00:00:00Z' }] },
    bad('epochs[0].retiresAt: not_allowed'),
  );

  // §5.5 attestations
  const att = exampleAttestation();
  add('attestation', 'final termination with use of force', att, ACCEPTED);
  add(
    'attestation',
    'notice sent, not yet heard',
    { ...att, status: 'notice_sent', notified: false },
    ACCEPTED,
  );
  add(
    'attestation',
    'disputed final record',
    { ...att, disputed: { since: '2023-11-01' } },
    ACCEPTED,
  );
  add(
    'attestation',
    'retraction',
    { ...att, status: 'retracted', supersedes: EXAMPLE_IDS.superseded },
    ACCEPTED,
  );
  add(
    'attestation',
    'protocol version 2',
    { ...att, v: 2, newMember: true },
    rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
  );
  add(
    'attestation',
    'category list 2',
    { ...att, categoryList: 2 },
    rejected('UNSUPPORTED_CATEGORY_LIST', 'categoryList: unsupported_category_list'),
  );
  add(
    'attestation',
    'unknown category',
    { ...att, category: 'misconduct' },
    bad('category: invalid_value'),
  );
  add(
    'attestation',
    'unknown member',
    { ...att, officerName: 'DOE' },
    bad('officerName: unknown_field'),
  );
  add(
    'attestation',
    'final without notification',
    { ...att, notified: false },
    bad('notified: not_allowed'),
  );
  add(
    'attestation',
    'supersedes itself',
    { ...att, supersedes: att.id },
    bad('supersedes: not_allowed'),
  );
  add(
    'attestation',
    'overturned without predecessor',
    { ...att, status: 'overturned' },
    bad('supersedes: not_allowed'),
  );
  add(
    'attestation',
    'outcome before event',
    { ...att, outcomeDate: '2023-04-01' },
    bad('outcomeDate: out_of_order'),
  );
  add(
    'attestation',
    'status date after issuedAt',
    { ...att, statusDate: '2023-11-03' },
    bad('statusDate: out_of_order'),
  );
  add(
    'attestation',
    'impossible date',
    { ...att, eventDate: '2023-02-29' },
    bad('eventDate: invalid_format'),
  );
  add(
    'attestation',
    'timestamp with fraction',
    { ...att, issuedAt: '2023-11-02T15:04:05.000Z' },
    bad('issuedAt: invalid_format'),
  );
  add(
    'attestation',
    'upper-case id',
    { ...att, id: att.id.toUpperCase() },
    bad('id: invalid_format'),
  );
  add(
    'attestation',
    'UUID version 4 id',
    { ...att, id: '0190f1c2-3b4a-4c5d-8e6f-708192a3b4c5' },
    bad('id: invalid_format'),
  );
  const keys = att.tokens.keys;
  add(
    'attestation',
    'repeated hub index',
    { ...att, tokens: { epoch: 1, keys: [keys[0], { ...keys[1], index: keys[0]!.index }] } },
    bad('tokens.keys[1].index: duplicate'),
  );
  add(
    'attestation',
    'weak keys only',
    { ...att, tokens: { epoch: 1, keys: [keys[2]] } },
    bad('tokens.keys: not_allowed'),
  );
  add(
    'attestation',
    'civil judgment without use of force',
    { ...att, category: 'civil_judgment_use_of_force', useOfForce: false },
    bad('useOfForce: mismatch'),
  );
  add(
    'attestation',
    'SSN-shaped local reference',
    { ...att, localRef: '078-05-1120' },
    bad('localRef: not_allowed'),
  );
  add(
    'attestation',
    'free text local reference',
    { ...att, localRef: 'John Doe' },
    bad('localRef: invalid_format'),
  );
  add(
    'attestation',
    'cross-field rules wait until every member is valid',
    { ...att, supersedes: att.id, tokens: { epoch: 1, keys: [{ kind: 'ssn', index: 'AAAA' }] } },
    bad('tokens.keys[0].index: too_short'),
  );
  add('attestation', 'missing notified', omit(att, 'notified'), bad('notified: required'));

  addCheckCases(add, att);
  addMailboxCases(add);
  addCertificationCases(add);
  addCredentialCases(add);
  return cases;
}
