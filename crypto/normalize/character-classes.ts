/**
 * Code-point classes used by identifier normalization (docs/protocol.md §2.2). Every set is
 * applied to the NFKD form of the input, so compatibility variants (NBSP, full-width
 * punctuation, small-form hyphens) are already mapped onto the members listed here.
 * The sets are closed lists on purpose: a character that is in none of them is an error,
 * never silently dropped.
 */

/** Unicode White_Space (UCD PropList.txt): separates name tokens, then is removed. */
export const WHITESPACE: ReadonlySet<number> = new Set([
  0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x0020, 0x0085, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
  0x3000,
]);

/**
 * Invisible format characters that copy-and-paste leaves in names and numbers (soft hyphen,
 * zero-width space/joiners, direction marks, word joiner, byte-order mark). They carry no
 * letter, so they are removed; every other format character (Cf) is rejected.
 */
export const INVISIBLE: ReadonlySet<number> = new Set([
  0x00ad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff,
]);

/** Hyphens and dashes joining double-barrelled names (U+FE63, U+FF0D reach U+002D via NFKD). */
export const HYPHENS: ReadonlySet<number> = new Set([
  0x002d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212,
]);

/**
 * Apostrophes and the marks typed in their place: ASCII apostrophe, grave accent, modifier
 * prime, Hawaiian/Samoan ʻokina (U+02BB), modifier apostrophe (U+02BC, also what ŉ decomposes
 * to), left/right/reversed single quotation marks, prime.
 */
export const APOSTROPHES: ReadonlySet<number> = new Set([
  0x0027, 0x0060, 0x02b9, 0x02bb, 0x02bc, 0x2018, 0x2019, 0x201b, 0x2032,
]);

/** Full stop, and the Catalan middle dot of l·l (what Ŀ/ŀ and U+0387 decompose to). */
export const PERIODS: ReadonlySet<number> = new Set([0x002e, 0x00b7]);

/** Comma: only allowed before a generational suffix (§2.2 step 4). U+FF0C, U+FE50 map here. */
export const COMMA = 0x002c;

/** Slashes removed from licence numbers only (U+FF0F maps here through NFKD). */
export const SLASHES: ReadonlySet<number> = new Set([0x002f]);

const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const MARK = /^\p{M}$/u;
const SURROGATE = /\p{Cs}/u;

export function isLetter(ch: string): boolean {
  return LETTER.test(ch);
}

export function isNumber(ch: string): boolean {
  return NUMBER.test(ch);
}

export function isCombiningMark(ch: string): boolean {
  return MARK.test(ch);
}

/** True when the string holds a lone surrogate, i.e. is not valid Unicode text. */
export function hasLoneSurrogate(text: string): boolean {
  return SURROGATE.test(text);
}

export function isWhitespace(cp: number): boolean {
  return WHITESPACE.has(cp);
}

/** Removes leading and trailing White_Space, as field trimming in §2.3–§2.5 requires. */
export function trimWhitespace(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && WHITESPACE.has(chars[start]!.codePointAt(0)!)) start++;
  while (end > start && WHITESPACE.has(chars[end - 1]!.codePointAt(0)!)) end--;
  return chars.slice(start, end).join('');
}

/** Number of Unicode code points, the unit of every raw-length bound in §2. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function formatCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
