import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { LETTER_FOLDING_TABLE } from './letter-folding.js';
import {
  NAME_MAX_INPUT_CODE_POINTS,
  NAME_MAX_LENGTH,
  normalizeFirstName,
  normalizeLastName,
} from './name.js';

function errorOf(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a CryptoError');
}

describe('name normalization', () => {
  it('removes diacritics that NFKD separates from their letters', () => {
    expect(normalizeLastName('Nguyễn')).toBe('NGUYEN');
    expect(normalizeLastName('Dvořák')).toBe('DVORAK');
    expect(normalizeFirstName('Åsa')).toBe('ASA');
    expect(normalizeFirstName('Zoë')).toBe('ZOE');
    expect(normalizeLastName('Muñoz')).toBe('MUNOZ');
    expect(normalizeLastName('Ţepeş')).toBe('TEPES');
  });

  it('folds every letter of the folding table to its A–Z spelling', () => {
    for (const { letter, folded } of LETTER_FOLDING_TABLE) {
      expect(normalizeFirstName(`X${letter}`)).toBe(`X${folded}`);
    }
  });

  it('folds letters whose decomposition leaves a folding-table letter (Ǿ, Ǽ)', () => {
    expect(normalizeLastName('Ǿlund')).toBe('OLUND');
    expect(normalizeLastName('Ǽsir')).toBe('AESIR');
  });

  it('upper-cases without locale rules, so Turkish i and ı both become I', () => {
    expect(normalizeLastName('Yıldız')).toBe('YILDIZ');
    expect(normalizeLastName('İnce')).toBe('INCE');
    expect(normalizeFirstName('ilker')).toBe('ILKER');
  });

  it('removes spaces, hyphens, apostrophes and periods and joins particles', () => {
    expect(normalizeLastName("O'Brien")).toBe('OBRIEN');
    expect(normalizeLastName('O’Brien')).toBe('OBRIEN');
    expect(normalizeLastName('de la Cruz')).toBe('DELACRUZ');
    expect(normalizeLastName('van der Berg')).toBe('VANDERBERG');
    expect(normalizeLastName('García–López')).toBe('GARCIALOPEZ');
    expect(normalizeFirstName('Mary\u00a0Ann')).toBe('MARYANN');
    expect(normalizeLastName('St. John')).toBe('STJOHN');
    expect(normalizeLastName('Kamakaʻeha')).toBe('KAMAKAEHA');
  });

  it('reads full-width and other compatibility forms through NFKD', () => {
    expect(normalizeLastName('Ｓｍｉｔｈ')).toBe('SMITH');
    expect(normalizeLastName('ﬁnn')).toBe('FINN');
    expect(normalizeLastName('Ĳsselmeer')).toBe('IJSSELMEER');
  });

  it('removes invisible format characters but rejects other format characters', () => {
    expect(normalizeLastName('Sm\u200bith\u00ad')).toBe('SMITH');
    expect(errorOf(() => normalizeLastName('Smi\u202eth'))).toEqual({
      code: 'NAME_INVALID_CHARACTER',
      field: 'lastName',
    });
  });

  it('strips one generational suffix that is the last separate token of a family name', () => {
    for (const input of [
      'Smith Jr',
      'Smith Jr.',
      'Smith, Jr.',
      'Smith,Jr',
      'smith sr',
      'Smith III',
      'Smith IV ',
      'Smith\tII',
    ]) {
      expect(normalizeLastName(input)).toBe('SMITH');
    }
    expect(normalizeLastName('Smith Jr III')).toBe('SMITHJR');
  });

  it('keeps names that only look like suffixes', () => {
    expect(normalizeLastName('Ivy')).toBe('IVY');
    expect(normalizeLastName('Junior')).toBe('JUNIOR');
    expect(normalizeLastName('Jr')).toBe('JR');
    expect(normalizeLastName('Smith-Jr')).toBe('SMITHJR');
    expect(normalizeLastName('Smith Ivy')).toBe('SMITHIVY');
    expect(normalizeFirstName('John Jr')).toBe('JOHNJR');
  });

  it('rejects a comma anywhere except before a generational suffix', () => {
    expect(errorOf(() => normalizeLastName('Garcia, Maria'))).toEqual({
      code: 'NAME_INVALID_CHARACTER',
      field: 'lastName',
    });
    expect(errorOf(() => normalizeFirstName('Smith, Jr', 'aliases[2].firstName'))).toEqual({
      code: 'NAME_INVALID_CHARACTER',
      field: 'aliases[2].firstName',
    });
    expect(errorOf(() => normalizeLastName(', Jr')).code).toBe('NAME_INVALID_CHARACTER');
  });

  it('rejects digits, unfoldable letters and symbols with distinct codes', () => {
    expect(errorOf(() => normalizeLastName('Smith2')).code).toBe('NAME_DIGIT');
    expect(errorOf(() => normalizeLastName('Smith²')).code).toBe('NAME_DIGIT');
    expect(errorOf(() => normalizeLastName('Иванов')).code).toBe('NAME_UNFOLDABLE_LETTER');
    expect(errorOf(() => normalizeLastName('Παπαδόπουλος')).code).toBe('NAME_UNFOLDABLE_LETTER');
    expect(errorOf(() => normalizeLastName('王')).code).toBe('NAME_UNFOLDABLE_LETTER');
    expect(errorOf(() => normalizeLastName('Smith & Sons')).code).toBe('NAME_INVALID_CHARACTER');
    expect(errorOf(() => normalizeLastName('Smith|Jones')).code).toBe('NAME_INVALID_CHARACTER');
  });

  it('reports the first offending code point when there are several', () => {
    expect(errorOf(() => normalizeLastName('Я2')).code).toBe('NAME_UNFOLDABLE_LETTER');
    expect(errorOf(() => normalizeLastName('2Я')).code).toBe('NAME_DIGIT');
  });

  it('rejects names that are empty after normalization', () => {
    for (const input of ['', '   ', "-'.", '\u0301', '\u200b']) {
      expect(errorOf(() => normalizeFirstName(input))).toEqual({
        code: 'NAME_EMPTY',
        field: 'firstName',
      });
    }
  });

  it('treats a missing value as empty and a non-string as an invalid character', () => {
    expect(errorOf(() => normalizeLastName(undefined as unknown as string)).code).toBe(
      'NAME_EMPTY',
    );
    expect(errorOf(() => normalizeLastName(42 as unknown as string)).code).toBe(
      'NAME_INVALID_CHARACTER',
    );
  });

  it('bounds the normalized length and the raw input length', () => {
    expect(normalizeLastName('A'.repeat(NAME_MAX_LENGTH))).toHaveLength(NAME_MAX_LENGTH);
    expect(errorOf(() => normalizeLastName('A'.repeat(NAME_MAX_LENGTH + 1))).code).toBe(
      'NAME_TOO_LONG',
    );
    expect(normalizeLastName(`${' '.repeat(NAME_MAX_INPUT_CODE_POINTS - 1)}A`)).toBe('A');
    expect(
      errorOf(() => normalizeLastName(`${' '.repeat(NAME_MAX_INPUT_CODE_POINTS)}A`)).code,
    ).toBe('NAME_TOO_LONG');
  });

  it('rejects text that is not valid Unicode (a lone surrogate)', () => {
    expect(errorOf(() => normalizeLastName('Smith\ud800')).code).toBe('NAME_INVALID_CHARACTER');
  });

  it('never quotes the input in an error message', () => {
    try {
      normalizeLastName('Secretname9');
    } catch (e) {
      expect((e as Error).message).not.toMatch(/secretname/i);
    }
  });
});
