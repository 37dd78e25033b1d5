import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_LIST_V1,
  CATEGORY_LISTS,
  categoryDefinition,
  CURRENT_CATEGORY_LIST_VERSION,
  isCategoryIn,
  SUPPORTED_CATEGORY_LIST_VERSIONS,
} from './categories.js';

describe('category list version 1', () => {
  it('holds the EO 13929 categories followed by the NLEAD additions, in display order', () => {
    expect(CATEGORY_LIST_V1.map((c) => c.code)).toEqual([
      'termination',
      'decertification',
      'criminal_conviction_on_duty',
      'civil_judgment_use_of_force',
      'resignation_under_investigation',
      'retirement_under_investigation',
      'suspension',
      'sustained_serious_misconduct',
    ]);
    const fromEo = CATEGORY_LIST_V1.filter((c) => c.source.startsWith('Executive Order 13929'));
    expect(fromEo).toHaveLength(6);
  });

  it('gives every category a unique lower-snake code, a label, a definition and a source', () => {
    expect(new Set(CATEGORIES).size).toBe(CATEGORIES.length);
    for (const c of CATEGORY_LIST_V1) {
      expect(c.code).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.definition.length).toBeGreaterThan(0);
      expect(c.source.length).toBeGreaterThan(0);
      expect(categoryDefinition(c.code)).toBe(c);
    }
  });

  it('is the current and only supported list', () => {
    expect(CURRENT_CATEGORY_LIST_VERSION).toBe(1);
    expect(SUPPORTED_CATEGORY_LIST_VERSIONS).toEqual([1]);
    expect(CATEGORY_LISTS[CURRENT_CATEGORY_LIST_VERSION]).toBe(CATEGORY_LIST_V1);
  });
});

describe('isCategoryIn', () => {
  it('answers membership per list version and is false for unknown versions', () => {
    expect(isCategoryIn(1, 'termination')).toBe(true);
    expect(isCategoryIn(1, 'chokehold')).toBe(false);
    expect(isCategoryIn(2, 'termination')).toBe(false);
  });
});

describe('list growth', () => {
  it('keeps every code of an earlier list in each later list (codes are never removed)', () => {
    const versions = Object.keys(CATEGORY_LISTS)
      .map(Number)
      .sort((a, b) => a - b);
    for (let i = 1; i < versions.length; i++) {
      const earlier = CATEGORY_LISTS[versions[i - 1]!]!.map((c) => c.code);
      const later = CATEGORY_LISTS[versions[i]!]!.map((c) => c.code);
      expect(later.slice(0, earlier.length)).toEqual(earlier);
    }
    // The union used by the schemas is the newest list.
    expect(CATEGORIES).toEqual(CATEGORY_LISTS[Math.max(...versions)]!.map((c) => c.code));
  });
});
