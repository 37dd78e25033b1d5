/**
 * Match-key strings (docs/protocol.md §2.7). A key string is what a node feeds, as UTF-8, to
 * the OPRF (§4): `SPX1|<kind>|<field>|…`. The version and kind lead so that tokens of two
 * kinds — or of two protocol versions — can never coincide, and `|` joins the fields because
 * no normalized field can contain it. Key strings hold identifiers in the clear: nothing in
 * this library logs them, and callers must not either.
 */
import { MATCH_KEY_KINDS, type MatchKeyKind } from '../match-key-kind.js';

export const MATCH_KEY_VERSION = 'SPX1';
export const MATCH_KEY_SEPARATOR = '|';

const NAME = /^[A-Z]{1,64}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** The grammar of each kind's fields, in key order (§2.7, table 2-3). */
export const MATCH_KEY_FIELDS: Readonly<
  Record<MatchKeyKind, readonly { readonly name: string; readonly pattern: RegExp }[]>
> = {
  ssn: [{ name: 'ssn', pattern: /^[0-9]{9}$/ }],
  license: [
    { name: 'state', pattern: /^[A-Z]{2}$/ },
    { name: 'number', pattern: /^[A-Z0-9]{1,32}$/ },
  ],
  name_dob: [
    { name: 'lastName', pattern: NAME },
    { name: 'firstName', pattern: NAME },
    { name: 'dob', pattern: DATE },
  ],
  last_dob: [
    { name: 'lastName', pattern: NAME },
    { name: 'dob', pattern: DATE },
  ],
};

function fieldsMatch(kind: MatchKeyKind, fields: readonly string[]): boolean {
  const grammar = MATCH_KEY_FIELDS[kind];
  return fields.length === grammar.length && grammar.every((g, i) => g.pattern.test(fields[i]!));
}

/**
 * Joins already-normalized fields. A field that does not fit the grammar is a programming
 * error (normalization was skipped), so it throws a TypeError that does not quote the value.
 */
export function formatMatchKeyString(kind: MatchKeyKind, fields: readonly string[]): string {
  if (!MATCH_KEY_KINDS.includes(kind) || !fieldsMatch(kind, fields)) {
    throw new TypeError(`fields do not fit the ${String(kind)} key grammar`);
  }
  return [MATCH_KEY_VERSION, kind, ...fields].join(MATCH_KEY_SEPARATOR);
}

export interface ParsedMatchKeyString {
  readonly kind: MatchKeyKind;
  readonly fields: readonly string[];
}

/** Parses a key string against the grammar; undefined for anything that does not fit. */
export function parseMatchKeyString(keyString: string): ParsedMatchKeyString | undefined {
  if (typeof keyString !== 'string') return undefined;
  const [version, kind, ...fields] = keyString.split(MATCH_KEY_SEPARATOR);
  if (version !== MATCH_KEY_VERSION) return undefined;
  const known = MATCH_KEY_KINDS.find((k) => k === kind);
  if (known === undefined || !fieldsMatch(known, fields)) return undefined;
  return { kind: known, fields };
}

/** The kind a key string carries, read from its prefix; undefined if it is not a key string. */
export function matchKeyKindOf(keyString: string): MatchKeyKind | undefined {
  return parseMatchKeyString(keyString)?.kind;
}
