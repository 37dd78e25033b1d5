/**
 * Golden vectors of our transparency-log formats (docs/protocol.md §9): entries and their leaf
 * hashes, statement commitments, a small log with its signed checkpoint and the inclusion and
 * consistency proofs a hub hands out, and entry texts a verifier must refuse. Everything comes
 * from fixed seeds, so the files test stability and cross-implementation agreement.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import {
  appendLeaves,
  assembleProof,
  consistencyRanges,
  inclusionRanges,
  nodeKey,
} from '../../../crypto/merkle/index.js';
import {
  formatCheckpoint,
  formatVerifierKey,
  noteSigner,
  signNote,
} from '../../../crypto/note/index.js';
import {
  attestationLogEntry,
  encodeLogEntry,
  logEntryLeafHash,
  statementCommitment,
  type LogEntry,
} from '../../../protocol/tlog.js';

export const LOG_ORIGIN = 'spx.example/hub-log';
const seed = (label: string) => sha256(utf8(`spx log vectors: ${label}`));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A compact-JWS-shaped string: commitments hash any statement text as UTF-8. */
const statement = (n: number) =>
  `eyJhbGciOiJFZDI1NTE5In0.${toBase64url(seed(`payload ${n}`))}.${toBase64url(new Uint8Array(64).fill(n))}`;

export function buildLogVectors() {
  const commitments = [0, 1, 2].map((n) => {
    const salt = seed(`salt ${n}`);
    return {
      salt: toBase64url(salt),
      statement: statement(n),
      commitment: statementCommitment(salt, statement(n)),
    };
  });

  const entries: LogEntry[] = [
    ...commitments.map((c, n) => attestationLogEntry(seed(`salt ${n}`), c.statement)),
    {
      v: 1,
      kind: 'agency',
      event: 'enrolled',
      ori: 'VA0000001',
      kid: toBase64url(seed('kid')),
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: toBase64url(seed('x')) },
      at: '2026-01-02T03:04:05Z',
    },
    {
      v: 1,
      kind: 'agency',
      event: 'suspended',
      ori: 'VA0000001',
      kid: toBase64url(seed('kid')),
      publicJwk: null,
      at: '2026-02-02T03:04:05Z',
    },
    {
      v: 1,
      kind: 'keyholder_key',
      epoch: 1,
      publicKey: toBase64url(seed('oprf key')),
      shares: [],
      at: '2026-01-01T00:00:00Z',
    },
    ...[3, 4].map((n) => attestationLogEntry(seed(`salt ${n}`), statement(n))),
  ];
  const leaves = entries.map(logEntryLeafHash);
  const stored = new Map<string, Uint8Array>();
  const { nodes, root, size } = appendLeaves(0, [], leaves);
  for (const n of nodes) stored.set(nodeKey(n), n.hash);

  const signer = noteSigner(LOG_ORIGIN, seed('hub key'));
  const checkpoint = signNote(
    formatCheckpoint({ origin: LOG_ORIGIN, size, rootHash: root, extensions: [] }),
    [signer],
  );

  return {
    description:
      'Transparency-log formats (docs/protocol.md §9): commitments, canonical entries and leaf hashes, a signed checkpoint with inclusion and consistency proofs, refused entry texts.',
    origin: LOG_ORIGIN,
    logKey: formatVerifierKey(signer.key),
    commitments,
    entries: entries.map((entry, i) => ({
      index: i,
      entry: encodeLogEntry(entry),
      leafHash: hex(leaves[i]!),
    })),
    checkpoint,
    inclusions: entries.map((_, i) => ({
      index: i,
      size,
      proof: assembleProof(inclusionRanges(i, size), stored).map(toBase64url),
    })),
    consistency: [1, 3, 5, 7].map((from) => ({
      from,
      to: size,
      root: (() => {
        // The root at `from`, from a second log grown only that far.
        return hex(appendLeaves(0, [], leaves.slice(0, from)).root);
      })(),
      proof: assembleProof(consistencyRanges(from, size), stored).map(toBase64url),
    })),
    refusedEntries: [
      {
        desc: 'not canonical: members out of order',
        text: `{"kind":"attestation","v":1,"commitment":"${commitments[0]!.commitment}"}`,
      },
      {
        desc: 'not canonical: whitespace',
        text: `{"commitment": "${commitments[0]!.commitment}","kind":"attestation","v":1}`,
      },
      {
        desc: 'unknown kind',
        text: `{"commitment":"${commitments[0]!.commitment}","kind":"check","v":1}`,
      },
      {
        desc: 'extra member',
        text: `{"commitment":"${commitments[0]!.commitment}","kind":"attestation","note":"x","v":1}`,
      },
      {
        desc: 'commitment of the wrong length',
        text: '{"commitment":"AAAA","kind":"attestation","v":1}',
      },
      {
        desc: 'unknown version',
        text: `{"commitment":"${commitments[0]!.commitment}","kind":"attestation","v":2}`,
      },
      { desc: 'not JSON', text: '{"commitment":' },
    ],
  };
}

export type LogVectors = ReturnType<typeof buildLogVectors>;
