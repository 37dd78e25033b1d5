/**
 * Identities in, hub indexes out (docs/protocol.md §2.6–§2.8, §4.4, §4.6, flow §3.1 steps 1–4).
 *
 * The result holds, per identity, each key's kind, strength, source and hub index — never a
 * key string or an OPRF output: those exist only inside this function, for as long as one
 * batch takes. A bad identity yields its field errors in its slot and the others go on; a
 * keyholder failure stops the run with a TokenizeError (the caller retries the whole run:
 * tokenizing again gives the same hub indexes, §4.4).
 */
import { toBase64url } from '../../crypto/encoding.js';
import type { MatchKeyKind, MatchStrength } from '../../crypto/match-key-kind.js';
import {
  matchKeyInput,
  tryDeriveMatchKeys,
  type Identity,
  type MatchKey,
  type MatchKeySource,
} from '../../crypto/match-keys/index.js';
import { MAX_BATCH, blindBatch, hubIndex, type Rng } from '../../crypto/oprf/index.js';
import { MAX_ATTESTATION_KEYS } from '../../protocol/attestation.js';
import { evaluateBatch, type BatchRun } from './evaluate-batch.js';
import type { KeyholderSet } from './keyholder-set.js';
import type { KeyholderFailure } from './tokenize-error.js';

export interface TokenizedKey {
  readonly kind: MatchKeyKind;
  readonly strength: MatchStrength;
  /** Which name of the identity the key came from (`primary`, `alias:0`, …). */
  readonly source: MatchKeySource;
  /** base64url of the 32-byte hub index (§4.6): the only token value that leaves the node. */
  readonly index: string;
}

export interface IdentityError {
  /** A normalization code of §2.9, IDENTITY_TOO_MANY_KEYS or IDENTITY_MALFORMED. */
  readonly code: string;
  readonly field: string | undefined;
  readonly message: string;
}

export type IdentityTokens =
  | { readonly ok: true; readonly keys: readonly TokenizedKey[] }
  | { readonly ok: false; readonly errors: readonly IdentityError[] };

export interface TokenizeResult {
  readonly epoch: number;
  /** One entry per input identity, in input order. */
  readonly identities: readonly IdentityTokens[];
  /** Keyholders that answered falsely during the run and were not combined (§4.7.3). */
  readonly setAside: readonly KeyholderFailure[];
}

export interface TokenizeDeps {
  readonly keyholders: KeyholderSet;
  /** Blinds (§4.4): fresh, secret, from a CSPRNG in production. */
  readonly rng: Rng;
  /** Reference date for the date-of-birth range (§2.3): today, from the injected clock. */
  readonly asOf: Date | string;
  /** Default MAX_ATTESTATION_KEYS: a record with more keys could not be attested. */
  readonly maxKeysPerIdentity?: number | undefined;
  /** Keys per keyholder request, 1..MAX_BATCH (default MAX_BATCH); an identity is never split. */
  readonly batchSize?: number | undefined;
  /** Called after each batch with the number of identities done so far. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

type Derived =
  | { readonly ok: true; readonly matchKeys: readonly MatchKey[] }
  | { readonly ok: false; readonly errors: readonly IdentityError[] };

function derive(identity: Identity, deps: TokenizeDeps, maxKeys: number): Derived {
  let result;
  try {
    result = tryDeriveMatchKeys(identity, { asOf: deps.asOf });
  } catch (e) {
    // normalizeIdentity throws TypeError only for values of the wrong JavaScript shape.
    if (!(e instanceof TypeError)) throw e;
    return {
      ok: false,
      errors: [{ code: 'IDENTITY_MALFORMED', field: undefined, message: e.message }],
    };
  }
  if (!result.ok) {
    const errors = result.errors.map((e) => ({ code: e.code, field: e.field, message: e.message }));
    return { ok: false, errors };
  }
  if (result.keys.length > maxKeys) {
    const message = `identity yields ${result.keys.length} keys; at most ${maxKeys}`;
    return { ok: false, errors: [{ code: 'IDENTITY_TOO_MANY_KEYS', field: 'aliases', message }] };
  }
  return { ok: true, matchKeys: result.keys };
}

/**
 * Groups identities into batches of at most MAX_BATCH keys, in order, never splitting one
 * identity's keys: a record's keys share one request and one proof (§4.3).
 */
export function planBatches(keyCounts: readonly number[], maxBatch = MAX_BATCH): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let size = 0;
  keyCounts.forEach((count, i) => {
    if (count === 0) return;
    if (size + count > maxBatch && current.length > 0) {
      batches.push(current);
      [current, size] = [[], 0];
    }
    current.push(i);
    size += count;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

export async function tokenizeIdentities(
  identities: readonly Identity[],
  deps: TokenizeDeps,
): Promise<TokenizeResult> {
  const batchSize = Math.min(Math.max(deps.batchSize ?? MAX_BATCH, 1), MAX_BATCH);
  const maxKeys = Math.min(deps.maxKeysPerIdentity ?? MAX_ATTESTATION_KEYS, batchSize);
  const { keySet } = await deps.keyholders.keySet();
  const derived = identities.map((identity) => derive(identity, deps, maxKeys));
  // Filled in batch by batch; failed identities keep their errors.
  const results: IdentityTokens[] = derived.map((d) => (d.ok ? { ok: true, keys: [] } : d));
  const keysOf = (i: number): readonly MatchKey[] => {
    const d = derived[i]!;
    return d.ok ? d.matchKeys : [];
  };
  const run: BatchRun = { setAside: new Map() };
  const batches = planBatches(
    identities.map((_, i) => keysOf(i).length),
    batchSize,
  );
  let done = identities.length - batches.reduce((n, b) => n + b.length, 0);

  for (const batch of batches) {
    const keys = batch.flatMap((i) => keysOf(i));
    const { state, request } = blindBatch(
      keySet.epoch,
      keys.map(matchKeyInput),
      deps.rng,
      deps.keyholders.group,
    );
    const outputs = await evaluateBatch(deps.keyholders, state, request, run);
    let offset = 0;
    for (const i of batch) {
      const own = keysOf(i);
      results[i] = {
        ok: true,
        keys: own.map((key, j) => ({
          kind: key.kind,
          strength: key.strength,
          source: key.source,
          index: toBase64url(hubIndex(outputs[offset + j]!)),
        })),
      };
      offset += own.length;
    }
    done += batch.length;
    deps.onProgress?.(done, identities.length);
  }
  if (batches.length === 0) deps.onProgress?.(identities.length, identities.length);
  return { epoch: keySet.epoch, identities: results, setAside: [...run.setAside.values()] };
}
