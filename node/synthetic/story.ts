/**
 * The demo's story: five hiring checks and the result each should give — a strong hit (the
 * wandering officer, under two spellings at two agencies), a moderate hit found through a
 * former name, a weak family-name-and-birth-date lead for review, a clean candidate, and a
 * namesake whose SSN contradicts the record's (review, never a finding), and an officer whose
 * only record is past its retention period (no record).
 * The people are invented; their identifiers come from the same fake ranges as everyone's.
 */
import type { MatchStrength } from '../../crypto/match-key-kind.js';
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import type { SyntheticAgencyKey } from './agencies.js';
import type { AddedRecord, FederationBuilder } from './builder.js';
import type { OutcomeSpec } from './outcomes.js';
import { syntheticLicenseNumber, syntheticSsn, type SyntheticPerson } from './people.js';
import { addDays, addYears, type Random } from './random.js';

export interface StoryHit {
  readonly agency: SyntheticAgencyKey;
  readonly employeeId: string;
  readonly caseNumber: string;
  readonly category: string;
}

export interface StoryCheck {
  readonly key: 'strong' | 'moderate' | 'weak' | 'clean' | 'namesake' | 'expired';
  readonly title: string;
  /** Who runs the check in the story. */
  readonly checkingAgency: SyntheticAgencyKey;
  /** The identifiers the background investigator enters. */
  readonly candidate: Identity;
  /**
   * The strongest match of the candidate's keys among the records (null for none): what the
   * check reports, unless `pastRetention`.
   */
  readonly expectedStrength: MatchStrength | null;
  /** The records match, but are past their retention period: the hub lists none of them. */
  readonly pastRetention?: boolean;
  readonly hits: readonly StoryHit[];
  readonly explanation: string;
}

function hit(key: SyntheticAgencyKey, made: AddedRecord): StoryHit {
  return {
    agency: key,
    employeeId: made.officer.employeeId,
    caseNumber: made.outcome!.caseNumber,
    category: made.outcome!.category,
  };
}

function storyPerson(
  random: Random,
  asOf: string,
  fixed: Partial<SyntheticPerson>,
): SyntheticPerson {
  return {
    middleName: '',
    suffix: '',
    formerNames: [],
    firstName: '',
    lastName: '',
    dateOfBirth: random.date(addYears(asOf, -48), addYears(asOf, -30)),
    ssn: syntheticSsn(random),
    license: { state: 'NM', number: syntheticLicenseNumber(random) },
    ...fixed,
  };
}

export function keyStrings(identity: Identity, asOf: string): string[] {
  const derived = tryDeriveMatchKeys(identity, { asOf });
  return derived.ok ? derived.keys.map((k) => k.keyString) : [];
}

export function personIdentity(p: SyntheticPerson): Identity {
  return {
    firstName: p.firstName,
    middleName: p.middleName === '' ? null : p.middleName,
    lastName: p.suffix === '' ? p.lastName : `${p.lastName} ${p.suffix}`,
    dob: p.dateOfBirth,
    ssn: p.ssn,
    license: p.license,
    aliases: p.formerNames,
  };
}

/** Adds the story's people to the agencies' records and returns the checks to run. */
export function writeStory(b: FederationBuilder): StoryCheck[] {
  const { random, asOf } = b;
  // Story officers were hired long before their outcomes (the story's DOBs make them 30+).
  const hired = { hireDate: addDays(asOf, -3000) };
  const final = (category: string, useOfForce: boolean, eventDaysAgo: number): OutcomeSpec => ({
    category,
    status: 'final',
    useOfForce,
    eventDaysAgo,
  });

  // 1. The wandering officer: fired by the city, decertified by the board, now applying to
  //    the tribal department. The city has his SSN and diacritics; the board writes
  //    "IBANEZ JR" without an SSN. Both share his licence number.
  const ramon = storyPerson(random, asOf, {
    firstName: 'Ramón',
    lastName: 'Ibáñez',
    suffix: 'Jr.',
  });
  const cityRamon = b.add(
    'city',
    ramon,
    { ...hired, withSsn: true, withLicense: true },
    final('termination', true, 900),
  );
  const boardRamon = b.add(
    'state',
    ramon,
    { ...hired, withSsn: false, withLicense: true, suffixInLastName: true },
    final('decertification', true, 700),
  );
  // 2. Found through a former name: the tribal department knew her as Mai Trần.
  const mai = storyPerson(random, asOf, {
    firstName: 'Mai',
    lastName: 'Nguyễn',
    formerNames: [{ lastName: 'Trần' }],
    license: null,
  });
  const tribalMai = b.add(
    'tribal',
    mai,
    { ...hired, withSsn: false, withLicense: false, knownAs: { lastName: 'Trần' } },
    final('sustained_serious_misconduct', false, 1200),
  );
  // 3. Same family name and birth date, different first name: a lead for a person to review.
  const william = storyPerson(random, asOf, { firstName: 'William', lastName: 'Kowalczyk' });
  const cityWilliam = b.add(
    'city',
    william,
    { ...hired, withSsn: true, withLicense: true },
    final('suspension', false, 500),
  );
  // 4. Nobody has a record of her.
  const tallulah = storyPerson(random, asOf, { firstName: 'Tallulah', lastName: 'Begay' });
  // 5. The city fired a John Smith; another John Smith, born the same day, applies to the
  //    tribal department with his own SSN.
  const john = storyPerson(random, asOf, { firstName: 'John', lastName: 'Smith', license: null });
  const cityJohn = b.add(
    'city',
    john,
    { ...hired, withSsn: true, withLicense: false },
    final('termination', false, 800),
  );
  let otherSsn = syntheticSsn(random);
  while (otherSsn === john.ssn) otherSsn = syntheticSsn(random);
  // 6. The city fired Paul Okafor about ten years ago: seven years after the decision became
  //    final, the record's retention period ended (docs/protocol.md §5.13).
  // Hired some fifteen years ago, as a grown man: born 45 to 55 years before asOf.
  const paul = storyPerson(random, asOf, {
    firstName: 'Paul',
    lastName: 'Okafor',
    dateOfBirth: random.date(addYears(asOf, -55), addYears(asOf, -45)),
  });
  const cityPaul = b.add(
    'city',
    paul,
    { hireDate: addDays(asOf, -5000), withSsn: true, withLicense: true },
    final('termination', false, 3500),
  );

  return [
    {
      key: 'strong',
      title: 'The wandering officer',
      checkingAgency: 'tribal',
      candidate: {
        firstName: 'Ramon',
        lastName: 'Ibanez',
        dob: ramon.dateOfBirth,
        ssn: ramon.ssn,
        license: ramon.license,
      },
      expectedStrength: 'strong',
      hits: [hit('city', cityRamon), hit('state', boardRamon)],
      explanation:
        'SSN and licence match the city’s termination; the licence matches the board’s decertification, although the board spells him "IBANEZ JR" and has no SSN.',
    },
    {
      key: 'moderate',
      title: 'Found through a former name',
      checkingAgency: 'city',
      candidate: {
        firstName: 'Mai',
        lastName: 'Nguyen',
        dob: mai.dateOfBirth,
        ssn: syntheticSsn(random),
        aliases: [{ lastName: 'Tran' }],
      },
      expectedStrength: 'moderate',
      hits: [hit('tribal', tribalMai)],
      explanation:
        'Name and date of birth match through her former name; the reporting agency had no SSN or licence, so the hiring agency must confirm the person with it.',
    },
    {
      key: 'weak',
      title: 'A lead for review',
      checkingAgency: 'state',
      candidate: { firstName: 'Bill', lastName: 'Kowalczyk', dob: william.dateOfBirth },
      expectedStrength: 'weak',
      hits: [hit('city', cityWilliam)],
      explanation:
        'Only family name and date of birth match ("Bill" is not "William" to a match key): never a finding, a lead for a person to review.',
    },
    {
      key: 'clean',
      title: 'A clean candidate',
      checkingAgency: 'city',
      candidate: personIdentity(tallulah),
      expectedStrength: null,
      hits: [],
      explanation: 'No agency has reported anything about her.',
    },
    {
      key: 'namesake',
      title: 'A namesake',
      checkingAgency: 'tribal',
      candidate: { firstName: 'John', lastName: 'Smith', dob: john.dateOfBirth, ssn: otherSsn },
      expectedStrength: 'moderate',
      hits: [hit('city', cityJohn)],
      explanation:
        'Name and date of birth match the city’s termination, but the city’s record carries another SSN: most likely another John Smith born the same day (or a typing error on one side), so it is a review, never a finding.',
    },
    {
      key: 'expired',
      title: 'A record past its retention period',
      checkingAgency: 'state',
      candidate: personIdentity(paul),
      expectedStrength: 'strong',
      pastRetention: true,
      hits: [hit('city', cityPaul)],
      explanation:
        'The city’s termination of ten years ago became final more than seven years ago: past its retention period, the hub no longer lists it — even before the city’s node publishes the `expired` statement.',
    },
  ];
}
