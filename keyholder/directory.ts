/**
 * Where the keyholder learns agencies and their keys: the hub's public registry,
 * GET {hubUrl}/v1/registry/agencies → { agencies: RegistryEntry[] } (issue 3 contract).
 *
 * - A copy is kept for `ttlSeconds`, then fetched again.
 * - An ORI that is not in the copy, or a `kid` its entry lacks (an agency enrolled or a key
 *   rotated since), triggers an early refetch — at most once per `minRefreshSeconds`, so that
 *   requests naming made-up agencies cannot make the keyholder hammer the hub.
 * - If the hub cannot be reached (or answers badly), the last good copy is used and the failure
 *   logged — until the copy is `maxStalenessSeconds` old. After that, requests get 503
 *   UNAVAILABLE: a suspension at the hub must not go unnoticed forever.
 * - Entries that fail RegistryEntrySchema are skipped and logged; one bad entry does not lock
 *   every other agency out.
 */
import { ORI_PATTERN } from '../protocol/common.js';
import { RegistryEntrySchema, type RegistryEntry } from '../protocol/registry-entry.js';
import { formatFieldPath } from '../protocol/problem.js';
import { KeyholderError } from './errors.js';
import { readBodyText, withDeadline } from '../platform/http/deadline.js';
import { logEvent, type LogSink } from '../platform/logging/json-lines.js';

export const REGISTRY_PATH = '/v1/registry/agencies';
const DEFAULT_TIMEOUT_MS = 10_000;
/** The national registry (~18 000 agencies) is a few tens of MB at most. */
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface HubDirectoryOptions {
  readonly hubUrl: string;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly log: LogSink;
  readonly ttlSeconds: number;
  readonly maxStalenessSeconds: number;
  readonly minRefreshSeconds: number;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
}

/** An AgencyDirectory (platform/http/agency-auth.ts) that may also be told the `kid` used. */
export interface KeyholderDirectory {
  find(ori: string, kid?: string): Promise<RegistryEntry | undefined>;
}

interface Snapshot {
  readonly entries: ReadonlyMap<string, RegistryEntry>;
  /** When the fetch that produced it started (ms): conservative about its age. */
  readonly fetchedAt: number;
}

class RefreshFailed extends Error {}

export class HubAgencyDirectory implements KeyholderDirectory {
  readonly #options: HubDirectoryOptions;
  #snapshot: Snapshot | undefined;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<boolean> | undefined;

  constructor(options: HubDirectoryOptions) {
    this.#options = { ...options, hubUrl: options.hubUrl.replace(/\/+$/, '') };
  }

  /** How many agencies the current copy holds and when it was fetched (for health and tests). */
  get state(): { readonly agencies: number; readonly fetchedAt: Date | undefined } {
    const s = this.#snapshot;
    return { agencies: s?.entries.size ?? 0, fetchedAt: s ? new Date(s.fetchedAt) : undefined };
  }

  async find(ori: string, kid?: string): Promise<RegistryEntry | undefined> {
    const { ttlSeconds, maxStalenessSeconds, minRefreshSeconds } = this.#options;
    const now = this.#options.now().getTime();
    const mayRefresh = now - this.#lastAttempt >= minRefreshSeconds * 1000;
    let snapshot = this.#snapshot;
    if (snapshot === undefined || now - snapshot.fetchedAt >= ttlSeconds * 1000) {
      // Without any copy there is nothing to fall back on: always try.
      if (snapshot === undefined || mayRefresh) await this.refresh();
      snapshot = this.#snapshot;
      if (snapshot === undefined || now - snapshot.fetchedAt >= maxStalenessSeconds * 1000) {
        throw new KeyholderError(
          'REGISTRY_UNAVAILABLE',
          snapshot === undefined
            ? 'the agency registry has not been fetched from the hub yet'
            : `the agency registry copy is older than ${maxStalenessSeconds} s and the hub cannot be reached`,
        );
      }
    } else if (mayRefresh && !knows(snapshot, ori, kid)) {
      await this.refresh();
      snapshot = this.#snapshot ?? snapshot;
    }
    return snapshot.entries.get(ori);
  }

  /** Fetches the registry now (one fetch at a time); true when a new copy was taken. */
  refresh(): Promise<boolean> {
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(): Promise<boolean> {
    const { now, log } = this.#options;
    const started = now().getTime();
    this.#lastAttempt = started;
    try {
      const listing = await this.#fetchListing();
      const entries = this.#validate(listing);
      this.#snapshot = { entries, fetchedAt: started };
      logEvent(log, now(), 'info', 'registry_refreshed', { agencies: entries.size });
      return true;
    } catch (e) {
      const age = this.#snapshot ? Math.floor((started - this.#snapshot.fetchedAt) / 1000) : null;
      logEvent(log, now(), 'warn', 'registry_refresh_failed', {
        reason: e instanceof RefreshFailed ? e.message : 'hub unreachable',
        servingCopyAgeSeconds: age,
      });
      return false;
    }
  }

  async #fetchListing(): Promise<unknown[]> {
    const { hubUrl, fetch, timeoutMs, maxResponseBytes } = this.#options;
    const text = await withDeadline(
      timeoutMs ?? DEFAULT_TIMEOUT_MS,
      () => new RefreshFailed('hub did not answer in time'),
      async (signal) => {
        const response = await fetch(`${hubUrl}${REGISTRY_PATH}`, {
          headers: { accept: 'application/json' },
          signal,
        });
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new RefreshFailed(`hub answered HTTP ${response.status}`);
        }
        const limit = maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        const read = await readBodyText(response, limit);
        if (read.ok) return read.text;
        throw new RefreshFailed(
          read.reason === 'too_large'
            ? `hub answer exceeds ${limit} bytes`
            : 'hub answer is not UTF-8',
        );
      },
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RefreshFailed('hub answered with a body that is not JSON');
    }
    const agencies =
      typeof body === 'object' && body !== null ? (body as { agencies?: unknown }).agencies : null;
    if (!Array.isArray(agencies)) {
      throw new RefreshFailed('hub answer has no agencies list');
    }
    return agencies;
  }

  #validate(listing: readonly unknown[]): Map<string, RegistryEntry> {
    const { log, now } = this.#options;
    const entries = new Map<string, RegistryEntry>();
    const duplicated = new Set<string>();
    listing.forEach((raw, index) => {
      const parsed = RegistryEntrySchema.safeParse(raw);
      const claimed = (raw as { ori?: unknown } | null)?.ori;
      // Only a well-formed ORI is echoed into the log; anything else could be arbitrary text.
      const ori = typeof claimed === 'string' && ORI_PATTERN.test(claimed) ? claimed : null;
      if (!parsed.success) {
        logEvent(log, now(), 'warn', 'registry_entry_skipped', {
          index,
          ori,
          fields: parsed.error.issues
            .slice(0, 5)
            .map((i) => formatFieldPath(i.path) || '(entry)')
            .join(','),
        });
        return;
      }
      if (entries.has(parsed.data.ori) || duplicated.has(parsed.data.ori)) {
        // Two entries for one ORI: none of them can be trusted to be the current one.
        entries.delete(parsed.data.ori);
        duplicated.add(parsed.data.ori);
        logEvent(log, now(), 'warn', 'registry_entry_skipped', { index, ori, fields: 'ori' });
        return;
      }
      entries.set(parsed.data.ori, parsed.data);
    });
    return entries;
  }
}

function knows(snapshot: Snapshot, ori: string, kid: string | undefined): boolean {
  const entry = snapshot.entries.get(ori);
  return entry !== undefined && (kid === undefined || entry.keys.some((k) => k.kid === kid));
}
