/** Accumulates the three agencies' records, numbering employees and cases per agency. */
import { SYNTHETIC_AGENCIES, type SyntheticAgencyKey } from './agencies.js';
import { outcomeFor, type OutcomeSpec } from './outcomes.js';
import { recordAt, type RecordOptions, type SyntheticPerson } from './people.js';
import type { Random } from './random.js';
import type { SyntheticOfficer, SyntheticOutcome } from './records.js';

export const AGENCY_KEYS: readonly SyntheticAgencyKey[] = ['city', 'state', 'tribal'];

export interface AddedRecord {
  readonly officer: SyntheticOfficer;
  readonly outcome?: SyntheticOutcome;
}

export class FederationBuilder {
  readonly officers: Record<SyntheticAgencyKey, SyntheticOfficer[]> = {
    city: [],
    state: [],
    tribal: [],
  };
  readonly outcomes: Record<SyntheticAgencyKey, SyntheticOutcome[]> = {
    city: [],
    state: [],
    tribal: [],
  };

  constructor(
    readonly random: Random,
    readonly asOf: string,
  ) {}

  /** Adds `person` to agency `key`'s records, with an outcome when asked and possible. */
  add(
    key: SyntheticAgencyKey,
    person: SyntheticPerson,
    options: Omit<RecordOptions, 'employeeId' | 'asOf'> = {},
    outcome?: OutcomeSpec | 'random',
  ): AddedRecord {
    const agency = SYNTHETIC_AGENCIES[key];
    const list = this.officers[key];
    const employeeId = `${agency.employeeIdPrefix}${10001 + list.length}`;
    let officer = recordAt(person, agency, this.random, {
      ...options,
      employeeId,
      asOf: this.asOf,
    });
    let made: SyntheticOutcome | undefined;
    if (outcome !== undefined) {
      const result = outcomeFor(officer, agency, this.random, {
        asOf: this.asOf,
        caseSeq: this.outcomes[key].length + 1,
        ...(outcome === 'random' ? {} : { spec: outcome }),
      });
      if (result) {
        made = result.outcome;
        this.outcomes[key].push(made);
        if (result.separationDate) officer = { ...officer, separationDate: result.separationDate };
      }
    }
    list.push(officer);
    return made ? { officer, outcome: made } : { officer };
  }
}
