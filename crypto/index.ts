/**
 * The crypto layer: normalization and match keys (docs/protocol.md §2), VOPRF tokens and hub
 * indexes (§4), signed statements (§6), request authentication (§7) and the transparency log's
 * Merkle tree (docs/transparency.md). Pure: no I/O; the clock and randomness are parameters.
 */
export * from './errors.js';
export * from './encoding.js';
export * from './match-key-kind.js';
export * from './us-jurisdictions.js';
export * from './normalize/index.js';
export * from './match-keys/index.js';
export * from './oprf/index.js';
export * from './signing/index.js';
export * from './request-auth/index.js';
export * from './merkle/index.js';
export * from './note/index.js';
