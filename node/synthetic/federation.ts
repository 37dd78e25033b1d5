/**
 * A whole synthetic federation for the demo and the tests: three agencies' officers and
 * outcomes as import CSV, and the story of four hiring checks (story.ts). Deterministic: the
 * same rng bytes and asOf give the same files, byte for byte.
 */
import { SYNTHETIC_AGENCIES, type SyntheticAgency, type SyntheticAgencyKey } from './agencies.js';
import { AGENCY_KEYS, FederationBuilder } from './builder.js';
import { FAMILY_NAMES, FAMILY_NAMES_BY_ORIGIN } from './names.js';
import { randomPerson, type SyntheticPerson } from './people.js';
import { Random } from './random.js';
import {
  officersCsv,
  outcomesCsv,
  type SyntheticOfficer,
  type SyntheticOutcome,
} from './records.js';
import type { Rng } from './seeded-rng.js';
import { keyStrings, personIdentity, writeStory, type StoryCheck } from './story.js';

export interface AgencyDataset {
  readonly agency: SyntheticAgency;
  readonly officers: readonly SyntheticOfficer[];
  readonly outcomes: readonly SyntheticOutcome[];
  readonly officersCsv: string;
  readonly outcomesCsv: string;
}

export interface SyntheticFederation {
  readonly asOf: string;
  readonly agencies: Readonly<Record<SyntheticAgencyKey, AgencyDataset>>;
  readonly story: readonly StoryCheck[];
}

export interface FederationOptions {
  readonly rng: Rng;
  /** Reference date (YYYY-MM-DD): ages, hire dates and outcome dates are before it. */
  readonly asOf: string;
  /** Officers per agency besides the story's people (defaults: 60, 40, 20). */
  readonly officers?: Partial<Record<SyntheticAgencyKey, number>>;
  /** Share of officers with an outcome (default 0.12). */
  readonly outcomeRate?: number;
}

export function generateFederation(options: FederationOptions): SyntheticFederation {
  const { asOf } = options;
  const random = new Random(options.rng);
  const b = new FederationBuilder(random, asOf);
  const story = writeStory(b);

  // Random officers may not share a key with any story candidate, or the story would change.
  const reserved = new Set(story.flatMap((s) => keyStrings(s.candidate, asOf)));
  const fresh = (key: SyntheticAgencyKey): SyntheticPerson => {
    // Most of a tribal department's officers are members of the nation it serves.
    const names =
      key === 'tribal' && random.chance(0.6) ? FAMILY_NAMES_BY_ORIGIN.nativeAmerican : FAMILY_NAMES;
    for (;;) {
      const p = randomPerson(random, asOf, 'NM', names);
      if (!keyStrings(personIdentity(p), asOf).some((k) => reserved.has(k))) return p;
    }
  };
  const rate = options.outcomeRate ?? 0.12;
  const randomOutcome = (): 'random' | undefined => (random.chance(rate) ? 'random' : undefined);
  const cityPeople: SyntheticPerson[] = [];
  for (const key of AGENCY_KEYS) {
    const count = options.officers?.[key] ?? SYNTHETIC_AGENCIES[key].defaultOfficers;
    for (let i = 0; i < count; i++) {
      // The board licenses the state's officers: half its records are city officers' licences.
      const p = key === 'state' && i % 2 === 0 && cityPeople[i] ? cityPeople[i]! : fresh(key);
      if (key === 'city') cityPeople.push(p);
      b.add(key, p, key === 'state' ? { withLicense: true } : {}, randomOutcome());
    }
  }

  const dataset = (key: SyntheticAgencyKey): AgencyDataset => ({
    agency: SYNTHETIC_AGENCIES[key],
    officers: b.officers[key],
    outcomes: b.outcomes[key],
    officersCsv: officersCsv(b.officers[key]),
    outcomesCsv: outcomesCsv(b.outcomes[key]),
  });
  const agencies = { city: dataset('city'), state: dataset('state'), tribal: dataset('tribal') };
  return { asOf, agencies, story };
}
