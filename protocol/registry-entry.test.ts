import { describe, expect, it } from 'vitest';
import { decodeJson, encodeMessage } from './decode.js';
import { exampleAgencyKey, exampleRegistryEntry } from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';
import { RegistryEntrySchema, type RegistryEntry } from './registry-entry.js';

const entry = (overrides: Partial<RegistryEntry> = {}) => ({
  ...exampleRegistryEntry(),
  ...overrides,
});
const outcome = (input: unknown) => decodeOutcome(RegistryEntrySchema, input);
const ok = { ok: true };

describe('registry entry', () => {
  it('round-trips through JSON', () => {
    const e = exampleRegistryEntry();
    expect(decodeJson(RegistryEntrySchema, encodeMessage(RegistryEntrySchema, e))).toEqual(e);
  });

  it('treats roles as a non-empty set', () => {
    expect(outcome(entry({ roles: [] }))).toEqual(rejected('VALIDATION_FAILED', 'roles: too_few'));
    expect(outcome(entry({ roles: ['checker', 'reporter', 'checker'] }))).toEqual(
      rejected('VALIDATION_FAILED', 'roles[2]: duplicate'),
    );
    expect(outcome(entry({ roles: ['operator'] }))).toEqual(ok);
    expect(outcome(entry({ roles: ['witness', 'reporter'] }))).toEqual(ok);
    expect(outcome({ ...entry(), roles: ['admin'] })).toEqual(
      rejected('VALIDATION_FAILED', 'roles[0]: invalid_value'),
    );
  });

  it('refuses two keys with one kid, and an active agency without an active key', () => {
    const k = exampleAgencyKey('a');
    expect(outcome(entry({ keys: [k, { ...k, status: 'retired' }] }))).toEqual(
      rejected('VALIDATION_FAILED', 'keys[1].kid: duplicate'),
    );
    const retired = [exampleAgencyKey('a', 'retired')];
    expect(outcome(entry({ keys: retired }))).toEqual(
      rejected('VALIDATION_FAILED', 'keys: not_allowed'),
    );
    expect(outcome(entry({ keys: retired, status: 'suspended' }))).toEqual(ok);
    expect(outcome(entry({ keys: [] }))).toEqual(rejected('VALIDATION_FAILED', 'keys: too_few'));
  });

  describe('state or territory by jurisdiction level', () => {
    it('requires the ORI’s own state for state and local agencies', () => {
      expect(outcome(entry({ jurisdiction: 'state', state: 'CA' }))).toEqual(ok);
      expect(outcome(entry({ state: null }))).toEqual(
        rejected('VALIDATION_FAILED', 'state: not_allowed'),
      );
      expect(outcome(entry({ state: 'NV' }))).toEqual(
        rejected('VALIDATION_FAILED', 'state: mismatch'),
      );
    });

    it('requires a territory code for territorial agencies, and lets local agencies sit in a territory', () => {
      expect(
        outcome(entry({ ori: 'PR0010000', jurisdiction: 'territorial', state: 'PR' })),
      ).toEqual(ok);
      expect(outcome(entry({ ori: 'PR0010100', jurisdiction: 'local', state: 'PR' }))).toEqual(ok);
      expect(outcome(entry({ jurisdiction: 'territorial', state: 'CA' }))).toEqual(
        rejected('VALIDATION_FAILED', 'state: not_allowed'),
      );
      expect(outcome(entry({ ori: 'GU0000000', jurisdiction: 'state', state: 'GU' }))).toEqual(
        rejected('VALIDATION_FAILED', 'state: not_allowed'),
      );
    });

    it('lets federal and tribal agencies give a state or none, without an ORI-prefix rule', () => {
      expect(outcome(entry({ ori: 'DCFBIWA00', jurisdiction: 'federal', state: null }))).toEqual(
        ok,
      );
      expect(outcome(entry({ ori: 'DCFBIWA00', jurisdiction: 'federal', state: 'VA' }))).toEqual(
        ok,
      );
      expect(outcome(entry({ ori: 'AZ0140100', jurisdiction: 'tribal', state: null }))).toEqual(ok);
      expect(outcome(entry({ ori: 'AZ0140100', jurisdiction: 'tribal', state: 'NM' }))).toEqual(ok);
    });

    it('rejects unknown levels and codes', () => {
      expect(outcome({ ...entry(), jurisdiction: 'county' })).toEqual(
        rejected('VALIDATION_FAILED', 'jurisdiction: invalid_value'),
      );
      expect(outcome({ ...entry(), state: 'XX' })).toEqual(
        rejected('VALIDATION_FAILED', 'state: invalid_value'),
      );
    });
  });

  it('validates the records custodian contact and holds nothing else', () => {
    const contact = exampleRegistryEntry().contact;
    expect(outcome(entry({ contact: { ...contact, email: 'not-an-email' } }))).toEqual(
      rejected('VALIDATION_FAILED', 'contact.email: invalid_format'),
    );
    for (const email of ['a..b@x.gov', '.a@x.gov', 'a@x', 'a@-x.gov', 'a b@x.gov', 'a@x.g0v']) {
      expect(outcome(entry({ contact: { ...contact, email } }))).toEqual(
        rejected('VALIDATION_FAILED', 'contact.email: invalid_format'),
      );
    }
    expect(
      outcome(entry({ contact: { ...contact, email: "o'brien+records@pd.city.example.gov" } })),
    ).toEqual(ok);
    expect(outcome(entry({ contact: { ...contact, email: `${'a'.repeat(250)}@x.gov` } }))).toEqual(
      rejected('VALIDATION_FAILED', 'contact.email: too_long'),
    );
    expect(outcome(entry({ contact: { ...contact, phone: '213-555-0100' } }))).toEqual(
      rejected('VALIDATION_FAILED', 'contact.phone: invalid_format'),
    );
    expect(outcome({ ...entry(), contact: { ...contact, badge: '1234' } })).toEqual(
      rejected('VALIDATION_FAILED', 'contact.badge: unknown_field'),
    );
    expect(outcome(entry({ name: 'Police\nDepartment' }))).toEqual(
      rejected('VALIDATION_FAILED', 'name: not_allowed'),
    );
  });
});
