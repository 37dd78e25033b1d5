/**
 * The public /v1/log endpoints as an outside auditor uses them: nothing but HTTP GETs, the
 * hub's public key and crypto/merkle + crypto/note.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import {
  leafHash,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from '../../crypto/merkle/index.js';
import {
  ConsistencyProofResponseSchema,
  InclusionProofResponseSchema,
  LogEntriesResponseSchema,
  parseLogEntry,
} from '../../protocol/tlog.js';
import { registryService } from '../registry/registry.service.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { storedLeaves, verifiedCheckpoint } from './tlog-test-support.js';

const fx = useHubFixture();
let reporter: TestAgency;
/** Sizes at which intake issued checkpoints. */
let issued: number[];

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  issued = [];
  for (const n of [2, 5, 1, 4]) {
    const jws = await Promise.all(
      Array.from({ length: n }, () =>
        signAttestation(attestationPayload(reporter.ori, fx.rng, fx.clock.now()), reporter.key),
      ),
    );
    const res = await postBatch(fx, reporter, jws);
    expect(res.status).toBe(200);
    issued.push(
      verifiedCheckpoint(fx, ((await res.json()) as { log: { checkpoint: string } }).log.checkpoint)
        .size,
    );
  }
  // A registry change after the last checkpoint: the head (14) is ahead of it (13).
  await registryService(fx.db).setStatus(reporter.ori, 'suspended', fx.clock.now());
});

const get = (path: string) => fx.app.request(path);
const b = (s: string) => fromBase64url(s)!;

describe('GET /v1/log/checkpoint and /checkpoints/{size}', () => {
  it('serve the hub-signed notes as text', async () => {
    const res = await get('/v1/log/checkpoint');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(verifiedCheckpoint(fx, await res.text()).size).toBe(13);
    for (const size of issued) {
      const at = await get(`/v1/log/checkpoints/${size}`);
      expect(verifiedCheckpoint(fx, await at.text()).size).toBe(size);
    }
    expect(await problemCode(await get('/v1/log/checkpoints/4'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(await problemCode(await get('/v1/log/checkpoints/x'))).toMatchObject({
      status: 400,
      fields: ['size: invalid_format'],
    });
  });
});

describe('proofs and entries', () => {
  it('prove every leaf at every size, and every size consistent with the head', async () => {
    const leaves = await storedLeaves(fx.db);
    expect(leaves).toHaveLength(14);
    for (let size = 1; size <= leaves.length; size++) {
      const root = rootFromLeaves(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const res = await get(`/v1/log/proof/inclusion?index=${index}&size=${size}`);
        const body = InclusionProofResponseSchema.parse(await res.json());
        expect(b(body.leafHash)).toEqual(leaves[index]);
        expect(verifyInclusion(index, size, leaves[index]!, body.proof.map(b), root).ok).toBe(true);
      }
      const res = await get(`/v1/log/proof/consistency?from=${size}&to=${leaves.length}`);
      const body = ConsistencyProofResponseSchema.parse(await res.json());
      const whole = rootFromLeaves(leaves);
      expect(verifyConsistency(size, leaves.length, body.proof.map(b), root, whole).ok).toBe(true);
    }
  });

  it('find a leaf by its hash', async () => {
    const leaves = await storedLeaves(fx.db);
    const hash = Buffer.from(leaves[6]!).toString('base64url');
    const res = await get(`/v1/log/proof/inclusion?leafHash=${hash}&size=10`);
    const body = InclusionProofResponseSchema.parse(await res.json());
    expect(body.index).toBe(6);
    const root10 = rootFromLeaves(leaves.slice(0, 10));
    expect(verifyInclusion(6, 10, leaves[6]!, body.proof.map(b), root10).ok).toBe(true);
    const absent = await get(`/v1/log/proof/inclusion?leafHash=${hash}&size=6`);
    expect(await problemCode(absent)).toMatchObject({
      status: 404,
      fields: ['leafHash: invalid_value'],
    });
  });

  it('serve the entries whose hashes are the leaves, in canonical form', async () => {
    const res = await get('/v1/log/entries?start=0&end=14');
    const body = LogEntriesResponseSchema.parse(await res.json());
    const leaves = await storedLeaves(fx.db);
    expect(body.entries.map((e) => e.index)).toEqual(leaves.map((_, i) => i));
    body.entries.forEach((e, i) => {
      expect(leafHash(utf8(e.entry))).toEqual(leaves[i]);
      expect(parseLogEntry(e.entry).ok).toBe(true);
    });
    const kinds = body.entries.map((e) => JSON.parse(e.entry) as { kind: string; event?: string });
    expect(kinds[0]).toMatchObject({ kind: 'agency', event: 'enrolled', ori: reporter.ori });
    expect(kinds[13]).toMatchObject({ kind: 'agency', event: 'suspended', ori: reporter.ori });
    expect(kinds.slice(1, 13).every((k) => k.kind === 'attestation')).toBe(true);
  });

  it('refuse bad parameters with a problem naming the parameter', async () => {
    for (const [path, status, field] of [
      ['/v1/log/proof/inclusion?index=0&size=15', 400, 'size: too_big'],
      ['/v1/log/proof/inclusion?index=14&size=14', 400, 'index: too_big'],
      ['/v1/log/proof/inclusion?index=abc&size=3', 400, 'index: invalid_format'],
      ['/v1/log/proof/inclusion?size=3', 400, 'index: required'],
      ['/v1/log/proof/inclusion?index=1&size=3&extra=1', 400, 'extra: unknown_field'],
      ['/v1/log/proof/consistency?from=3&to=15', 400, 'to: too_big'],
      ['/v1/log/proof/consistency?from=0&to=3', 400, 'from: too_small'],
      ['/v1/log/entries?start=0&end=15', 400, 'end: too_big'],
      ['/v1/log/entries?start=0', 400, 'end: required'],
    ] as const) {
      const p = await problemCode(await get(path));
      expect([p.status, p.code, p.fields], path).toEqual([status, 'VALIDATION_FAILED', [field]]);
    }
  });
});
