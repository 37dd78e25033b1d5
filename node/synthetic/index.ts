/** Deterministic synthetic officers and outcomes for the demo and the tests (no real people). */
export { seededRng, type Rng } from './seeded-rng.js';
export { Random } from './random.js';
export { SYNTHETIC_AGENCIES, type SyntheticAgency, type SyntheticAgencyKey } from './agencies.js';
export {
  asciiUpper,
  randomPerson,
  recordAt,
  SYNTHETIC_SSN_AREA,
  syntheticLicenseNumber,
  syntheticSsn,
  type RecordOptions,
  type SyntheticName,
  type SyntheticPerson,
} from './people.js';
export { outcomeFor, type OutcomeSpec } from './outcomes.js';
export {
  officersCsv,
  outcomesCsv,
  type SyntheticOfficer,
  type SyntheticOutcome,
} from './records.js';
export { toCsv } from './csv-text.js';
export {
  generateFederation,
  type AgencyDataset,
  type FederationOptions,
  type SyntheticFederation,
} from './federation.js';
export { writeStory, type StoryCheck, type StoryHit } from './story.js';
export { FederationBuilder, AGENCY_KEYS, type AddedRecord } from './builder.js';
