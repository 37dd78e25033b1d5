/**
 * USPS codes of the states, the District of Columbia and the inhabited territories
 * (USPS Publication 28, Appendix B). Used by licence normalization (docs/protocol.md §2)
 * and by the registry's state-or-territory field.
 */

export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
] as const;

export const US_DISTRICT = ['DC'] as const;

/** Puerto Rico, Guam, U.S. Virgin Islands, American Samoa, Northern Mariana Islands. */
export const US_TERRITORIES = ['PR', 'GU', 'VI', 'AS', 'MP'] as const;

export const US_JURISDICTION_CODES = [...US_STATES, ...US_DISTRICT, ...US_TERRITORIES] as const;
export type UsJurisdictionCode = (typeof US_JURISDICTION_CODES)[number];

const CODES: ReadonlySet<string> = new Set(US_JURISDICTION_CODES);

export function isUsJurisdictionCode(code: string): code is UsJurisdictionCode {
  return CODES.has(code);
}

export function isTerritory(code: UsJurisdictionCode): boolean {
  return (US_TERRITORIES as readonly string[]).includes(code);
}
