export {
  CLAIM_NAMES,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_REQUEST_TOKEN_LIFETIME_SECONDS,
  JTI_LENGTH,
  MAX_REQUEST_TOKEN_LENGTH,
  MAX_REQUEST_TOKEN_LIFETIME_SECONDS,
  REQUEST_TOKEN_TYP,
  bodyHash,
  createRequestToken,
} from './request-token.js';
export type { CreateRequestTokenInput, RequestTokenClaims } from './request-token.js';
export {
  completeRequestToken,
  verifyRequestToken,
  verifyRequestTokenHead,
} from './verify-request-token.js';
export { audienceOfUrl } from './audience.js';
export type {
  CompleteRequestTokenInput,
  PendingRequestToken,
  RequestTokenHeadVerification,
  RequestTokenVerification,
  VerifyRequestHeadInput,
  ResolveRequestKey,
  VerifiedRequestToken,
  VerifyRequestTokenInput,
} from './verify-request-token.js';
export { MemoryReplayCache } from './replay-cache.js';
export type { ReplayCache, ReplayEntry } from './replay-cache.js';
export {
  AUTHORIZATION_SCHEME,
  formatAuthorization,
  parseAuthorization,
} from './authorization-header.js';
export type { AuthorizationParse } from './authorization-header.js';
