/**
 * The registry's operations (docs/hub.md): enrollment, suspension, reinstatement and key
 * rotation by the operator, and lookups for authentication, intake and checks. Every entry
 * that is stored has passed the protocol's RegistryEntrySchema (docs/protocol.md §5.3) and
 * the public-key checks of §6.1. Every change — enrollment, key rotation, suspension,
 * reinstatement — is appended to the transparency log in its own transaction
 * (docs/transparency.md, "What is logged"); the hub's checkpointer signs it later.
 */
import { importPublicJwk } from '../../crypto/signing/keys.js';
import type { AgencyDirectory } from '../../platform/http/agency-auth.js';
import { safeDecode } from '../../protocol/decode.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import {
  MAX_AGENCY_KEYS,
  RegistryEntrySchema,
  type AgencyStatus,
  type RegistryEntry,
} from '../../protocol/registry-entry.js';
import { HubError, type HubFieldError } from '../errors.js';
import { agencyEntry } from '../tlog/entries.js';
import { appendEntries } from '../tlog/tlog.repository.js';
import type { HubDatabase } from '../database.js';
import { registryRepository } from './registry.repository.js';
import {
  cacheGeneration,
  fresh,
  invalidateCache,
  monotonicMs,
  type Cached,
  type MonotonicClock,
} from '../cache/generations.js';

export interface RegistryServiceOptions {
  /**
   * SPX_HUB_REGISTRY_CACHE_MS: how long an entry read for authentication and checks is used
   * without reading it again (0: never cached). A change made through any registry service on
   * the same database handle drops the cache at once (hub/cache/generations.ts); one made by
   * another replica or process is seen within this time.
   */
  readonly cacheMs?: number;
  readonly clock?: MonotonicClock;
}

/** At most this many entries are cached; past it the cache starts over (unknown ORIs are never cached). */
const MAX_CACHED_ENTRIES = 100_000;

export interface EnrollmentInput {
  readonly ori: string;
  readonly name: string;
  /** Jurisdiction level: federal, state, local, tribal, territorial. */
  readonly jurisdiction: string;
  /** USPS code, or null (federal headquarters, tribal agency spanning several states). */
  readonly state: string | null;
  readonly roles: readonly string[];
  /** The agency's public JWK, as given (validated here). */
  readonly jwk: unknown;
  readonly contact: { readonly name: string; readonly email: string; readonly phone: string };
}

/** A valid key standing in for a bad one, so the other members can still be checked. */
const PLACEHOLDER_KEY: AgencyKey = {
  kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
  status: 'active',
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
};

/** The registry key for a public JWK, or the field errors that make it unusable (§6.1). */
async function keyFromJwk(
  jwk: unknown,
): Promise<{ key: AgencyKey; errors: [] } | { key: undefined; errors: HubFieldError[] }> {
  try {
    const { kid, publicJwk } = await importPublicJwk(jwk);
    return { key: { kid, status: 'active', jwk: { ...publicJwk } }, errors: [] };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'KEY_INVALID') throw e;
    const member = (e as { field?: string }).field;
    return {
      key: undefined,
      errors: [
        {
          field: member === undefined || member === 'jwk' ? 'jwk' : `jwk.${member}`,
          code: 'KEY_INVALID',
          message: (e as Error).message,
        },
      ],
    };
  }
}

function entryErrors(candidate: unknown): HubFieldError[] {
  const result = safeDecode(RegistryEntrySchema, candidate);
  return result.ok ? [] : [...result.error.errors];
}

export function registryService(db: HubDatabase, options: RegistryServiceOptions = {}) {
  const repo = registryRepository(db);
  const ttlMs = options.cacheMs ?? 0;
  const clock = options.clock ?? monotonicMs;
  const cache = new Map<string, Cached<RegistryEntry>>();

  function cached(ori: string, generation: number, nowMs: number): RegistryEntry | undefined {
    const entry = cache.get(ori);
    return fresh(entry, generation, ttlMs, nowMs) ? entry.value : undefined;
  }

  function remember(entries: Iterable<RegistryEntry>, generation: number, at: number): void {
    if (cache.size >= MAX_CACHED_ENTRIES) cache.clear();
    for (const value of entries) cache.set(value.ori, { value, at, generation });
  }

  /** Entries of `oris` from the cache where fresh, the rest in one read. */
  async function findMany(oris: readonly string[]): Promise<Map<string, RegistryEntry>> {
    if (ttlMs <= 0) return repo.findMany(oris);
    const generation = cacheGeneration(db, 'registry');
    const nowMs = clock();
    const out = new Map<string, RegistryEntry>();
    const missing: string[] = [];
    for (const ori of new Set(oris)) {
      const hit = cached(ori, generation, nowMs);
      if (hit === undefined) missing.push(ori);
      else out.set(ori, hit);
    }
    if (missing.length === 0) return out;
    const read = await repo.findMany(missing);
    remember(read.values(), generation, nowMs);
    for (const [ori, entry] of read) out.set(ori, entry);
    return out;
  }

  async function find(ori: string): Promise<RegistryEntry | undefined> {
    if (ttlMs <= 0) return repo.find(ori);
    return (await findMany([ori])).get(ori);
  }

  /** Runs a change, then drops every cached entry of this database (also other services'). */
  async function changing<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      invalidateCache(db, 'registry');
    }
  }

  return {
    find,
    findMany,
    list: () => repo.list(),

    /**
     * What agencyAuth resolves request tokens against: the stored registry, through the cache
     * (`cacheMs`; a suspension or key rotation made elsewhere is seen within that time).
     */
    directory(): AgencyDirectory {
      return { find };
    },

    /**
     * Validates and stores a new agency with one active key. Throws ENTRY_INVALID listing every
     * bad member (fields as in §5.3, the key as `jwk…`), AGENCY_EXISTS or KEY_IN_USE.
     */
    async enroll(input: EnrollmentInput, now: Date): Promise<RegistryEntry> {
      const { key, errors } = await keyFromJwk(input.jwk);
      const candidate = {
        ori: input.ori,
        name: input.name,
        jurisdiction: input.jurisdiction,
        state: input.state,
        roles: [...input.roles],
        keys: [key ?? PLACEHOLDER_KEY],
        contact: { ...input.contact },
        status: 'active',
      };
      const all = [...errors, ...entryErrors(candidate)];
      if (all.length > 0) {
        throw new HubError('ENTRY_INVALID', 'the registry entry is not valid', { errors: all });
      }
      const entry = candidate as RegistryEntry;
      const { kid, jwk } = entry.keys[0]!;
      await changing(() =>
        repo.insert(entry, now, (tx) =>
          appendEntries(tx, [agencyEntry('enrolled', entry.ori, kid, jwk, now)], now).then(
            () => undefined,
          ),
        ),
      );
      return entry;
    },

    async setStatus(ori: string, status: AgencyStatus, now: Date): Promise<RegistryEntry> {
      const event = status === 'active' ? 'reinstated' : 'suspended';
      const logged = async (tx: HubDatabase) => {
        const kid = await registryRepository(tx).activeKid(ori);
        if (kid === undefined) throw new Error(`${ori} has no active key`);
        await appendEntries(tx, [agencyEntry(event, ori, kid, null, now)], now);
      };
      if (!(await changing(() => repo.setStatus(ori, status, now, logged)))) {
        throw new HubError('AGENCY_UNKNOWN', `no agency ${ori} in the registry`, { field: 'ori' });
      }
      return (await repo.find(ori))!;
    },

    /**
     * Registers `jwk` as the agency's one active key and retires the others. Retired keys stay
     * listed: they still verify attestations signed before the rotation, but no longer
     * authenticate requests or sign new statements.
     */
    async rotateKey(ori: string, jwk: unknown, now: Date): Promise<RegistryEntry> {
      const existing = await repo.find(ori);
      if (existing === undefined) {
        throw new HubError('AGENCY_UNKNOWN', `no agency ${ori} in the registry`, { field: 'ori' });
      }
      const { key, errors } = await keyFromJwk(jwk);
      if (key === undefined) {
        throw new HubError('ENTRY_INVALID', 'the new key is not usable', { errors });
      }
      if (existing.keys.some((k) => k.kid === key.kid)) {
        throw new HubError('KEY_IN_USE', `key ${key.kid} is already registered to ${ori}`, {
          field: 'jwk',
        });
      }
      if (existing.keys.length >= MAX_AGENCY_KEYS) {
        throw new HubError(
          'KEY_LIMIT',
          `${ori} already has ${MAX_AGENCY_KEYS} keys, the most a registry entry lists`,
          { field: 'jwk' },
        );
      }
      await changing(() =>
        repo.rotateKey(
          ori,
          key,
          now,
          (tx) =>
            appendEntries(tx, [agencyEntry('key_rotated', ori, key.kid, key.jwk, now)], now).then(
              () => undefined,
            ),
          MAX_AGENCY_KEYS,
        ),
      );
      return (await repo.find(ori))!;
    },
  };
}

export type RegistryService = ReturnType<typeof registryService>;
