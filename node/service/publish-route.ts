/**
 * POST /v1/publish (node/api/publish.ts): attest new and changed outcomes (node/publish), then
 * deliver the outbox, with both phases' progress streamed to a client that asks
 * (progress-stream.ts).
 */
import type { ErrorHandler, Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import { isClientError } from '../clients/index.js';
import { isTokenizeError } from '../tokenize/index.js';
import { PublishRequestSchema, PublishResponseSchema } from '../api/publish.js';
import type { DeliveryCounts } from '../outbox/sender.js';
import { publishOutcomes } from '../publish/publish.js';
import { attestationsRepository, outcomesRepository } from '../store/index.js';
import type { NodeAppDeps } from './app.js';
import { respondWithProgress, type OnProgress } from './progress-stream.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, PROGRESS_CONTENT, UPSTREAM_PROBLEMS } from './api-docs.js';

const doc = describeRoute({
  summary: 'Publish: attest new and changed outcomes, then deliver the outbox',
  description: 'An empty body is `{}`. One publish at a time in this process.',
  tags: ['records'],
  security: ADMIN_ONLY,
  requestBody: {
    required: false,
    content: json(named('PublishRequest', PublishRequestSchema), {
      retry: { summary: 'also resend statements the hub rejected', value: { retryRejected: true } },
    }),
  },
  responses: {
    200: {
      description: 'what was signed and delivered, and the monitoring sync after it',
      content: { ...json(named('PublishResponse', PublishResponseSchema)), ...PROGRESS_CONTENT },
    },
  },
  problems: {
    409: 'the hub does not serve the epoch the node tokenizes under (`EPOCH_NOT_SERVED`); nothing signed',
    ...UPSTREAM_PROBLEMS,
  },
});

/** One publish and its answer, as the API and the console run it. */
export interface NodePublisher {
  /** The refusal when the hub does not serve the node's key epoch; undefined otherwise. */
  epochRefused(): Promise<Response | undefined>;
  /** Publishes then drains the outbox, one run at a time in this process. */
  run(
    options: { retryRejected?: boolean | undefined },
    onProgress?: OnProgress,
  ): Promise<Sent<typeof PublishResponseSchema>>;
}

export function nodePublisher(deps: NodeAppDeps): NodePublisher {
  const { db, now, log } = deps;

  /** Outcomes considered, of those needing a statement when the run starts. */
  async function signingProgress(onProgress: OnProgress) {
    const { epoch } = (await deps.keyholders.keySet()).keySet;
    const total = await outcomesRepository(db).countNeedingAttestation(epoch);
    onProgress({ phase: 'sign', done: 0, total });
    return ({ done }: { done: number }) =>
      onProgress({ phase: 'sign', done, total: Math.max(total, done) });
  }

  /**
   * Statements answered by the hub, of those waiting for delivery when the drain starts (this
   * run's and earlier ones); those left in backoff keep the bar short of its end.
   */
  async function sendingProgress(onProgress: OnProgress) {
    const counts = await attestationsRepository(db).countByDelivery();
    const total = counts.pending + counts.sent;
    onProgress({ phase: 'send', done: 0, total });
    return ({ accepted, rejected }: DeliveryCounts) =>
      onProgress({ phase: 'send', done: Math.min(accepted + rejected, total), total });
  }

  /**
   * Whether the hub refuses the epoch the node tokenizes under: statements signed under it would
   * all be refused (`EPOCH_UNKNOWN`). Asked before anything is signed; a hub that does not
   * answer refuses nothing here — the node publishes offline and the outbox delivers later.
   */
  async function epochRefused(): Promise<Response | undefined> {
    const { epoch } = (await deps.keyholders.keySet()).keySet;
    let served: number[];
    try {
      served = (await deps.hub.epochs()).epochs.map((e) => e.epoch);
    } catch (e) {
      if (isClientError(e)) return undefined;
      throw e;
    }
    if (served.includes(epoch)) return undefined;
    return problemResponse(
      serviceProblem(
        409,
        'EPOCH_NOT_SERVED',
        `the hub serves key epoch${served.length === 1 ? '' : 's'} ${served.join(', ')}; this node tokenizes under epoch ${epoch} ` +
          '(its keyholder key set): nothing was signed',
      ),
    );
  }

  /**
   * The roster as published is the roster monitored: new officers enrolled, separated ones
   * removed. A failure here (keyholders, hub) does not undo the publish: it is logged, and the
   * service loop syncs again later.
   */
  async function monitoringAfterPublish() {
    if (deps.monitoring === undefined || !deps.monitoring.enabled) return null;
    try {
      return await deps.monitoring.sync();
    } catch (e) {
      if (!isClientError(e) && !isTokenizeError(e)) throw e;
      log('warn', 'monitoring_sync_failed', { code: e.code });
      return null;
    }
  }

  // One publish at a time in this process: the store's row locks make concurrent runs safe,
  // but a second run would only wait for the same keyholder answers.
  let publishing: Promise<unknown> = Promise.resolve();
  return {
    epochRefused,
    async run(options, onProgress) {
      const run = publishing.then(async () => {
        const publish = await publishOutcomes(
          { db, keyholders: deps.keyholders, ori: deps.ori, key: deps.key, now, rng: deps.rng },
          {
            batchSize: deps.batchSize,
            retryRejected: options.retryRejected ?? false,
            onProgress: onProgress && (await signingProgress(onProgress)),
          },
        );
        const sent = onProgress && (await sendingProgress(onProgress));
        const delivery = await deps.outbox.drain();
        sent?.(delivery);
        return { publish, delivery, monitoring: await monitoringAfterPublish() };
      });
      publishing = run.catch(() => undefined);
      const result = await run;
      log('info', 'publish', {
        epoch: result.publish.epoch,
        considered: result.publish.considered,
        signed: result.publish.signed,
        restated: result.publish.restated,
        failed: result.publish.failed.length,
        accepted: result.delivery.accepted,
        rejected: result.delivery.rejected,
        retrying: result.delivery.retrying,
      });
      return result;
    },
  };
}

export function registerPublishRoute(
  app: Hono,
  publisher: NodePublisher,
  onError: ErrorHandler,
): void {
  app.post('/v1/publish', doc, jsonBodyLimit(1024), async (c) => {
    // Whether a body came is decided by its bytes, not by Content-Length: a chunked body has
    // none, and was ignored (a publish ran on invalid JSON). hono caches the bytes it read, so
    // readJsonBody sees the same ones.
    const empty = (await c.req.arrayBuffer()).byteLength === 0;
    const options = empty ? {} : await readJsonBody(c, PublishRequestSchema);
    const refused = await publisher.epochRefused();
    if (refused !== undefined) return refused;
    return respondWithProgress(c, onError, async (onProgress) =>
      c.json(
        (await publisher.run(options, onProgress)) satisfies Sent<typeof PublishResponseSchema>,
      ),
    );
  });
}
