/**
 * A keyholder as the node sees it (issue 3 contract, docs/protocol.md §4.3, §4.5):
 * its published keys and batch evaluation. Verification of the answer (the VOPRF proof) is
 * node/tokenize's job; this client only guarantees a well-formed answer to *this* request.
 */
import {
  tokenizationResponseSchemaFor,
  TokenizationRequestSchema,
  type TokenizationRequest,
  type TokenizationResponse,
} from '../../protocol/tokenization.js';
import { createSignedClient, type ClientDeps, type SignedClient } from './signed-client.js';
import { KeyholderKeysSchema, type KeyholderKeys } from './wire.js';

/** The keyholder's `aud` (§7.2) unless its operator configured another. */
export const KEYHOLDER_AUDIENCE = 'spx-keyholder';

export interface KeyholderClient {
  readonly url: string;
  /** GET /v1/keys (public). */
  keys(): Promise<KeyholderKeys>;
  /** POST /v1/evaluate: the answer has the request's epoch and one element per element sent. */
  evaluate(request: TokenizationRequest): Promise<TokenizationResponse>;
}

export interface KeyholderClientOptions {
  readonly audience?: string | undefined;
}

export function createKeyholderClient(
  url: string,
  deps: ClientDeps,
  options: KeyholderClientOptions = {},
): KeyholderClient {
  const client: SignedClient = createSignedClient(
    { service: 'keyholder', baseUrl: url, audience: options.audience ?? KEYHOLDER_AUDIENCE },
    deps,
  );
  return {
    url,
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
