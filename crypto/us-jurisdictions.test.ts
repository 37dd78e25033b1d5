import { describe, expect, it } from 'vitest';
import { US_JURISDICTION_CODES, isTerritory, isUsJurisdictionCode } from './us-jurisdictions.js';

describe('US jurisdiction codes', () => {
  it('lists 50 states, DC and 5 territories without duplicates', () => {
    expect(new Set(US_JURISDICTION_CODES).size).toBe(56);
  });

  it('accepts DC and the territories and rejects lower case and unknown codes', () => {
    for (const c of ['DC', 'PR', 'GU', 'VI', 'AS', 'MP', 'CA'])
      expect(isUsJurisdictionCode(c)).toBe(true);
    for (const c of ['ca', 'XX', 'UM', 'FM', '']) expect(isUsJurisdictionCode(c)).toBe(false);
  });

  it('tells territories from states', () => {
    expect(isTerritory('PR')).toBe(true);
    expect(isTerritory('TX')).toBe(false);
  });
});
