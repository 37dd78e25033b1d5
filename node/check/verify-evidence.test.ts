/**
 * verifyCheckEvidence on bundles of real in-process checks (the city's node, POST /v1/checks,
 * against the world's hub): an honest bundle verifies from the file alone, and each tampering
 * fails with the code of the step that catches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, fromUtf8, toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  appendSignatureLines,
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../crypto/note/index.js';
import { canonicalJson } from '../../crypto/signing/canonical-json.js';
import {
  parseStatement,
  signStatement,
  type JsonObject,
  type PublicKeyInfo,
} from '../../crypto/signing/index.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CheckEvidence } from '../../protocol/check-evidence.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import { computeVerdict } from '../../protocol/check-verdict.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { signAttestation } from '../clients/test-support/attestations.js';
import { seedFor, signingKeyFor } from '../clients/test-support/deterministic.js';
import type { World } from '../clients/test-support/world.js';
import {
  checkThroughNode,
  pinnedHubKeys,
  PLANTED,
  plantedWorld,
} from '../service/evidence-test-support.js';
import { testNodeApp } from '../service/test-support.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import { verifyCheckEvidence, type EvidenceVerification } from './verify-evidence.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let honest: CheckEvidence;
let pinned: PublicKeyInfo[];

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await plantedWorld();
  const app = testNodeApp(world, handle.db, { seed: 'verify-evidence' });
  const { status, body } = await checkThroughNode(app, PLANTED);
  if (status !== 200) throw new Error(`check failed: ${status}`);
  honest = body.evidence;
  pinned = await pinnedHubKeys();
});
afterAll(async () => {
  await handle?.close();
});

/** A copy of the honest bundle to tamper with. */
const copy = (): CheckEvidence => structuredClone(honest);

function payloadOf(jws: string): Record<string, unknown> {
  const parsed = parseStatement(jws, [STATEMENT_TYPES.checkResponse, STATEMENT_TYPES.attestation]);
  if (!parsed.ok) throw new Error(parsed.error.code);
  return parsed.value.payload;
}

/** The failure's code, signature code and first field; fails the test on success. */
function failed(result: EvidenceVerification): [string, string | undefined, string | undefined] {
  expect(result.ok).toBe(false);
  return result.ok
    ? ['ok', undefined, undefined]
    : [result.code, result.signatureCode, result.field];
}

/** An attacker who signs statements and checkpoints with a key of their own. */
async function attacker() {
  const key = await signingKeyFor('evidence-attacker');
  return {
    key,
    jwks: { keys: [{ ...key.publicJwk, kid: key.kid }] },
    sign: (payload: unknown) =>
      signStatement(payload as JsonObject, { typ: STATEMENT_TYPES.checkResponse, key }),
    signCheckpoint: (note: string) =>
      signNote(parseSignedNote(note).text, [
        noteSigner(honest.logOrigin, seedFor('evidence-attacker')),
      ]),
  };
}

describe('verifyCheckEvidence: an honest bundle', () => {
  it('verifies against the pinned hub key, with the verdict and matches the node showed', async () => {
    const result = await verifyCheckEvidence(honest, { hubKeys: pinned });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pinned).toEqual({ hubKeys: true, logOrigin: false, requester: false });
    expect(result.presentation.verdict).toBe('record_found');
    expect(result.verified.attestations.map((a) => a.issuer).sort()).toEqual([
      world.city.entry.ori,
      world.board.entry.ori,
    ]);
    expect(result.verified.checkpoint.origin).toBe(world.hub.log.origin);
  });

  it('verifies with the bundle’s own hub keys too, and says the hub key was not pinned', async () => {
    const result = await verifyCheckEvidence(honest);
    expect([result.ok, result.pinned.hubKeys]).toEqual([true, false]);
  });

  it('holds the pins it is given: log origin and requester', async () => {
    const origin = await verifyCheckEvidence(honest, {
      hubKeys: pinned,
      logOrigin: world.hub.log.origin,
      requester: world.city.entry.ori,
    });
    expect([origin.ok, origin.pinned]).toEqual([
      true,
      { hubKeys: true, logOrigin: true, requester: true },
    ]);
    const otherLog = await verifyCheckEvidence(honest, { hubKeys: pinned, logOrigin: 'other/log' });
    expect(failed(otherLog)).toEqual(['LOG_CHECKPOINT_INVALID', undefined, 'log.checkpoint']);
    const otherAgency = await verifyCheckEvidence(honest, {
      hubKeys: pinned,
      requester: 'AZ0100300',
    });
    expect(failed(otherAgency)).toEqual(['RESPONSE_NOT_FOR_REQUEST', undefined, 'requester']);
  });
});

describe('verifyCheckEvidence: a tampered bundle fails with the code of the step that catches it', () => {
  it('an attestation swapped for another, validly signed by its issuer', async () => {
    const bundle = copy();
    const original = payloadOf(bundle.answer.attestations[1]!) as unknown as AttestationPayload;
    const issuer = original.issuer === world.board.entry.ori ? world.board : world.city;
    bundle.answer.attestations[1] = await signAttestation(issuer, {
      ...original,
      category: 'suspension',
    });
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['ATTESTATION_DIGEST_MISMATCH', undefined, 'attestations[1]']);
  });

  it('a hash of an inclusion proof flipped', async () => {
    const bundle = copy();
    const proof = bundle.answer.log.inclusions[0]!.proof;
    expect(proof.length).toBeGreaterThan(0);
    const hash = fromBase64url(proof[0]!)!;
    hash[7]! ^= 0x01;
    proof[0] = toBase64url(hash);
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['LOG_INCLUSION_INVALID', undefined, 'log.inclusions[0]']);
  });

  it('the checkpoint re-signed by another key', async () => {
    const bundle = copy();
    bundle.answer.log.checkpoint = (await attacker()).signCheckpoint(bundle.answer.log.checkpoint);
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['LOG_CHECKPOINT_INVALID', undefined, 'log.checkpoint']);
  });

  it('the response signature broken', async () => {
    const bundle = copy();
    const [h, p, s] = bundle.answer.response.split('.') as [string, string, string];
    bundle.answer.response = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_BAD_SIGNATURE', 'response']);
  });

  it('a matched agency’s key replaced in the bundle', async () => {
    const bundle = copy();
    const impostor = await signingKeyFor('evidence-impostor-agency');
    const board = bundle.agencies.find((a) => a.ori === world.board.entry.ori)!;
    board.keys = [{ kid: impostor.kid, status: 'active', jwk: impostor.publicJwk }];
    const position = bundle.answer.attestations.findIndex(
      (jws) => payloadOf(jws)['issuer'] === world.board.entry.ori,
    );
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual([
      'ATTESTATION_SIGNATURE_INVALID',
      'SIG_UNKNOWN_KEY',
      `attestations[${position}]`,
    ]);

    bundle.agencies = bundle.agencies.filter((a) => a !== board);
    const dropped = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(dropped)).toEqual([
      'ATTESTATION_ISSUER_UNKNOWN',
      undefined,
      `attestations[${position}].issuer`,
    ]);
  });

  it('the verdict edited in the signed response', async () => {
    const bundle = copy();
    const [h, , s] = bundle.answer.response.split('.') as [string, string, string];
    const payload = { ...payloadOf(bundle.answer.response), verdict: 'no_record' };
    bundle.answer.response = `${h}.${toBase64url(utf8(canonicalJson(payload as JsonObject)))}.${s}`;
    expect(fromUtf8(fromBase64url(bundle.answer.response.split('.')[1]!)!)).toContain('no_record');
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_BAD_SIGNATURE', 'response']);
  });

  it('the verdict edited and re-signed with a key put in the bundle: the verdict is recomputed', async () => {
    const bundle = copy();
    const evil = await attacker();
    const payload = { ...payloadOf(bundle.answer.response), verdict: 'no_record' };
    bundle.answer.response = await evil.sign(payload);
    bundle.answer.log.checkpoint = evil.signCheckpoint(bundle.answer.log.checkpoint);
    bundle.hubKeys = evil.jwks;
    const unpinned = await verifyCheckEvidence(bundle);
    expect(failed(unpinned)).toEqual(['VERDICT_MISMATCH', undefined, 'verdict']);
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_UNKNOWN_KEY', 'response']);
  });
});

describe('verifyCheckEvidence: the pinned hub key', () => {
  /** A clean answer forged from the honest one: no match, a consistent verdict, all re-signed. */
  async function forgedClean(): Promise<CheckEvidence> {
    const evil = await attacker();
    const original = payloadOf(honest.answer.response) as unknown as CheckResponsePayload;
    const { verdict, reasons } = computeVerdict([], original.policy, original.checkedAt);
    const bundle = copy();
    bundle.answer = {
      response: await evil.sign({ ...original, matches: [], verdict, reasons }),
      attestations: [],
      log: { checkpoint: evil.signCheckpoint(honest.answer.log.checkpoint), inclusions: [] },
    };
    bundle.agencies = [];
    bundle.hubKeys = evil.jwks;
    return bundle;
  }

  it('a bundle whose hub keys were replaced by an attacker’s verifies only unpinned', async () => {
    const bundle = await forgedClean();
    const unpinned = await verifyCheckEvidence(bundle);
    // Consistent in itself: this is why the result says whether the hub key was pinned.
    expect(unpinned.ok).toBe(true);
    expect(unpinned.ok && [unpinned.presentation.verdict, unpinned.pinned.hubKeys]).toEqual([
      'no_record',
      false,
    ]);
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned });
    expect(failed(result)).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_UNKNOWN_KEY', 'response']);
  });
});

describe('verifyCheckEvidence: witnesses', () => {
  const witness = noteSigner(
    'spx-witness/CA0340000',
    seedFor('evidence-witness'),
    SIGNATURE_TYPE_COSIGNATURE_V1,
  );

  it('requires the quorum of the witnesses it trusts', async () => {
    const result = await verifyCheckEvidence(honest, { hubKeys: pinned, witnesses: [witness.key] });
    expect(failed(result)).toEqual(['LOG_CHECKPOINT_INVALID', undefined, 'log.checkpoint']);
    expect(!result.ok && result.errors[0]!.message).toMatch(/^LOG_QUORUM_NOT_MET: 0 of 1/);
    const none = await verifyCheckEvidence(honest, {
      hubKeys: pinned,
      witnesses: [witness.key],
      quorum: 0,
    });
    expect(none.ok).toBe(true);
  });

  it('counts a trusted witness’s cosignature on the checkpoint, and refuses a forged one', async () => {
    const bundle = copy();
    const note = bundle.answer.log.checkpoint;
    const line = cosignCheckpoint(parseSignedNote(note).text, witness, 1_740_830_400);
    bundle.answer.log.checkpoint = appendSignatureLines(note, line);
    const result = await verifyCheckEvidence(bundle, { hubKeys: pinned, witnesses: [witness.key] });
    expect(result.ok && result.cosigners).toEqual([witness.key.name]);

    const other = noteSigner(
      witness.key.name,
      seedFor('not-the-witness'),
      SIGNATURE_TYPE_COSIGNATURE_V1,
    );
    const forged = copy();
    forged.answer.log.checkpoint = appendSignatureLines(
      note,
      cosignCheckpoint(parseSignedNote(note).text, other, 1_740_830_400),
    );
    const refused = await verifyCheckEvidence(forged, {
      hubKeys: pinned,
      witnesses: [witness.key],
    });
    expect(failed(refused)).toEqual(['LOG_CHECKPOINT_INVALID', undefined, 'log.checkpoint']);
  });

  it('reports, never throws, when a witness key repeats another one', async () => {
    const twin = { ...witness.key, name: 'spx-witness/CA0350000' };
    const result = await verifyCheckEvidence(honest, {
      hubKeys: pinned,
      witnesses: [witness.key, twin],
    });
    expect(failed(result)).toEqual(['LOG_CHECKPOINT_INVALID', undefined, 'log.checkpoint']);
  });
});
