/**
 * The clients of the sustained-load benchmark (test/bench/sustained-load.ts): paced lanes of
 * checks, intake batches and transparency-log reads against a hub at `url`, each request
 * recorded with its kind, start, duration, status and — for a 503 — whether it came as the hub
 * promises (problem+json with code UNAVAILABLE and a Retry-After).
 *
 * The lanes behave like the real clients: intake is a node's outbox (a batch that was not
 * acknowledged is sent again, with a new request token, after the Retry-After it got), checks
 * are people (one that failed is not repeated), log reads are a monitor following the head.
 * Every statement the hub acknowledged (a 200 with a receipt, `accepted` or `duplicate`) goes
 * into the ledger with the log index its receipt gave, to be looked up at the end.
 *
 * Requests are signed as they go (request tokens are single-use); new statements are signed by
 * a producer that stays a few batches ahead.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { signStatement, type JsonObject } from '../../../crypto/signing/index.js';
import { HUB_AUDIENCE } from '../../../hub/app.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import {
  attestationFor,
  checkRequestFor,
  officerKeys,
  signedHeaders,
  type BenchAgency,
} from './hub-corpus.js';

export type Kind = 'check' | 'intake' | 'log';

export interface Sample {
  readonly kind: Kind;
  /** Milliseconds since the run started. */
  readonly start: number;
  readonly ms: number;
  /** HTTP status, or `timeout` / `network` when no answer came. */
  readonly status: string;
  /** For a 503: problem+json, code UNAVAILABLE, and a Retry-After header. */
  readonly clean503?: boolean;
}

export interface LoadPlan {
  readonly url: string;
  readonly durationMs: number;
  /** Requests per second over all lanes of a kind. */
  readonly rates: Readonly<Record<Kind, number>>;
  readonly lanes: Readonly<Record<Kind, number>>;
  readonly batchSize: number;
  /** Agencies that report (and check). */
  readonly agencies: readonly BenchAgency[];
  /** Officers of the stored corpus (checks of them are hits). */
  readonly corpusSize: number;
  /** A request with no answer after this long is a `timeout`. */
  readonly timeoutMs: number;
  /** Longest pause a lane takes for a Retry-After. */
  readonly maxRetryAfterMs: number;
}

export interface LoadOutcome {
  readonly samples: Sample[];
  /** Statement id → log index from its receipt. */
  readonly ledger: Map<string, number>;
  /** Statements sent but never acknowledged (their batch still failing at the end). */
  readonly unacknowledged: number;
  /** Batches sent again after a failure. */
  readonly resent: number;
  /** The first body of each unexpected answer (`kind status`), for the report. */
  readonly examples: Map<string, string>;
}

interface Answer {
  readonly status: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class MixedLoad {
  readonly #plan: LoadPlan;
  readonly #agent: http.Agent;
  readonly #t0 = performance.now();
  readonly #samples: Sample[] = [];
  readonly #ledger = new Map<string, number>();
  readonly #examples = new Map<string, string>();
  /** Batches to send again: statements and the earliest time. */
  readonly #retry: { jws: string[]; ids: string[]; agency: BenchAgency; notBefore: number }[] = [];
  #resent = 0;
  #stopAt = 0;
  #nextOfficer: number;
  #turn = 0;
  #logTurn = 0;
  #knownSize = 0;
  #previousSize = 0;

  constructor(plan: LoadPlan) {
    this.#plan = plan;
    const total = plan.lanes.check + plan.lanes.intake + plan.lanes.log;
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: total });
    // Fresh statements are about officers after the stored corpus.
    this.#nextOfficer = plan.corpusSize;
  }

  /** Milliseconds since the run started. */
  now(): number {
    return performance.now() - this.#t0;
  }

  async run(): Promise<LoadOutcome> {
    this.#stopAt = this.now() + this.#plan.durationMs;
    const lanes: Promise<void>[] = [];
    for (const kind of ['check', 'intake', 'log'] as const) {
      const count = this.#plan.lanes[kind];
      const interval = (count / this.#plan.rates[kind]) * 1000;
      for (let i = 0; i < count; i++)
        lanes.push(this.#lane(kind, interval, i * (interval / count)));
    }
    await Promise.all(lanes);
    // Like an outbox at shutdown: send what is still unacknowledged until it is.
    for (let round = 0; round < 20 && this.#retry.length > 0; round++) {
      const batch = this.#retry.shift()!;
      await sleep(batch.notBefore - this.now());
      await this.#sendBatch(batch.jws, batch.ids, batch.agency);
    }
    this.#agent.destroy();
    return {
      samples: this.#samples,
      ledger: this.#ledger,
      unacknowledged: this.#retry.reduce((n, b) => n + b.ids.length, 0),
      resent: this.#resent,
      examples: this.#examples,
    };
  }

  async #lane(kind: Kind, intervalMs: number, offsetMs: number): Promise<void> {
    let next = this.now() + offsetMs;
    while (this.now() < this.#stopAt) {
      await sleep(next - this.now());
      if (this.now() >= this.#stopAt) return;
      const pauseMs = await this.#one(kind);
      // Paced, not bursting to catch up after a slow answer; a Retry-After is honoured.
      next = Math.max(next + intervalMs, this.now(), this.now() + pauseMs);
    }
  }

  /** One request of `kind`; resolves to the pause its answer asked for (ms). */
  async #one(kind: Kind): Promise<number> {
    if (kind === 'check') return this.#check();
    if (kind === 'log') return this.#logRead();
    const due = this.#retry[0];
    if (due !== undefined && due.notBefore <= this.now()) {
      this.#retry.shift();
      this.#resent++;
      return this.#sendBatch(due.jws, due.ids, due.agency);
    }
    const agency = this.#plan.agencies[this.#turn++ % this.#plan.agencies.length]!;
    const { jws, ids } = await this.#freshBatch(agency);
    return this.#sendBatch(jws, ids, agency);
  }

  async #freshBatch(agency: BenchAgency): Promise<{ jws: string[]; ids: string[] }> {
    const issuedMs = Date.now() - 60_000;
    const payloads = Array.from({ length: this.#plan.batchSize }, () => {
      const i = this.#nextOfficer++;
      return attestationFor(i, officerKeys(i), agency, issuedMs);
    });
    const jws = await Promise.all(
      payloads.map((p) =>
        signStatement(p as unknown as JsonObject, {
          typ: STATEMENT_TYPES.attestation,
          key: agency.key,
        }),
      ),
    );
    return { jws, ids: payloads.map((p) => p.id) };
  }

  async #sendBatch(jws: string[], ids: string[], agency: BenchAgency): Promise<number> {
    const body = JSON.stringify({ attestations: jws });
    const headers = await signedHeaders(agency, HUB_AUDIENCE, '/v1/attestations', body, new Date());
    const answer = await this.#request('intake', 'POST', '/v1/attestations', headers, body);
    if (answer.status === '200') {
      const { receipts } = JSON.parse(answer.body) as {
        receipts: { id: string; status: string; log: { index: number } }[];
      };
      for (const r of receipts) {
        if (r.status === 'accepted' || r.status === 'duplicate')
          this.#ledger.set(r.id, r.log.index);
      }
      return 0;
    }
    // Not acknowledged: send again later (a 4xx other than 503 would be a bench defect, and
    // shows in the report; it is retried all the same, as an outbox would after a fix).
    const pause = this.#pauseFor(answer);
    this.#retry.push({ jws, ids, agency, notBefore: this.now() + Math.max(pause, 1000) });
    return pause;
  }

  async #check(): Promise<number> {
    const n = Math.floor(Math.random() * 1e9);
    // Half hits (an officer of the corpus), half misses (a person nobody reported).
    const keys =
      n % 2 === 0 ? officerKeys(n % this.#plan.corpusSize) : officerKeys(n, 'sustained absent');
    // (consentRef numbers stay short: nine digits in a row would look like an SSN and be refused)
    const body = JSON.stringify(checkRequestFor(keys, n % 1_000_000));
    const agency = this.#plan.agencies[n % this.#plan.agencies.length]!;
    const headers = await signedHeaders(agency, HUB_AUDIENCE, '/v1/checks', body, new Date());
    return this.#pauseFor(await this.#request('check', 'POST', '/v1/checks', headers, body));
  }

  /** A monitor: the latest checkpoint, then entries, an inclusion and a consistency proof. */
  async #logRead(): Promise<number> {
    const step = this.#logTurn++ % 4;
    const size = this.#knownSize;
    let path = '/v1/log/checkpoint';
    if (step === 1 && size > 0) {
      const start = Math.floor(Math.random() * size);
      path = `/v1/log/entries?start=${start}&end=${Math.min(size, start + 100)}`;
    } else if (step === 2 && size > 0) {
      path = `/v1/log/proof/inclusion?index=${Math.floor(Math.random() * size)}&size=${size}`;
    } else if (step === 3 && this.#previousSize > 0 && this.#previousSize <= size) {
      path = `/v1/log/proof/consistency?from=${this.#previousSize}&to=${size}`;
    }
    const answer = await this.#request('log', 'GET', path, {}, undefined);
    if (path === '/v1/log/checkpoint' && answer.status === '200') {
      const parsed = Number(answer.body.split('\n')[1]);
      if (Number.isSafeInteger(parsed) && parsed >= size) {
        this.#previousSize = size || parsed;
        this.#knownSize = parsed;
      }
    }
    return this.#pauseFor(answer);
  }

  #pauseFor(answer: Answer): number {
    if (answer.status === '200') return 0;
    const seconds = Number(answer.headers['retry-after']);
    const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
    return Math.min(ms, this.#plan.maxRetryAfterMs);
  }

  #request(
    kind: Kind,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Answer> {
    const target = new URL(this.#plan.url);
    const start = this.now();
    return new Promise<Answer>((resolve) => {
      const req = http.request(
        {
          agent: this.#agent,
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: this.#plan.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: String(res.statusCode),
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', () => resolve({ status: 'network', body: '', headers: {} }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) =>
        resolve({
          status: e.message === 'timeout' ? 'timeout' : 'network',
          body: '',
          headers: {},
        }),
      );
      req.end(body);
    }).then((answer) => {
      const sample: Sample = { kind, start, ms: this.now() - start, status: answer.status };
      const key = `${kind} ${answer.status}`;
      if (answer.status !== '200' && !this.#examples.has(key)) {
        this.#examples.set(key, answer.body.slice(0, 400));
      }
      this.#samples.push(
        answer.status === '503' ? { ...sample, clean503: isCleanUnavailable(answer) } : sample,
      );
      return answer;
    });
  }
}

/** A 503 as the hub promises it (docs/hub.md, "When the database restarts"). */
function isCleanUnavailable(answer: Answer): boolean {
  if (answer.headers['content-type'] !== 'application/problem+json') return false;
  if (!/^\d+$/.test(String(answer.headers['retry-after'] ?? ''))) return false;
  try {
    const body = JSON.parse(answer.body) as { code?: unknown; status?: unknown };
    return body.code === 'UNAVAILABLE' && body.status === 503;
  } catch {
    return false;
  }
}
