/**
 * Test support (never imported by production code): a hub's public log endpoints for the
 * auditor — GET /v1/log/checkpoint and GET /v1/hub/keys from the node's fake log
 * (node/tlog/test-support/fake-log.ts, which signs checkpoints as the hub does), and
 * GET /v1/log/entries serving the entry texts behind its leaves. A test can make it lie:
 *
 *   tamper.page        rewrites an entries page as served (the checkpoint stays honest);
 *   rewriteEntry       rewrites history: entry i replaced, checkpoints signed over the new tree;
 *   truncate           rolls the log back to its first n entries, checkpoints included;
 *   log.tamper.signer / .note   another signing key, or an edited note (fake-log).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Hono } from 'hono';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import { leafHash } from '../../../crypto/merkle/index.js';
import { SIGNATURE_ALG, type PublicKeyInfo } from '../../../crypto/signing/index.js';
import {
  attestationLogEntry,
  encodeLogEntry,
  MAX_LOG_ENTRIES_PAGE,
  type LogEntriesResponse,
  type LogEntry,
} from '../../../protocol/tlog.js';
import { b64For, seedFor, signingKeyFor } from '../../clients/test-support/deterministic.js';
import { routedFetch } from '../../clients/test-support/federation.js';
import { fakeLog, type FakeLog } from '../../tlog/test-support/fake-log.js';

export const AUDIT_HUB_URL = 'http://hub.test';

export interface AuditHub {
  readonly log: FakeLog;
  readonly key: PublicKeyInfo;
  /** The hub at AUDIT_HUB_URL; any other origin is refused as a network error. */
  readonly fetch: typeof fetch;
  /** Paths and queries requested, in order. */
  readonly requests: string[];
  readonly tamper: { page?: (page: LogEntriesResponse) => unknown };
  append(entries: readonly LogEntry[]): void;
  /** Entry `index` becomes `entry`, in the entries served and in every checkpoint signed. */
  rewriteEntry(index: number, entry: LogEntry): void;
  truncate(size: number): void;
}

export async function auditHub(
  options: { label?: string; origin?: string } = {},
): Promise<AuditHub> {
  const label = options.label ?? 'audit-hub';
  const signing = await signingKeyFor(label);
  const log = fakeLog({
    seed: seedFor(label),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const texts: string[] = [];
  const rewritten = new Map<number, string>();
  let truncated: number | undefined;
  log.tamper.leaves = (leaves) =>
    leaves
      .map((l, i) => (rewritten.has(i) ? leafHash(utf8(rewritten.get(i)!)) : l))
      .slice(0, truncated ?? leaves.length);

  const requests: string[] = [];
  const tamper: AuditHub['tamper'] = {};
  const app = new Hono();
  const hub: AuditHub = {
    log,
    key: { kid: signing.kid, publicJwk: signing.publicJwk },
    fetch: routedFetch({ [AUDIT_HUB_URL]: app }),
    requests,
    tamper,
    append(entries) {
      for (const entry of entries) {
        const text = encodeLogEntry(entry);
        texts.push(text);
        log.appendEntry(text);
      }
    },
    rewriteEntry(index, entry) {
      rewritten.set(index, encodeLogEntry(entry));
    },
    truncate(size) {
      truncated = size;
    },
  };

  app.use(async (c, next) => {
    const url = new URL(c.req.url);
    requests.push(url.pathname + url.search);
    await next();
  });
  app.get('/v1/hub/keys', (c) =>
    c.json({ keys: [{ ...signing.publicJwk, kid: signing.kid, alg: SIGNATURE_ALG, use: 'sig' }] }),
  );
  app.get('/v1/log/checkpoint', (c) => c.text(log.checkpoint()));
  app.get('/v1/log/entries', (c) => {
    const size = Math.min(texts.length, truncated ?? texts.length);
    const start = Number(c.req.query('start'));
    const end = Number(c.req.query('end'));
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      start >= end ||
      end > size ||
      end - start > MAX_LOG_ENTRIES_PAGE
    ) {
      return c.json({ code: 'VALIDATION_FAILED' }, 400);
    }
    const page: LogEntriesResponse = {
      start,
      entries: texts
        .slice(start, end)
        .map((text, i) => ({ index: start + i, entry: rewritten.get(start + i) ?? text })),
    };
    return c.json(tamper.page ? tamper.page(page) : page);
  });
  return hub;
}

/** What `sampleEntries` holds, counted independently of the auditor. */
export interface SampleCounts {
  readonly attestation: number;
  readonly agency: number;
  readonly keyholder_key: number;
  readonly enrolled: number;
  readonly key_rotated: number;
  readonly suspended: number;
  readonly reinstated: number;
}

/**
 * A log as a hub writes one: a keyholder key first, then agencies enrolled, and attestations
 * with now and then a registry change. `n` entries; `label` makes the salts (and so every
 * commitment) differ between two logs.
 */
export async function sampleEntries(
  n: number,
  label = 'sample',
): Promise<{ entries: LogEntry[]; counts: SampleCounts }> {
  const key = await signingKeyFor(`${label}-agency`);
  const at = '2026-05-01T12:00:00Z';
  const agency = (event: 'enrolled' | 'key_rotated' | 'suspended' | 'reinstated', i: number) =>
    ({
      v: 1,
      kind: 'agency',
      event,
      ori: `CA${String(1000000 + i).slice(-7)}`,
      kid: key.kid,
      publicJwk: event === 'enrolled' || event === 'key_rotated' ? key.publicJwk : null,
      at,
    }) as const;
  const events = ['enrolled', 'enrolled', 'key_rotated', 'suspended', 'reinstated'] as const;
  const entries: LogEntry[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      entries.push({
        v: 1,
        kind: 'keyholder_key',
        epoch: 1,
        publicKey: b64For(`${label} keyholder`),
        shares: [1, 2, 3].map((index) => ({ index, publicKey: b64For(`${label} share ${index}`) })),
        at,
      });
    } else if (i % 97 === 1) {
      entries.push(agency(events[Math.floor(i / 97) % events.length]!, i));
    } else {
      const salt = sha256(utf8(`${label} salt ${i}`));
      entries.push(attestationLogEntry(salt, `eyJhbGciOiJFZERTQSJ9.${toBase64url(salt)}.sig${i}`));
    }
  }
  const of = (pred: (e: LogEntry) => boolean) => entries.filter(pred).length;
  const event = (name: string) => of((e) => e.kind === 'agency' && e.event === name);
  return {
    entries,
    counts: {
      attestation: of((e) => e.kind === 'attestation'),
      agency: of((e) => e.kind === 'agency'),
      keyholder_key: of((e) => e.kind === 'keyholder_key'),
      enrolled: event('enrolled'),
      key_rotated: event('key_rotated'),
      suspended: event('suspended'),
      reinstated: event('reinstated'),
    },
  };
}
