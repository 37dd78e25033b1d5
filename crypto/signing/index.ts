export {
  SEED_LENGTH,
  SIGNATURE_ALG,
  computeKid,
  jwkThumbprint,
  generateSigningKey,
  importPublicJwk,
  isKidShaped,
  signingKeyFromSeed,
} from './keys.js';
export type { PublicJwk, PublicKeyInfo, SigningKey } from './keys.js';
export {
  MAX_JSON_DEPTH,
  canonicalJson,
  canonicalJsonBytes,
  findNonJson,
  isJsonObject,
  parseJsonObject,
} from './canonical-json.js';
export type { JsonObject, JsonValue } from './canonical-json.js';
export { MAX_STATEMENT_LENGTH, checkStatementSignature, parseStatement } from './compact-jws.js';
export type {
  ParseResult,
  ParsedStatement,
  StatementFailure,
  StatementVerifyCode,
} from './compact-jws.js';
export { isValidTyp, signStatement, verifyStatement } from './statement.js';
export type {
  ResolveStatementKey,
  SignStatementOptions,
  StatementVerification,
  VerifiedStatement,
  VerifyStatementOptions,
} from './statement.js';
export { signDetached, verifyDetached } from './detached.js';
export type { DetachedHeader } from './detached.js';
