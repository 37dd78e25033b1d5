/**
 * Message decoding vectors for credentials (docs/protocol.md §5.16): the body's credential and
 * revocation, the chief's affirmation; see message-cases.ts. Expected outcomes are written by
 * hand. The standards' checks against their list (STANDARD_UNKNOWN, MANDATORY_STANDARD_MISSING,
 * UNSUPPORTED_STANDARDS_LIST) and the date checks are the receiver's (§5.16.3), not the
 * schema's: a payload naming an unknown standard still decodes.
 */
import { ACCEPTED } from '../../../protocol/outcome.js';
import { bad, omit, type AddCase } from './message-cases.js';

export function addCredentialCases(add: AddCase): void {
  const credential = {
    v: 1,
    id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    body: 'calea',
    ori: 'CA0194200',
    standardsList: 1,
    standards: {
      use_of_force_policy_lawful: true,
      chokehold_ban: true,
      community_engagement: false,
    },
    assessedOn: '2026-04-20',
    issuedAt: '2026-05-01T12:00:00Z',
  };
  add('credential', 'both mandatory standards met', credential, ACCEPTED);
  add(
    'credential',
    'a mandatory standard not met (decodes; the standing says so)',
    { ...credential, standards: { use_of_force_policy_lawful: true, chokehold_ban: false } },
    ACCEPTED,
  );
  add(
    'credential',
    'an unknown standard (decodes; refused by the receiver)',
    { ...credential, standards: { ...credential.standards, body_cameras: true } },
    ACCEPTED,
  );
  add(
    'credential',
    'upper-case body id',
    { ...credential, body: 'CALEA' },
    bad('body: invalid_format'),
  );
  add(
    'credential',
    'a standard stated as text',
    { ...credential, standards: { chokehold_ban: 'yes' } },
    bad('standards.chokehold_ban: invalid_type'),
  );
  add(
    'credential',
    'an impossible assessment date',
    { ...credential, assessedOn: '2026-02-30' },
    bad('assessedOn: invalid_format'),
  );
  add(
    'credential',
    'a validity of its own',
    { ...credential, validUntil: '2030-01-01' },
    bad('validUntil: unknown_field'),
  );
  add('credential', 'missing ori', omit(credential, 'ori'), bad('ori: required'));

  const revocation = {
    v: 1,
    id: '0196b000-0000-7000-8000-000000000001',
    body: 'calea',
    credential: credential.id,
    reason: 'standards_not_met',
    issuedAt: '2026-06-01T09:00:00Z',
  };
  add('credential-revocation', 'standards no longer met', revocation, ACCEPTED);
  add(
    'credential-revocation',
    'a reason in free text',
    { ...revocation, reason: 'chief resigned' },
    bad('reason: invalid_value'),
  );

  const affirmation = {
    v: 1,
    id: '0196b000-0000-7000-8000-000000000002',
    issuer: 'CA0194200',
    affirmedOn: '2026-05-01',
    issuedAt: '2026-05-01T12:00:00Z',
  };
  add('credential-affirmation', 'affirmed today', affirmation, ACCEPTED);
  add(
    'credential-affirmation',
    "the chief's name (not a member)",
    { ...affirmation, chief: 'Jane Roe' },
    bad('chief: unknown_field'),
  );
}
