/**
 * Test support: a keyholder that really evaluates with crypto/oprf and authenticates callers
 * with crypto/request-auth, plus switches that make it misbehave the ways a real one can.
 */
import { Hono } from 'hono';
import { toBase64url } from '../../../crypto/encoding.js';
import {
  SUITE_ID,
  decodeEvaluationRequest,
  encodeEvaluationResponse,
  evaluateBatch,
  generateKeyPair,
  type OprfKeyPair,
} from '../../../crypto/oprf/index.js';
import { audienceOfUrl } from '../../../crypto/request-auth/index.js';
import { decodeMessage } from '../../../protocol/decode.js';
import type { RegistryEntry } from '../../../protocol/registry-entry.js';
import { TokenizationRequestSchema } from '../../../protocol/tokenization.js';
import type { KeyholderKeys } from '../wire.js';
import { seededRng } from './deterministic.js';
import { problemJson, requireAgency, type AuthEnv } from './federation.js';

export type KeyholderBehaviour =
  | 'ok'
  /** 503 with Retry-After: 7. */
  | 'unavailable'
  /** Right elements, but the proof of another batch. */
  | 'bad-proof'
  /** Evaluates with a key that is not its published share. */
  | 'wrong-key'
  /** 200 with a body that is not a tokenization response. */
  | 'malformed';

export interface FakeKeyholder {
  readonly app: Hono<AuthEnv>;
  behaviour: KeyholderBehaviour;
  /** Replaces the GET /v1/keys body (to publish inconsistent keys). */
  keysBody: KeyholderKeys;
  /** Size of every batch evaluated, in order. */
  readonly batches: number[];
  /** How often GET /v1/keys was read. */
  keysReads: number;
  readonly seen: { issuer: string; method: string; path: string }[];
  /** The audiences it answers to: its URL's; a test may add another URL's (§7.2.1). */
  readonly audiences: string[];
}

export function fakeKeyholder(options: {
  /** Where the node calls it: its request tokens must name this URL's audience (§7.2.1). */
  url: string;
  share: OprfKeyPair;
  threshold: number;
  total: number;
  groupPublicKey: Uint8Array;
  registry: () => readonly RegistryEntry[];
  now: () => Date;
}): FakeKeyholder {
  const { share } = options;
  const rng = seededRng(`keyholder:${share.shareIndex}:${toBase64url(share.publicKey)}`);
  const state: FakeKeyholder = {
    app: new Hono<AuthEnv>(),
    behaviour: 'ok',
    keysBody: {
      suite: SUITE_ID,
      threshold: options.threshold,
      keys: [
        {
          epoch: share.epoch,
          shareIndex: share.shareIndex,
          publicKey: toBase64url(share.publicKey),
          groupPublicKey: toBase64url(options.groupPublicKey),
          threshold: options.threshold,
          total: options.total,
          status: 'active',
        },
      ],
    },
    batches: [],
    keysReads: 0,
    seen: [],
    audiences: [audienceOfUrl(options.url)],
  };
  const wrongKey = { ...generateKeyPair(share.epoch, rng), shareIndex: share.shareIndex };

  state.app.get('/v1/keys', (c) => {
    state.keysReads++;
    if (state.behaviour === 'unavailable') return problemJson(c, 'UNAVAILABLE', 'down');
    return c.json(state.keysBody);
  });
  state.app.post(
    '/v1/evaluate',
    requireAgency(state.audiences, options.registry, options.now, state.seen),
    (c) => {
      if (state.behaviour === 'unavailable') {
        c.header('retry-after', '7');
        return problemJson(c, 'UNAVAILABLE', 'down for maintenance');
      }
      const json = decodeMessage(
        TokenizationRequestSchema,
        JSON.parse(new TextDecoder().decode(c.get('body'))),
      );
      const request = decodeEvaluationRequest(json);
      state.batches.push(request.blindedElements.length);
      if (state.behaviour === 'malformed') return c.json({ epoch: request.epoch });
      const key = state.behaviour === 'wrong-key' ? wrongKey : share;
      const response = evaluateBatch(key, request, rng);
      if (state.behaviour === 'bad-proof') {
        // A genuine proof by the right key, over other elements: structurally perfect, false.
        const other = evaluateBatch(
          share,
          { epoch: request.epoch, blindedElements: response.evaluatedElements },
          rng,
        );
        return c.json(encodeEvaluationResponse({ ...response, proof: other.proof }));
      }
      return c.json(encodeEvaluationResponse(response));
    },
  );
  return state;
}
