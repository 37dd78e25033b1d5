/** The node's outbound side: signed HTTP clients for the hub and the keyholders. */
export {
  CLIENT_ERROR_CODES,
  ClientError,
  isClientError,
  isRetryableStatus,
  type ClientErrorCode,
  type ClientErrorDetails,
  type ServiceName,
} from './client-error.js';
export { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from './retry-after.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  createSignedClient,
  type CallOptions,
  type ClientDeps,
  type ClientIdentity,
  type ServiceEndpoint,
  type SignedClient,
} from './signed-client.js';
export { createKeyholderClient, type KeyholderClient } from './keyholder-client.js';
export {
  HUB_AUDIENCE,
  MAX_REGISTRY_BYTES,
  createHubClient,
  type HubClient,
  type HubClientOptions,
} from './hub-client.js';
export {
  HubJwksSchema,
  KeyholderKeySchema,
  KeyholderKeysSchema,
  RegistryListingSchema,
  StatisticsSchema,
  type KeyholderKey,
  type KeyholderKeys,
  type RegistryListing,
  type Statistics,
} from './wire.js';
