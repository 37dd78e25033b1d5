import { beforeAll, describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  noteSigner,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  type NoteSigner,
} from '../../crypto/note/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { b64For, seedFor, signingKeyFor } from '../clients/test-support/deterministic.js';
import { fakeLog, forkFor, rewrite, type FakeLog } from './test-support/fake-log.js';
import {
  quorumAlert,
  verifyCheckpointNote,
  type LogTrust,
  type VerifiedCheckpoint,
} from './verify-checkpoint.js';
import { relateHeads, verifyHeadConsistency, verifyStatementInclusion } from './verify-proofs.js';
import { verifyReceiptEvidence } from './verify-receipt.js';

let hubKeys: PublicKeyInfo[];
let otherKeys: PublicKeyInfo[];
let log: FakeLog;
let witnessA: NoteSigner;
let witnessB: NoteSigner;
const statements = ['aaa.bbb.c1', 'aaa.bbb.c2', 'aaa.bbb.c3', 'aaa.bbb.c4', 'aaa.bbb.c5'];

beforeAll(async () => {
  const hub = await signingKeyFor('verify-hub');
  const other = await signingKeyFor('verify-other');
  hubKeys = [{ kid: hub.kid, publicJwk: hub.publicJwk }];
  otherKeys = [{ kid: other.kid, publicJwk: other.publicJwk }];
  log = fakeLog({ seed: seedFor('verify-hub') });
  for (const s of statements) log.appendStatement(s);
  witnessA = noteSigner('spx-witness/CA0194200', seedFor('wa'), SIGNATURE_TYPE_COSIGNATURE_V1);
  witnessB = noteSigner('spx-witness/CA0340000', seedFor('wb'), SIGNATURE_TYPE_COSIGNATURE_V1);
});

const trust = (overrides: Partial<LogTrust> = {}): LogTrust => ({
  hubKeys,
  origin: log.origin,
  witnesses: [],
  quorum: 0,
  ...overrides,
});

function verified(note: string, t = trust()): VerifiedCheckpoint {
  const result = verifyCheckpointNote(note, t);
  if (!result.ok) throw new Error(result.alert.code);
  return result.checkpoint;
}

const text = (note: string) => note.slice(0, note.indexOf('\n\n') + 1);

describe('verifyCheckpointNote', () => {
  it('accepts the hub’s checkpoint and reads its origin, size and root', () => {
    const cp = verified(log.checkpoint());
    expect([cp.origin, cp.size, cp.cosigners]).toEqual([log.origin, 5, []]);
    expect(cp.text).toBe(text(cp.note));
  });

  it('takes the origin a checkpoint names when none is trusted yet, and refuses another later', () => {
    expect(verified(log.checkpoint(), trust({ origin: undefined })).origin).toBe(log.origin);
    const other = fakeLog({ seed: seedFor('verify-hub'), origin: 'elsewhere.test/log' });
    other.appendEntry('{}');
    const result = verifyCheckpointNote(other.checkpoint(), trust());
    expect(result.ok ? undefined : [result.alert.code, result.alert.detail['origin']]).toEqual([
      'LOG_ORIGIN_MISMATCH',
      'elsewhere.test/log',
    ]);
  });

  it('refuses a checkpoint signed by a key that is not the hub’s, or altered after signing', () => {
    const byOther = verifyCheckpointNote(log.checkpoint(), trust({ hubKeys: otherKeys }));
    expect(byOther.ok ? undefined : [byOther.alert.code, byOther.alert.detail['reason']]).toEqual([
      'LOG_BAD_SIGNATURE',
      'NOTE_UNVERIFIED',
    ]);
    const note = log.checkpoint();
    const lines = note.split('\n');
    lines[1] = '6';
    const altered = verifyCheckpointNote(lines.join('\n'), trust());
    expect(altered.ok ? undefined : altered.alert.detail['reason']).toBe('NOTE_SIGNATURE_INVALID');
    const garbage = verifyCheckpointNote('not a note', trust());
    expect(garbage.ok ? undefined : garbage.alert.code).toBe('LOG_BAD_SIGNATURE');
  });

  it('accepts any of the hub’s keys (rotation) and ignores keys it does not know', () => {
    expect(verified(log.checkpoint(), trust({ hubKeys: [...otherKeys, ...hubKeys] })).size).toBe(5);
  });

  it('counts configured witnesses’ cosignatures and refuses a bad one', () => {
    const note = log.checkpoint();
    const t = trust({ witnesses: [witnessA.key, witnessB.key], quorum: 2 });
    const one = `${note}${cosignCheckpoint(text(note), witnessA, 1_700_000_000)}`;
    const cp = verified(one, t);
    expect(cp.cosigners).toEqual(['spx-witness/CA0194200']);
    expect(quorumAlert(cp, t)).toMatchObject({
      code: 'LOG_QUORUM_NOT_MET',
      detail: { cosigners: 1, quorum: 2 },
    });
    const two = `${one}${cosignCheckpoint(text(note), witnessB, 1_700_000_001)}`;
    expect(quorumAlert(verified(two, t), t)).toBeUndefined();
    // Witness A's line with one signature byte changed.
    const line = cosignCheckpoint(text(note), witnessA, 1_700_000_000);
    const [, name, sig] = /^— (\S+) (\S+)\n$/.exec(line)!;
    const bytes = Buffer.from(sig!, 'base64');
    bytes[40] = bytes[40]! ^ 1;
    const forged = `— ${name} ${bytes.toString('base64')}\n`;
    const bad = verifyCheckpointNote(`${note}${forged}`, t);
    expect(bad.ok ? undefined : [bad.alert.code, bad.alert.detail['reason']]).toEqual([
      'LOG_BAD_SIGNATURE',
      'COSIGNATURE_INVALID',
    ]);
  });
});

describe('verifyStatementInclusion', () => {
  it('proves each statement at its index from the statement and salt alone', () => {
    const cp = verified(log.checkpoint());
    statements.forEach((s) =>
      expect(verifyStatementInclusion(cp, s, log.evidence(s))).toEqual({ ok: true }),
    );
  });

  it('refuses another statement, another salt, another index, or an index beyond the tree', () => {
    const cp = verified(log.checkpoint());
    const evidence = log.evidence(statements[2]!);
    const reason = (s: string, e: typeof evidence) => {
      const r = verifyStatementInclusion(cp, s, e);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(reason(statements[3]!, evidence)).toBe('MERKLE_ROOT_MISMATCH');
    expect(reason(statements[2]!, { ...evidence, salt: b64For('salt') })).toBe(
      'MERKLE_ROOT_MISMATCH',
    );
    expect(reason(statements[2]!, { ...evidence, index: 3 })).toBe('MERKLE_ROOT_MISMATCH');
    expect(reason(statements[2]!, { ...evidence, index: 9 })).toBe('MERKLE_INDEX_INVALID');
    expect(reason(statements[2]!, { ...evidence, proof: evidence.proof.slice(1) })).toBe(
      'MERKLE_PROOF_INVALID',
    );
    expect(reason(statements[2]!, { ...evidence, salt: 'not base64!' })).toBe('ENCODING_INVALID');
  });
});

describe('relating tree heads', () => {
  it('tells first, same, fork, newer and older apart', () => {
    const five = verified(log.checkpoint());
    log.tamper.viewFor = forkFor('X');
    const forked = verified(log.checkpoint('X'));
    log.tamper = {};
    const three = { size: 3, root: five.root };
    expect(relateHeads(undefined, five)).toBe('first');
    expect(relateHeads(five, five)).toBe('same');
    expect(relateHeads(five, forked)).toBe('fork');
    expect(relateHeads(three, five)).toBe('newer');
    expect(relateHeads(five, three)).toBe('older');
  });

  it('verifies a consistency proof and refuses one from a rewritten history', () => {
    log.tamper.leaves = (l) => l.slice(0, 3);
    const three = verified(log.checkpoint());
    log.tamper = {};
    const five = verified(log.checkpoint());
    expect(verifyHeadConsistency(three, five, log.consistency(3, 5).proof)).toEqual({ ok: true });
    log.tamper.leaves = rewrite.alterLeaf(1);
    const rewritten = verified(log.checkpoint());
    const proof = log.consistency(3, 5).proof;
    log.tamper = {};
    expect(verifyHeadConsistency(three, rewritten, proof)).toMatchObject({
      ok: false,
      error: { code: 'MERKLE_ROOT_MISMATCH' },
    });
  });
});

describe('verifyReceiptEvidence', () => {
  const receipt = (ids: string[], jws: string[]) => ({
    receipts: ids.map((id, i) => ({ id, log: log.evidence(jws[i]!) })),
    log: { checkpoint: log.checkpoint() },
  });

  it('proves every statement sent and returns its index and salt', () => {
    const sent = [
      { id: 'a', jws: statements[0]! },
      { id: 'b', jws: statements[4]! },
    ];
    const result = verifyReceiptEvidence(
      sent,
      receipt(['a', 'b'], [statements[0]!, statements[4]!]),
      trust(),
    );
    expect(result.ok && result.items.map((i) => i.ok && i.index)).toEqual([0, 4]);
  });

  it('refuses, item by item, a proof of another statement than the one sent', () => {
    const sent = [
      { id: 'a', jws: statements[0]! },
      { id: 'b', jws: statements[4]! },
    ];
    const result = verifyReceiptEvidence(
      sent,
      receipt(['a', 'b'], [statements[0]!, statements[3]!]),
      trust(),
    );
    expect(result.ok && result.items.map((i) => (i.ok ? 'ok' : i.alert.code))).toEqual([
      'ok',
      'LOG_RECEIPT_INVALID',
    ]);
  });

  it('refuses the whole receipt when its checkpoint is not the hub’s', () => {
    const sent = [{ id: 'a', jws: statements[0]! }];
    const result = verifyReceiptEvidence(
      sent,
      receipt(['a'], [statements[0]!]),
      trust({ hubKeys: otherKeys }),
    );
    expect(result.ok ? undefined : result.alert.code).toBe('LOG_BAD_SIGNATURE');
  });
});
