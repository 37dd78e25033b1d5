/**
 * The demo's three fictitious agencies (issue 3): a city police department, a state standards
 * board (POST) and a tribal police department, all in New Mexico. Names and ORIs are invented;
 * ORIs follow the NCIC shape (state code + 7 characters) so the registry accepts them.
 * How each exports its records differs the way real exports differ: the city's HR system has
 * SSNs and writes names with diacritics; the board's legacy system writes upper-case ASCII and
 * has no SSNs; the tribal department keeps no SSNs and few officers hold a state licence.
 */
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';

export type SyntheticAgencyKey = 'city' | 'state' | 'tribal';

export interface SyntheticAgency {
  readonly key: SyntheticAgencyKey;
  readonly ori: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
  readonly state: string;
  readonly contact: { readonly name: string; readonly email: string; readonly phone: string };
  readonly employeeIdPrefix: string;
  readonly caseNumberPrefix: string;
  /** Share of officers whose SSN the export carries. */
  readonly ssnRate: number;
  /** Share of officers whose state POST licence the export carries. */
  readonly licenseRate: number;
  /** The export writes names in upper-case ASCII (a legacy system). */
  readonly asciiUpperNames: boolean;
  /** Categories this agency reports. */
  readonly categories: readonly string[];
  readonly defaultOfficers: number;
}

const LOCAL_CATEGORIES = [
  'termination',
  'suspension',
  'suspension',
  'resignation_under_investigation',
  'retirement_under_investigation',
  'sustained_serious_misconduct',
  'criminal_conviction_on_duty',
  'civil_judgment_use_of_force',
];

export const SYNTHETIC_AGENCIES: Readonly<Record<SyntheticAgencyKey, SyntheticAgency>> = {
  city: {
    key: 'city',
    ori: 'NM0019900',
    name: 'Riverbend Police Department',
    level: 'local',
    state: 'NM',
    contact: { name: 'Records Unit', email: 'records@riverbend.example', phone: '+15055550100' },
    employeeIdPrefix: 'RPD-',
    caseNumberPrefix: 'IA-',
    ssnRate: 1,
    licenseRate: 0.9,
    asciiUpperNames: false,
    categories: LOCAL_CATEGORIES,
    defaultOfficers: 60,
  },
  state: {
    key: 'state',
    ori: 'NM0999900',
    name: 'New Mexico Law Enforcement Standards Board (fictitious)',
    level: 'state',
    state: 'NM',
    contact: {
      name: 'Compliance Office',
      email: 'compliance@nmleb.example',
      phone: '+15055550200',
    },
    employeeIdPrefix: 'LIC-',
    caseNumberPrefix: 'DC-',
    ssnRate: 0,
    licenseRate: 1,
    asciiUpperNames: true,
    categories: ['decertification'],
    defaultOfficers: 40,
  },
  tribal: {
    key: 'tribal',
    ori: 'NM0999800',
    name: 'Red Mesa Nation Police Department',
    level: 'tribal',
    state: 'NM',
    contact: { name: 'Chief of Police', email: 'chief@redmesa-pd.example', phone: '+15055550300' },
    employeeIdPrefix: 'TPD-',
    caseNumberPrefix: 'TPD-IA-',
    ssnRate: 0,
    licenseRate: 0.4,
    asciiUpperNames: false,
    categories: LOCAL_CATEGORIES,
    defaultOfficers: 20,
  },
};
