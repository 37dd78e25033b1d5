/**
 * Conformance: every vector file of test/vectors/merkle/ (transparency-dev/merkle test data; see
 * its README.md) through our RFC 9162 verifiers, and the happy paths through our generator.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  assembleProof,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeKey,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
  type ProofVerification,
} from '../../crypto/merkle/index.js';
import { isCryptoError } from '../../crypto/errors.js';

const VECTORS = join(import.meta.dirname, '..', 'vectors', 'merkle');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? jsonFiles(join(dir, e.name))
      : e.name.endsWith('.json')
        ? [join(dir, e.name)]
        : [],
  );
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}
interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const load = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const inclusion = jsonFiles(join(VECTORS, 'inclusion')).map((f) => ({
  name: relative(VECTORS, f),
  v: load<InclusionVector>(f),
}));
const consistency = jsonFiles(join(VECTORS, 'consistency')).map((f) => ({
  name: relative(VECTORS, f),
  v: load<ConsistencyVector>(f),
}));

/**
 * Where we are deliberately stricter than the vectors: every hash must be 32 bytes, even where
 * the sizes are equal and transparency-dev compares the roots as opaque strings.
 */
const STRICTER: Record<string, string> = {
  'consistency/additional/sizes-are-equal-one-and-proof-is-empty.json': 'MERKLE_HASH_INVALID',
};

/** Outcome of a verification: 'ok' or the CryptoError code (anything else is a bug). */
function outcome(run: () => ProofVerification): string {
  try {
    const r = run();
    return r.ok ? 'ok' : r.error.code;
  } catch (e) {
    if (isCryptoError(e)) return e.code;
    throw e;
  }
}

// RFC 6962's reference tree (see the README).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const leafHashes = LEAVES.map((h) => leafHash(hex(h)));
const stored = new Map<string, Uint8Array>();
for (const n of appendLeaves(0, [], leafHashes).nodes) stored.set(nodeKey(n), n.hash);

describe('merkle vectors', () => {
  it('covers every file of the folder', () => {
    expect(inclusion.length + consistency.length).toBe(jsonFiles(VECTORS).length);
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
    expect(inclusion.filter(({ v }) => !v.wantErr).length).toBeGreaterThanOrEqual(5);
  });

  it.each(inclusion)('inclusion $name', ({ v }) => {
    const got = outcome(() =>
      verifyInclusion(
        v.leafIdx,
        v.treeSize,
        b64(v.leafHash),
        (v.proof ?? []).map(b64),
        b64(v.root),
      ),
    );
    if (v.wantErr) expect(got).not.toBe('ok');
    else expect(got).toBe('ok');
  });

  it.each(consistency)('consistency $name', ({ name, v }) => {
    const got = outcome(() =>
      verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2)),
    );
    if (STRICTER[name] !== undefined) expect(got).toBe(STRICTER[name]);
    else if (v.wantErr) expect(got).not.toBe('ok');
    else expect(got).toBe('ok');
  });

  const inReferenceTree = <T extends { name: string; v: { wantErr: boolean } }>(
    cases: T[],
    size: (c: T) => number,
  ) => cases.filter((c) => /^\w+\/\d+\//.test(c.name) && !c.v.wantErr && size(c) <= LEAVES.length);

  it.each(inReferenceTree(inclusion, (c) => c.v.treeSize))(
    'reference tree: root, leaf and generated proof of $name',
    ({ v }) => {
      expect(Buffer.from(rootFromLeaves(leafHashes.slice(0, v.treeSize))).toString('base64')).toBe(
        v.root,
      );
      expect(Buffer.from(leafHashes[v.leafIdx]!).toString('base64')).toBe(v.leafHash);
      const proof = assembleProof(inclusionRanges(v.leafIdx, v.treeSize), stored);
      expect(proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(v.proof ?? []);
    },
  );

  it.each(inReferenceTree(consistency, (c) => c.v.size2).filter((c) => c.v.size1 > 0))(
    'reference tree: roots and generated proof of $name',
    ({ v }) => {
      expect(Buffer.from(rootFromLeaves(leafHashes.slice(0, v.size1))).toString('base64')).toBe(
        v.root1,
      );
      expect(Buffer.from(rootFromLeaves(leafHashes.slice(0, v.size2))).toString('base64')).toBe(
        v.root2,
      );
      const proof = assembleProof(consistencyRanges(v.size1, v.size2), stored);
      expect(proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(v.proof ?? []);
    },
  );
});
