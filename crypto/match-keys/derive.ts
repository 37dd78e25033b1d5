/**
 * Match keys of an identity (docs/protocol.md §2.8): which keys an identity yields, in which
 * order, and with which strength. Duplicates are removed by key string, keeping the first,
 * so an alias that repeats the primary name adds nothing.
 */
import { utf8 } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { MATCH_KEY_STRENGTH, type MatchKeyKind, type MatchStrength } from '../match-key-kind.js';
import {
  normalizeIdentity,
  type Identity,
  type IdentityOptions,
  type NormalizationError,
  type NormalizedIdentity,
} from './identity.js';
import { formatMatchKeyString } from './key-string.js';

/** Which name of the identity a key came from; n is the 0-based index in `aliases`. */
export type MatchKeySource = 'primary' | `alias:${number}`;

export interface MatchKey {
  readonly kind: MatchKeyKind;
  readonly strength: MatchStrength;
  /** Holds identifiers in the clear: feed it to the OPRF, never to a log. */
  readonly keyString: string;
  readonly source: MatchKeySource;
}

export type DeriveMatchKeysResult =
  | { readonly ok: true; readonly keys: readonly MatchKey[] }
  | { readonly ok: false; readonly errors: readonly NormalizationError[] };

/**
 * Keys in protocol order: ssn, license, then name_dob and last_dob of the primary name, then
 * name_dob and last_dob of each alias in input order. Name keys need a date of birth.
 */
export function matchKeysOf(identity: NormalizedIdentity): MatchKey[] {
  const keys: MatchKey[] = [];
  const seen = new Set<string>();
  const add = (kind: MatchKeyKind, fields: readonly string[], source: MatchKeySource): void => {
    const keyString = formatMatchKeyString(kind, fields);
    if (seen.has(keyString)) return;
    seen.add(keyString);
    keys.push({ kind, strength: MATCH_KEY_STRENGTH[kind], keyString, source });
  };

  if (identity.ssn !== undefined) add('ssn', [identity.ssn], 'primary');
  if (identity.license !== undefined) {
    add('license', [identity.license.state, identity.license.number], 'primary');
  }
  const { dob } = identity;
  if (dob !== undefined) {
    add('name_dob', [identity.lastName, identity.firstName, dob], 'primary');
    add('last_dob', [identity.lastName, dob], 'primary');
    identity.aliases.forEach((alias, i) => {
      add('name_dob', [alias.lastName, alias.firstName, dob], `alias:${i}`);
      add('last_dob', [alias.lastName, dob], `alias:${i}`);
    });
  }
  return keys;
}

/** Every field error at once, or the keys; an identity with no key is IDENTITY_NO_KEYS. */
export function tryDeriveMatchKeys(
  identity: Identity,
  options: IdentityOptions,
): DeriveMatchKeysResult {
  const normalized = normalizeIdentity(identity, options);
  if (!normalized.ok) return normalized;
  const keys = matchKeysOf(normalized.identity);
  if (keys.length === 0) {
    const error = new CryptoError(
      'IDENTITY_NO_KEYS',
      'identity yields no match key: it needs an SSN, a licence, or a date of birth',
    );
    return { ok: false, errors: [error] };
  }
  return { ok: true, keys };
}

/** Throwing convenience: the first error of tryDeriveMatchKeys. */
export function deriveMatchKeys(identity: Identity, options: IdentityOptions): readonly MatchKey[] {
  const result = tryDeriveMatchKeys(identity, options);
  if (!result.ok) throw result.errors[0]!;
  return result.keys;
}

/** The OPRF input for a key (§4): the UTF-8 bytes of its key string, which are all ASCII. */
export function matchKeyInput(key: MatchKey): Uint8Array {
  return utf8(key.keyString);
}
