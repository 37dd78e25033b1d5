/**
 * A deterministic byte source for synthetic data: SHA-256 in counter mode over a seed string,
 * block i = SHA-256("spx-synthetic-rng/v1" ‖ 0x00 ‖ seed ‖ I2OSP(i, 4)). Same seed, same bytes,
 * on every machine, so the demo's people and the tests' fixtures are reproducible. Not for
 * keys or secrets: it is predictable by design. Any `(n) => Uint8Array` can be passed instead.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export type Rng = (n: number) => Uint8Array;

const LABEL = new TextEncoder().encode('spx-synthetic-rng/v1\u0000');

export function seededRng(seed: string): Rng {
  const prefix = new Uint8Array([...LABEL, ...new TextEncoder().encode(seed)]);
  let counter = 0;
  let pool = new Uint8Array(0);
  const refill = () => {
    const input = new Uint8Array(prefix.length + 4);
    input.set(prefix);
    new DataView(input.buffer).setUint32(prefix.length, counter++, false);
    pool = new Uint8Array([...pool, ...sha256(input)]);
  };
  return (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('seededRng: n must be >= 0');
    while (pool.length < n) refill();
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}
