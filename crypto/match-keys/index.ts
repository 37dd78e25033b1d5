/** Match keys (docs/protocol.md §2.6–§2.8): identities in, key strings for the OPRF out. */
export {
  MATCH_KEY_FIELDS,
  MATCH_KEY_SEPARATOR,
  MATCH_KEY_VERSION,
  formatMatchKeyString,
  matchKeyKindOf,
  parseMatchKeyString,
  type ParsedMatchKeyString,
} from './key-string.js';
export {
  normalizeIdentity,
  type Identity,
  type IdentityAlias,
  type IdentityOptions,
  type NormalizationError,
  type NormalizeIdentityResult,
  type NormalizedAlias,
  type NormalizedIdentity,
} from './identity.js';
export {
  deriveMatchKeys,
  matchKeyInput,
  matchKeysOf,
  tryDeriveMatchKeys,
  type DeriveMatchKeysResult,
  type MatchKey,
  type MatchKeySource,
} from './derive.js';
