/**
 * The keyholders a node tokenizes with, and the key set their answers are verified against
 * (docs/protocol.md §4.2, §4.7.1).
 *
 * Trust decision. Every proof is checked against public keys, so *where the public keys come
 * from* is the trust anchor: a node that verified against keys supplied by an impostor would
 * compute tokens under the impostor's key, and the impostor — seeing the hub indexes the node
 * later publishes — could then test guessed identities against them offline. Hence:
 * - `pinned` (RECOMMENDED, and what §4.2 asks for): the key set comes from the node's own
 *   configuration, copied from the registry the operators publish; /v1/keys is never read.
 * - otherwise the key set is fetched from the keyholders' /v1/keys at first use, checked (every
 *   keyholder reports, for the chosen epoch, the same threshold t, the same total n equal to the
 *   number of keyholders configured, and the same group public key — t and n are the epoch's
 *   own, since another epoch's set may differ; share indexes are exactly 1..n; the shares lie
 *   on one polynomial, §4.7.1), and then pinned in memory for the
 *   life of the process (trust on first use): a key that changes later is never followed, so an
 *   attacker must be in place at start-up, over TLS, at every keyholder at once. An operator who
 *   cannot accept that pins the key set.
 * In fetched mode all n keyholders must answer /v1/keys once (the node learns n shares only
 * from their owners); after that, evaluation needs only t of them.
 */
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import { isCryptoError } from '../../crypto/errors.js';
import {
  nobleGroup,
  verifyKeySet,
  type OprfKeySet,
  type Ristretto255Group,
} from '../../crypto/oprf/index.js';
import {
  ClientError,
  createKeyholderClient,
  type ClientDeps,
  type KeyholderClient,
  type KeyholderKeys,
} from '../clients/index.js';
import { TokenizeError, type KeyholderFailure } from './tokenize-error.js';

/** A key set as configured: the §4.2 public key set, byte strings in base64url. */
export interface PinnedKeySet {
  readonly epoch: number;
  readonly threshold: number;
  /** K, the set's public key. */
  readonly publicKey: string;
  /** K_1 … K_n, by share index. */
  readonly publicShares: readonly string[];
}

export interface KeyholderSetConfig {
  /** The keyholders' base URLs; at least t of them. */
  readonly urls: readonly string[];
  readonly pinned?: PinnedKeySet | undefined;
  /**
   * Epoch to tokenize under; default the pinned one, else the newest active at every keyholder
   * and served by the hub (`servedEpochs`, when given).
   */
  readonly epoch?: number | undefined;
  /**
   * The epochs the hub serves (GET /v1/epochs), asked when the key set is fetched: a node does
   * not pick an epoch the keyholders opened before the hub accepts it (docs/protocol.md §4.8).
   */
  readonly servedEpochs?: (() => Promise<readonly number[]>) | undefined;
  /**
   * The ristretto255 backend that blinds, verifies the keyholders' proofs and unblinds
   * (crypto/oprf/backends.ts; the service loads libsodium where it can); default noble.
   */
  readonly group?: Ristretto255Group | undefined;
}

export interface ResolvedKeySet {
  readonly keySet: OprfKeySet;
  readonly source: 'pinned' | 'fetched';
}

export interface KeyholderSet {
  readonly clients: readonly KeyholderClient[];
  /** The backend the node's side of the OPRF runs on (KeyholderSetConfig.group). */
  readonly group: Ristretto255Group;
  /** The verified key set; fetched once and then held for the life of this object. */
  keySet(): Promise<ResolvedKeySet>;
  /** The key set's epoch if known without asking anyone (pinned, or fetched already). */
  knownEpoch(): number | undefined;
}

const configInvalid = (message: string, field: string, cause?: unknown) =>
  new TokenizeError('KEYHOLDER_CONFIG_INVALID', message, { field, cause });
const inconsistent = (message: string, field: string, cause?: unknown) =>
  new TokenizeError('KEYHOLDER_KEYS_INCONSISTENT', message, { field, cause });

function bytesOf(text: string, field: string): Uint8Array {
  const bytes = typeof text === 'string' ? fromBase64url(text) : undefined;
  if (bytes === undefined) throw configInvalid(`${field} is not base64url`, field);
  return bytes;
}

function checked(keySet: OprfKeySet, fail: typeof configInvalid): OprfKeySet {
  try {
    verifyKeySet(keySet);
  } catch (e) {
    if (isCryptoError(e)) throw fail(`key set fails §4.7.1: ${e.code}`, e.field ?? 'keySet', e);
    throw e;
  }
  return keySet;
}

export function createKeyholderSet(config: KeyholderSetConfig, deps: ClientDeps): KeyholderSet {
  const urls = config.urls;
  if (!Array.isArray(urls) || urls.length === 0) throw configInvalid('no keyholder URL', 'urls');
  // Each client addresses its tokens to its own keyholder's URL (§7.2.1): one token per
  // keyholder, spendable at that keyholder only.
  const clients = urls.map((url, i) => {
    try {
      return createKeyholderClient(url, deps);
    } catch (e) {
      throw configInvalid(`keyholder URL ${i + 1} is not a base URL`, `urls[${i}]`, e);
    }
  });
  // Two spellings of one URL (`https://kh1/` and `https://KH1:443`) are one keyholder.
  if (new Set(clients.map((c) => c.audience)).size !== urls.length)
    throw configInvalid('a keyholder is listed twice', 'urls');
  const group = config.group ?? nobleGroup;

  if (config.pinned !== undefined) {
    const p = config.pinned;
    const keySet = checked(
      {
        epoch: p.epoch,
        threshold: p.threshold,
        publicKey: bytesOf(p.publicKey, 'pinned.publicKey'),
        publicShares: p.publicShares.map((s, i) => bytesOf(s, `pinned.publicShares[${i}]`)),
      },
      configInvalid,
    );
    if (config.epoch !== undefined && config.epoch !== keySet.epoch) {
      throw configInvalid('epoch differs from the pinned key set', 'epoch');
    }
    if (urls.length < keySet.threshold || urls.length > keySet.publicShares.length) {
      throw configInvalid(`need ${keySet.threshold}..${keySet.publicShares.length} URLs`, 'urls');
    }
    const resolved: ResolvedKeySet = { keySet, source: 'pinned' };
    return {
      clients,
      group,
      keySet: () => Promise.resolve(resolved),
      knownEpoch: () => keySet.epoch,
    };
  }

  let pending: Promise<ResolvedKeySet> | undefined;
  let known: number | undefined;
  return {
    clients,
    group,
    keySet() {
      // Pinned in memory once fetched; a failed fetch is forgotten so a later call retries.
      pending ??= fetchKeySet(clients, config.epoch, config.servedEpochs).then(
        (resolved) => {
          known = resolved.keySet.epoch;
          return resolved;
        },
        (e: unknown) => {
          pending = undefined;
          throw e;
        },
      );
      return pending;
    },
    knownEpoch: () => known,
  };
}

async function fetchKeySet(
  clients: readonly KeyholderClient[],
  wantedEpoch: number | undefined,
  servedEpochs: (() => Promise<readonly number[]>) | undefined,
): Promise<ResolvedKeySet> {
  const settled = await Promise.allSettled(clients.map((c) => c.keys()));
  const failures: KeyholderFailure[] = [];
  const published: KeyholderKeys[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') published.push(s.value);
    else failures.push(failureOf(clients[i]!.url, s.reason));
  });
  if (failures.length > 0) {
    throw new TokenizeError('KEYHOLDER_KEYS_UNAVAILABLE', 'a keyholder did not publish its keys', {
      failures,
      retryable: failures.every((f) => f.retryable),
    });
  }
  const n = clients.length;
  const activeEverywhere = published
    .map((p) => new Set(p.keys.filter((k) => k.status === 'active').map((k) => k.epoch)))
    .reduce((a, b) => new Set([...a].filter((e) => b.has(e))));
  let candidates = [...activeEverywhere];
  if (wantedEpoch === undefined && servedEpochs !== undefined) {
    const served = new Set(await servedEpochs());
    candidates = candidates.filter((e) => served.has(e));
    if (candidates.length === 0) {
      throw inconsistent('no epoch is active at every keyholder and served by the hub', 'epoch');
    }
  }
  const epoch = wantedEpoch ?? Math.max(...candidates);
  if (!activeEverywhere.has(epoch)) {
    throw inconsistent(`epoch ${epoch} is not active at every keyholder`, 'epoch');
  }
  const records = published.map((p) => p.keys.find((k) => k.epoch === epoch)!);
  const { threshold, total } = records[0]!;
  if (records.some((r) => r.threshold !== threshold)) {
    throw inconsistent(`keyholders report different thresholds for epoch ${epoch}`, 'threshold');
  }
  if (records.some((r) => r.total !== total) || total !== n) {
    throw inconsistent(
      `epoch ${epoch}'s key set does not have the ${n} keyholders configured`,
      'total',
    );
  }
  const group = records[0]!.groupPublicKey;
  if (records.some((r) => r.groupPublicKey !== group)) {
    throw inconsistent('keyholders report different group public keys', 'groupPublicKey');
  }
  const shares: string[] = new Array<string>(n);
  for (const r of records) {
    if (r.shareIndex > n || shares[r.shareIndex - 1] !== undefined) {
      throw inconsistent(`share indexes are not exactly 1..${n}`, 'shareIndex');
    }
    shares[r.shareIndex - 1] = r.publicKey;
  }
  const keySet = checked(
    {
      epoch,
      threshold,
      publicKey: fromBase64url(group)!,
      publicShares: shares.map((s) => fromBase64url(s)!),
    },
    inconsistent,
  );
  return { keySet, source: 'fetched' };
}

/** The pinned-form of a key set, e.g. to print for an operator to copy into configuration. */
export function pinnedKeySetOf(keySet: OprfKeySet): PinnedKeySet {
  return {
    epoch: keySet.epoch,
    threshold: keySet.threshold,
    publicKey: toBase64url(keySet.publicKey),
    publicShares: keySet.publicShares.map(toBase64url),
  };
}

export function failureOf(url: string, e: unknown): KeyholderFailure {
  if (e instanceof ClientError) {
    return {
      url,
      code: e.code,
      field: e.field,
      retryable: e.retryable,
      retryAfterSeconds: e.retryAfterSeconds,
    };
  }
  if (isCryptoError(e)) return { url, code: e.code, field: e.field, retryable: false };
  throw e;
}
