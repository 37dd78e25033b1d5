/**
 * POST /v1/checks (docs/api.md §Checks): a checking agency's request → the hub-signed check
 * answer (docs/protocol.md §5.7, §5.8). An agency over its rate limit (check-rate-limit.ts)
 * gets 429 RATE_LIMITED with Retry-After, counted once its request has authenticated — a
 * replayed or forged token spends nobody's allowance.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import {
  authenticatedAgency,
  deferredReplay,
  unauthorized,
} from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse } from '../../platform/http/problem-response.js';
import { CheckRequestSchema } from '../../protocol/check-request.js';
import { problem } from '../../protocol/problem.js';
import { checkRateLimiter, type CheckRateLimit } from './check-rate-limit.js';
import { CheckReplayedError, type checksService } from './checks.service.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { checkRequestExample } from '../../protocol/api-examples.js';
import { CheckAnswerSchema } from '../../protocol/check-answer.js';
import { AGENCY } from '../http/api-docs.js';

const doc = describeRoute({
  summary: 'Check a candidate’s hub indexes',
  description:
    'The answer is signed by the hub (docs/protocol.md §5.7–§5.9): every match, a verdict under the requester’s policy, the matched attestations and their inclusion proofs. Limit `SPX_HUB_MAX_CHECK_BYTES`; per-agency rate limit.',
  tags: ['checks'],
  security: { [AGENCY]: ['checker'] },
  requestBody: {
    content: json(named('CheckRequest', CheckRequestSchema), {
      hiring: { summary: 'a hiring check', value: checkRequestExample },
    }),
  },
  responses: {
    200: {
      description: 'the signed check answer (docs/protocol.md §5.8.2)',
      content: json(named('CheckAnswer', CheckAnswerSchema)),
    },
  },
  problems: {
    400: '`policy.categoryList` is not a list the hub knows (`UNSUPPORTED_CATEGORY_LIST`)',
    422: '`epoch` is not served (`EPOCH_UNKNOWN`); too many chains would be listed (`TOO_MANY_MATCHES`)',
    429: 'the agency is over its check limit (`RATE_LIMITED`); `Retry-After` says when to retry',
  },
});

export interface ChecksRoutesDeps {
  readonly checks: ReturnType<typeof checksService>;
  /** agencyAuth for the checker role. */
  readonly auth: MiddlewareHandler;
  /**
   * Whether `auth` defers single use to the check's statement (agencyAuth `deferReplay`): the
   * handler then hands the token's replay entry to the service.
   */
  readonly deferredReplay?: boolean;
  /** The hub's audience, for the 401 challenge. */
  readonly audience: string;
  readonly maxBodyBytes: number;
  readonly now: () => Date;
  /** Per-agency limit; undefined: none. */
  readonly rateLimit?: CheckRateLimit | undefined;
}

export function checksRoutes(deps: ChecksRoutesDeps): Hono {
  const app = new Hono();
  const limiter = deps.rateLimit === undefined ? undefined : checkRateLimiter(deps.rateLimit);
  const limit: MiddlewareHandler = async (c, next) => {
    if (limiter === undefined || deps.rateLimit === undefined) return next();
    const agency = authenticatedAgency(c);
    const decision = limiter.take(agency.ori, deps.now().getTime());
    if (decision.ok) return next();
    const { perMinute, burst } = deps.rateLimit;
    return problemResponse(
      problem(
        'RATE_LIMITED',
        `agency ${agency.ori} is over the hub's check limit (${perMinute} a minute, bursts of ${burst}); retry after ${decision.retryAfterSeconds} s`,
      ),
      { 'retry-after': String(decision.retryAfterSeconds) },
    );
  };
  app.post('/', doc, jsonBodyLimit(deps.maxBodyBytes), deps.auth, limit, async (c) => {
    const agency = authenticatedAgency(c);
    const request = await readJsonBody(c, CheckRequestSchema);
    const replay = deps.deferredReplay ? deferredReplay(c) : undefined;
    try {
      return c.json(await deps.checks.check(request, agency.ori, deps.now(), replay));
    } catch (e) {
      if (!(e instanceof CheckReplayedError)) throw e;
      // A replayed token spends nobody's allowance.
      limiter?.refund(agency.ori);
      return unauthorized('AUTH_REPLAYED', deps.audience);
    }
  });
  return app;
}
