import { describe, expect, it } from 'vitest';
import { MATCH_KEY_STRENGTH, strongest, type MatchStrength } from '../../crypto/match-key-kind.js';
import { matchKeyKindOf, tryDeriveMatchKeys } from '../../crypto/match-keys/index.js';
import { normalizeFirstName, normalizeLastName } from '../../crypto/normalize/name.js';
import { normalizeSsn } from '../../crypto/normalize/ssn.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Category } from '../../protocol/categories.js';
import { retentionDue, retentionDueDate } from '../../protocol/retention.js';
import { OFFICER_COLUMNS } from '../import/columns.js';
import { validateOfficerRow } from '../import/officer-row.js';
import { AGENCY_KEYS } from './builder.js';
import { generateFederation, type SyntheticFederation } from './federation.js';
import { FAMILY_NAMES, GIVEN_NAMES, SYNTHETIC_SUFFIXES } from './names.js';
import { asciiUpper } from './people.js';
import { Random } from './random.js';
import type { SyntheticOfficer } from './records.js';
import { seededRng } from './seeded-rng.js';

const AS_OF = '2025-06-01';
const federation = generateFederation({ rng: seededRng('demo'), asOf: AS_OF });

/** An officer record's key strings, through the importer's own row check. */
function recordKeys(officer: SyntheticOfficer): string[] {
  const values = Object.fromEntries(
    OFFICER_COLUMNS.map((c) => [
      c.name,
      String(
        officer[
          c.name.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase()) as keyof SyntheticOfficer
        ],
      ),
    ]),
  );
  const result = validateOfficerRow({ line: 2, values }, AS_OF);
  if (!result.ok)
    throw new Error(
      `record ${officer.employeeId} does not import: ${JSON.stringify(result.issues)}`,
    );
  return [...result.keyStrings];
}

/** Every record sharing a key with the candidate, with the strongest kind shared. */
function matches(fed: SyntheticFederation, candidateKeys: readonly string[]) {
  const found: { agency: string; employeeId: string; strength: MatchStrength }[] = [];
  for (const key of AGENCY_KEYS) {
    for (const officer of fed.agencies[key].officers) {
      const shared = recordKeys(officer).filter((k) => candidateKeys.includes(k));
      const strength = strongest(shared.map((k) => MATCH_KEY_STRENGTH[matchKeyKindOf(k)!]));
      if (strength) found.push({ agency: key, employeeId: officer.employeeId, strength });
    }
  }
  return found;
}

describe('seeded rng', () => {
  it('gives the same bytes for the same seed however they are requested, and other bytes for another seed', () => {
    const whole = seededRng('s')(80);
    const parts = seededRng('s');
    expect(new Uint8Array([...parts(3), ...parts(0), ...parts(77)])).toEqual(whole);
    expect(seededRng('t')(80)).not.toEqual(whole);
  });

  it('draws every integer of a small range and none outside it', () => {
    const random = new Random(seededRng('range'));
    const seen = new Set(Array.from({ length: 200 }, () => random.between(3, 7)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('name lists', () => {
  it('hold only names the protocol normalizes, with and without a suffix', () => {
    for (const name of GIVEN_NAMES) expect(() => normalizeFirstName(name)).not.toThrow();
    for (const name of FAMILY_NAMES) {
      const bare = normalizeLastName(name);
      for (const suffix of SYNTHETIC_SUFFIXES)
        expect(normalizeLastName(`${name} ${suffix}`)).toBe(bare);
      expect(normalizeLastName(asciiUpper(name))).toBe(bare);
    }
  });
});

describe('synthetic federation', () => {
  it('is deterministic: the same seed and date give byte-identical files, another seed other files', () => {
    const again = generateFederation({ rng: seededRng('demo'), asOf: AS_OF });
    const other = generateFederation({ rng: seededRng('other'), asOf: AS_OF });
    for (const key of AGENCY_KEYS) {
      expect(again.agencies[key].officersCsv).toBe(federation.agencies[key].officersCsv);
      expect(again.agencies[key].outcomesCsv).toBe(federation.agencies[key].outcomesCsv);
      expect(other.agencies[key].officersCsv).not.toBe(federation.agencies[key].officersCsv);
    }
  });

  it('gives every agency its officers plus the story’s, each with outcomes for known employees', () => {
    const counts = AGENCY_KEYS.map((k) => federation.agencies[k].officers.length);
    expect(counts).toEqual([64, 41, 21]);
    for (const key of AGENCY_KEYS) {
      const { officers, outcomes } = federation.agencies[key];
      const ids = new Set(officers.map((o) => o.employeeId));
      expect(ids.size).toBe(officers.length);
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.every((o) => ids.has(o.employeeId))).toBe(true);
    }
  });

  it('uses only fake SSNs from area 899, all structurally valid', () => {
    const ssns = AGENCY_KEYS.flatMap((k) =>
      federation.agencies[k].officers.map((o) => o.ssn),
    ).filter(Boolean);
    expect(ssns.length).toBeGreaterThan(50);
    for (const ssn of ssns) {
      expect(ssn.startsWith('899-')).toBe(true);
      expect(() => normalizeSsn(ssn)).not.toThrow();
    }
    expect(federation.agencies.state.officers.every((o) => o.ssn === '')).toBe(true);
  });

  it('writes names the way real exports do: diacritics, hyphens, apostrophes, suffixes, former names', () => {
    const city = federation.agencies.city.officers;
    expect(city.some((o) => /[^\x20-\x7e]/.test(o.lastName))).toBe(true);
    expect(city.some((o) => /[-' ]/.test(o.lastName))).toBe(true);
    expect(city.some((o) => o.suffix !== '')).toBe(true);
    expect(city.some((o) => o.formerNames !== '')).toBe(true);
    // The board's legacy system writes upper-case ASCII.
    expect(federation.agencies.state.officers.every((o) => /^[A-Z '.-]+$/.test(o.lastName))).toBe(
      true,
    );
    expect(asciiUpper('Ødegaard-Łukasiewicz')).toBe('ODEGAARD-LUKASIEWICZ');
  });

  it('tells a story whose every check finds exactly the records and strength it announces', () => {
    expect(federation.story.map((s) => s.key)).toEqual([
      'strong',
      'moderate',
      'weak',
      'clean',
      'namesake',
      'expired',
    ]);
    for (const check of federation.story) {
      const derived = tryDeriveMatchKeys(check.candidate, { asOf: AS_OF });
      expect(derived.ok).toBe(true);
      const keys = derived.ok ? derived.keys.map((k) => k.keyString) : [];
      const found = matches(federation, keys);
      expect(found.map((f) => [f.agency, f.employeeId])).toEqual(
        check.hits.map((h) => [h.agency, h.employeeId]),
      );
      expect(strongest(found.map((f) => f.strength)) ?? null).toBe(check.expectedStrength);
    }
  });

  it('records the wandering officer under two spellings, with an SSN at one agency and not at the other', () => {
    const strong = federation.story.find((s) => s.key === 'strong')!;
    const [city, board] = strong.hits.map((h) =>
      federation.agencies[h.agency].officers.find((o) => o.employeeId === h.employeeId)!,
    );
    expect([city!.lastName, city!.suffix, city!.ssn !== '']).toEqual(['Ibáñez', 'Jr.', true]);
    expect([board!.lastName, board!.suffix, board!.ssn]).toEqual(['IBANEZ JR.', '', '']);
    expect(board!.licenseNumber).toBe(city!.licenseNumber);
    const outcome = federation.agencies.city.outcomes.find(
      (o) => o.employeeId === city!.employeeId,
    );
    expect(outcome).toMatchObject({ category: 'termination', status: 'final', useOfForce: 'yes' });
  });
});

describe('retention of the synthetic records', () => {
  it('keeps every record inside its retention period at asOf and for a year after, but the story’s expired one', () => {
    const aYearLater = new Date(Date.parse(`${AS_OF}T00:00:00Z`) + 366 * 86_400_000);
    const pastRetention = new Set(
      federation.story
        .filter((s) => s.pastRetention)
        .flatMap((s) => s.hits.map((h) => h.caseNumber)),
    );
    expect(pastRetention.size).toBe(1);
    let clocked = 0;
    for (const key of AGENCY_KEYS) {
      const { agency, outcomes } = federation.agencies[key];
      for (const o of outcomes) {
        if (pastRetention.has(o.caseNumber)) {
          const reporter = { jurisdiction: agency.level, state: agency.state };
          const statement = {
            category: o.category as Category,
            status: o.status as AttestationStatus,
            statusDate: o.statusDate,
          };
          expect(retentionDue(statement, reporter, new Date(`${AS_OF}T00:00:00Z`))).toBe(true);
          continue;
        }
        const statement = {
          category: o.category as Category,
          status: o.status as AttestationStatus,
          statusDate: o.statusDate,
        };
        const reporter = { jurisdiction: agency.level, state: agency.state };
        if (retentionDueDate(statement, reporter) !== null) clocked++;
        expect(retentionDue(statement, reporter, aYearLater)).toBe(false);
      }
    }
    // The rule was exercised: most records are final, and so run their clock.
    expect(clocked).toBeGreaterThan(5);
  });
});
