import { describe, expect, it } from 'vitest';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import {
  assembleProof,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeKey,
  nodesForRanges,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from '../../crypto/merkle/index.js';
import { logEntryLeafHash } from '../../protocol/tlog.js';
import { seededRng } from '../test-support.js';
import { borderToLoad, planAppend, type NewLogEntry } from './append-plan.js';
import { agencyEntry, attestationEntry } from './entries.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const rng = seededRng('append-plan');

function entries(n: number, from: number): NewLogEntry[] {
  return Array.from({ length: n }, (_, i) =>
    (from + i) % 3 === 2
      ? agencyEntry('suspended', 'CA0194200', 'k'.repeat(43), null, NOW)
      : attestationEntry(`id-${from + i}`, `h.p${from + i}.s`, rng),
  );
}

/** An in-memory node store fed by planAppend, as the repository feeds log_nodes. */
function grow(batches: readonly number[]) {
  const nodes = new Map<string, Uint8Array>();
  const leaves: Uint8Array[] = [];
  let size = 0;
  let root: Uint8Array = new Uint8Array();
  for (const n of batches) {
    const border = new Map(borderToLoad(size).map((b) => [nodeKey(b), nodes.get(nodeKey(b))!]));
    const plan = planAppend(size, border, entries(n, size), NOW);
    expect(plan.entries.map((e) => e.index)).toEqual(Array.from({ length: n }, (_, i) => size + i));
    for (const node of plan.nodes) {
      expect(nodes.has(nodeKey(node)), 'a perfect node is written once').toBe(false);
      nodes.set(nodeKey(node), fromBase64url(node.hash)!);
    }
    for (const e of plan.entries) {
      expect(fromBase64url(e.leafHash)).toEqual(leafHash(utf8(e.entry)));
      leaves.push(fromBase64url(e.leafHash)!);
    }
    size = plan.size;
    root = plan.root;
  }
  return { nodes, leaves, size, root };
}

describe('planAppend', () => {
  it('gives the RFC 9162 root after appends in batches of every shape', () => {
    for (const batches of [[1], [1, 1, 1, 1, 1], [7], [3, 5, 2, 9, 1, 16, 4], [64, 1, 63, 2]]) {
      const log = grow(batches);
      expect(log.size).toBe(batches.reduce((a, b) => a + b, 0));
      expect(log.root).toEqual(rootFromLeaves(log.leaves));
    }
  });

  it('stores every node that inclusion and consistency proofs need', () => {
    const log = grow([5, 1, 11, 3, 8]);
    for (let size = 1; size <= log.size; size++) {
      const root = rootFromLeaves(log.leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const ranges = inclusionRanges(index, size);
        for (const n of nodesForRanges(ranges)) expect(log.nodes.has(nodeKey(n))).toBe(true);
        const proof = assembleProof(ranges, log.nodes);
        expect(verifyInclusion(index, size, log.leaves[index]!, proof, root).ok).toBe(true);
      }
      const proof = assembleProof(consistencyRanges(size, log.size), log.nodes);
      expect(verifyConsistency(size, log.size, proof, root, log.root).ok).toBe(true);
    }
  });

  it("holds in `hashes` every node an appended leaf's proof in the grown tree needs", () => {
    // Intake builds its receipts' proofs from these alone (hub/intake/intake.service.ts).
    const nodes = new Map<string, Uint8Array>();
    const leaves: Uint8Array[] = [];
    let size = 0;
    for (const n of [5, 1, 11, 3, 8, 16, 1, 31]) {
      const border = new Map(borderToLoad(size).map((b) => [nodeKey(b), nodes.get(nodeKey(b))!]));
      const plan = planAppend(size, border, entries(n, size), NOW);
      for (const node of plan.nodes) nodes.set(nodeKey(node), fromBase64url(node.hash)!);
      for (const e of plan.entries) leaves.push(fromBase64url(e.leafHash)!);
      const root = rootFromLeaves(leaves);
      for (let index = size; index < plan.size; index++) {
        const ranges = inclusionRanges(index, plan.size);
        const missing = nodesForRanges(ranges).filter((x) => !plan.hashes.has(nodeKey(x)));
        expect(missing, `leaf ${index} of ${plan.size}`).toEqual([]);
        const proof = assembleProof(ranges, plan.hashes);
        expect(proof).toEqual(assembleProof(ranges, nodes));
        expect(verifyInclusion(index, plan.size, leaves[index]!, proof, root).ok).toBe(true);
      }
      size = plan.size;
    }
  });

  it('keeps salt and statement id only on attestation entries, as the commitment used them', () => {
    const [att] = entries(1, 0);
    const plan = planAppend(0, new Map(), [att!], NOW);
    expect(plan.entries[0]).toMatchObject({ kind: 'attestation', statementId: 'id-0' });
    expect(fromBase64url(plan.entries[0]!.salt!)).toEqual(att!.salt);
    expect(fromBase64url(plan.entries[0]!.leafHash)).toEqual(logEntryLeafHash(att!.entry));
    expect(() => planAppend(0, new Map(), [{ entry: att!.entry }], NOW)).toThrow(/salt/);
    const agency = agencyEntry('enrolled', 'CA0194200', 'k'.repeat(43), null, NOW);
    expect(() => planAppend(0, new Map(), [{ ...agency, salt: att!.salt }], NOW)).toThrow(/salt/);
  });

  it('refuses a border that does not belong to the size', () => {
    expect(() => planAppend(3, new Map(), entries(1, 3), NOW)).toThrow(/missing/);
  });
});
