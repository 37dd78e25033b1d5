/**
 * The intake benchmark's baseline (issue 10 §3: "intake ≥ 0.6× the rate at which this machine
 * verifies Ed25519 signatures in node:crypto"): the same statements' signatures verified with
 * node:crypto and nothing else — no parsing, no schema, no database — in this process.
 *
 * - `sync`: `crypto.verify` one after another on this thread, the rate one core gives; the
 *   ratio is taken against this one.
 * - `parallel`: WebCrypto `subtle.verify` all at once, which spreads over libuv's worker threads
 *   (every core): what the machine gives when nothing else runs. Printed for comparison.
 *
 * Each is the best of `rounds` runs: on a shared machine a run that other work slowed down says
 * less about the machine than the fastest one.
 */
import type { webcrypto } from 'node:crypto';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CorpusStatement, Corpus } from './hub-corpus.js';

interface Signed {
  readonly data: Buffer;
  readonly signature: Buffer;
  readonly kid: string;
}

function split(statement: CorpusStatement): Signed {
  const dot = statement.jws.lastIndexOf('.');
  return {
    data: Buffer.from(statement.jws.slice(0, dot), 'ascii'),
    signature: Buffer.from(statement.jws.slice(dot + 1), 'base64url'),
    kid: statement.kid,
  };
}

export interface Ed25519Baseline {
  /** Verifications per second, one after another on one thread. */
  readonly sync: number;
  /** Verifications per second, all at once through WebCrypto (worker threads). */
  readonly parallel: number;
  readonly statements: number;
}

export async function ed25519Baseline(
  corpus: Corpus,
  sample: readonly CorpusStatement[],
  rounds = 3,
): Promise<Ed25519Baseline> {
  const signed = sample.map(split);
  const keyObjects = new Map<string, KeyObject>();
  const cryptoKeys = new Map<string, webcrypto.CryptoKey>();
  for (const r of corpus.reporters) {
    keyObjects.set(r.key.kid, createPublicKey({ key: { ...r.key.publicJwk }, format: 'jwk' }));
    cryptoKeys.set(
      r.key.kid,
      await crypto.subtle.importKey('jwk', { ...r.key.publicJwk }, { name: 'Ed25519' }, false, [
        'verify',
      ]),
    );
  }
  let sync = 0;
  let parallel = 0;
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    for (const s of signed) {
      if (!verify(null, s.data, keyObjects.get(s.kid)!, s.signature)) {
        throw new Error('baseline: a corpus signature does not verify');
      }
    }
    sync = Math.max(sync, signed.length / ((performance.now() - start) / 1000));
    start = performance.now();
    const results = await Promise.all(
      signed.map((s) =>
        crypto.subtle.verify({ name: 'Ed25519' }, cryptoKeys.get(s.kid)!, s.signature, s.data),
      ),
    );
    if (results.some((ok) => !ok)) throw new Error('baseline: a corpus signature does not verify');
    parallel = Math.max(parallel, signed.length / ((performance.now() - start) / 1000));
  }
  return { sync, parallel, statements: signed.length };
}
