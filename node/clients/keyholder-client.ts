/**
 * A keyholder as the node sees it (issue 3 contract, docs/protocol.md §4.3, §4.5):
 * its published keys and batch evaluation. Verification of the answer (the VOPRF proof) is
 * node/tokenize's job; this client only guarantees a well-formed answer to *this* request.
 */
import { audienceOfUrl } from '../../crypto/request-auth/audience.js';
import { isCryptoError } from '../../crypto/errors.js';
import {
  tokenizationResponseSchemaFor,
  TokenizationRequestSchema,
  type TokenizationRequest,
  type TokenizationResponse,
} from '../../protocol/tokenization.js';
import { ClientError } from './client-error.js';
import { createSignedClient, type ClientDeps, type SignedClient } from './signed-client.js';
import { KeyholderKeysSchema, type KeyholderKeys } from './wire.js';

export interface KeyholderClient {
  readonly url: string;
  /** The `aud` of every request token sent to this keyholder: that of `url` (§7.2.1). */
  readonly audience: string;
  /** GET /v1/keys (public). */
  keys(): Promise<KeyholderKeys>;
  /** POST /v1/evaluate: the answer has the request's epoch and one element per element sent. */
  evaluate(request: TokenizationRequest): Promise<TokenizationResponse>;
}

/**
 * Every request's token is addressed to this keyholder alone: its `aud` is the audience of
 * `url` (§7.2.1), so no other keyholder of the set — nor anyone who saw the request on its way —
 * can spend it elsewhere. There is no option to choose another: one audience shared by every
 * keyholder is what let a token accepted by one be accepted once more by each of the others.
 */
export function createKeyholderClient(url: string, deps: ClientDeps): KeyholderClient {
  const client: SignedClient = createSignedClient(
    { service: 'keyholder', baseUrl: url, audience: keyholderAudience(url) },
    deps,
  );
  return {
    url,
    audience: client.endpoint.audience,
    keys: () => client.get('/v1/keys', KeyholderKeysSchema),
    evaluate: (request) =>
      client.post(
        '/v1/evaluate',
        TokenizationRequestSchema,
        request,
        tokenizationResponseSchemaFor(request),
      ),
  };
}

function keyholderAudience(url: string): string {
  try {
    return audienceOfUrl(url);
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    throw new ClientError('REQUEST_INVALID', `keyholder URL: ${e.message}`, {
      service: 'keyholder',
      retryable: false,
      errors: [{ field: 'baseUrl', code: 'invalid_value', message: e.message }],
      cause: e,
    });
  }
}
