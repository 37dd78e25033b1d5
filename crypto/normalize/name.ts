/**
 * Name normalization (docs/protocol.md §2.2). Every node must turn the same written name into
 * the same bytes, so each step is a closed rule: NFKD, removal of combining marks, the explicit
 * folding table, ASCII upper-casing, removal of separators, and — for family names only — one
 * trailing generational suffix. Anything the rules do not cover is an error, never dropped.
 *
 * Error messages name the rule and at most one code point, never the input: rejected rows
 * are reported to operators and end up in logs.
 */
import { CryptoError, type NormalizationErrorCode } from '../errors.js';
import {
  APOSTROPHES,
  COMMA,
  HYPHENS,
  INVISIBLE,
  PERIODS,
  WHITESPACE,
  codePointLength,
  formatCodePoint,
  hasLoneSurrogate,
  isCombiningMark,
  isLetter,
  isNumber,
} from './character-classes.js';
import { foldLetter } from './letter-folding.js';

/** Longest normalized name, in letters. */
export const NAME_MAX_LENGTH = 64;
/** Longest accepted raw input, in code points, checked before any other work. */
export const NAME_MAX_INPUT_CODE_POINTS = 256;
/** Stripped only as the separate last token of a family name (§2.2 step 4). */
export const GENERATIONAL_SUFFIXES = ['JR', 'SR', 'II', 'III', 'IV'] as const;

const SUFFIXES: ReadonlySet<string> = new Set(GENERATIONAL_SUFFIXES);

function fail(code: NormalizationErrorCode, field: string, message: string): never {
  throw new CryptoError(code, message, { field });
}

/**
 * Steps 1–3: validates the input and maps its NFKD form onto the intermediate alphabet
 * A–Z plus five marks: ' ' (white space), ',' (comma), '-' (hyphen), "'" (apostrophe) and
 * '.' (period). The marks survive until step 4 so the suffix rule can see token boundaries.
 */
function toIntermediate(value: unknown, field: string): string {
  if (value === undefined || value === null) fail('NAME_EMPTY', field, 'name is missing');
  if (typeof value !== 'string') fail('NAME_INVALID_CHARACTER', field, 'name is not a string');
  if (codePointLength(value) > NAME_MAX_INPUT_CODE_POINTS) {
    fail('NAME_TOO_LONG', field, `name input exceeds ${NAME_MAX_INPUT_CODE_POINTS} code points`);
  }
  if (hasLoneSurrogate(value)) fail('NAME_INVALID_CHARACTER', field, 'name is not valid Unicode');

  let out = '';
  for (const ch of value.normalize('NFKD')) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x41 && cp <= 0x5a) out += ch;
    // Upper-casing is ASCII-only: locale-aware mappings (Turkish i → İ) would differ by node.
    else if (cp >= 0x61 && cp <= 0x7a) out += String.fromCharCode(cp - 0x20);
    else if (WHITESPACE.has(cp)) out += ' ';
    else if (cp === COMMA) out += ',';
    else if (HYPHENS.has(cp)) out += '-';
    else if (APOSTROPHES.has(cp)) out += "'";
    else if (PERIODS.has(cp)) out += '.';
    else if (INVISIBLE.has(cp) || isCombiningMark(ch)) continue;
    else {
      const folded = foldLetter(cp);
      if (folded !== undefined) out += folded;
      else if (isNumber(ch))
        fail('NAME_DIGIT', field, `name contains a digit (${formatCodePoint(cp)})`);
      else if (isLetter(ch)) {
        fail('NAME_UNFOLDABLE_LETTER', field, `letter ${formatCodePoint(cp)} has no A-Z folding`);
      } else
        fail('NAME_INVALID_CHARACTER', field, `character ${formatCodePoint(cp)} is not allowed`);
    }
  }
  return out;
}

/**
 * Step 4 (family names): removes one generational suffix when it is the last token — tokens
 * being separated by white space or commas — optionally followed by one period, and at least
 * one letter precedes it. So "Smith Jr.", "Smith, III" and "Smith,Jr" lose the suffix, while
 * "Ivy", "Junior", "Smith-Jr" and a lone "Jr" are names and are kept whole.
 */
function stripGenerationalSuffix(intermediate: string): string {
  const trimmed = intermediate.replace(/ +$/, '');
  const cut = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf(','));
  if (cut < 0) return intermediate;
  const token = trimmed.slice(cut + 1);
  const bare = token.endsWith('.') ? token.slice(0, -1) : token;
  if (!SUFFIXES.has(bare)) return intermediate;
  const rest = trimmed.slice(0, cut + 1).replace(/[ ,]+$/, '');
  return /[A-Z]/.test(rest) ? rest : intermediate;
}

/** Steps 5–6: a comma left over is an error; separators go; the result is bounded. */
function finish(intermediate: string, field: string): string {
  if (intermediate.includes(',')) {
    fail('NAME_INVALID_CHARACTER', field, 'a comma is only allowed before a generational suffix');
  }
  const letters = intermediate.replace(/[ '\-.]/g, '');
  if (letters.length === 0) fail('NAME_EMPTY', field, 'name has no letters');
  if (letters.length > NAME_MAX_LENGTH) {
    fail('NAME_TOO_LONG', field, `normalized name exceeds ${NAME_MAX_LENGTH} letters`);
  }
  return letters;
}

/** A given (first) name: 1–64 letters A–Z. Suffixes are not stripped from given names. */
export function normalizeFirstName(value: string, field = 'firstName'): string {
  return finish(toIntermediate(value, field), field);
}

/** A family (last) name: 1–64 letters A–Z, one trailing generational suffix removed. */
export function normalizeLastName(value: string, field = 'lastName'): string {
  return finish(stripGenerationalSuffix(toIntermediate(value, field)), field);
}
