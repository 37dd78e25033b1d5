/** Tokenization at the node: identities → match keys → VOPRF through the keyholders → hub indexes. */
export {
  TOKENIZE_ERROR_CODES,
  TokenizeError,
  isTokenizeError,
  type KeyholderFailure,
  type TokenizeErrorCode,
} from './tokenize-error.js';
export {
  createKeyholderSet,
  pinnedKeySetOf,
  type KeyholderSet,
  type KeyholderSetConfig,
  type PinnedKeySet,
  type ResolvedKeySet,
} from './keyholder-set.js';
export {
  planBatches,
  tokenizeIdentities,
  type IdentityError,
  type IdentityTokens,
  type TokenizeDeps,
  type TokenizeResult,
  type TokenizedKey,
} from './tokenize.js';
