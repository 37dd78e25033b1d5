/**
 * Conformance: every JSON file in test/vectors/oprf/ (docs/protocol.md §4.10), every case.
 * RFC 9497 vectors are replayed by injecting the published scalars through `rng`; SPX1 golden
 * vectors are recomputed from their seed and compared byte for byte.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../crypto/encoding.js';
import { CryptoError } from '../../crypto/errors.js';
import {
  blindBatch,
  decodeEvaluationResponse,
  deriveKeyPair,
  deriveVoprfKeyPair,
  encodeEvaluationRequest,
  encodeEvaluationResponse,
  evaluateBatch,
  finalizeBatch,
  finalizeElement,
  finalizeThresholdBatch,
  hubIndex,
  keyInfoForEpoch,
  loadGroup,
  nobleGroup,
  type Ristretto255Group,
  lagrangeCoefficientsAtZero,
  splitKey,
  verifyKeySet,
  type EvaluationResponseJson,
} from '../../crypto/oprf/index.js';
import { scalarRng } from '../vectors/oprf/test-helpers.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../vectors/oprf');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const hex = bytesToHex;
const hexList = (l: readonly Uint8Array[]) => l.map(hex);
const Fn = ristretto255.Point.Fn;

/**
 * Every keyholder backend (crypto/oprf/group.ts) must reproduce the published evaluations and
 * proofs byte for byte: noble, the portable one, and libsodium, the fast one.
 */
const backends: Ristretto255Group[] = [nobleGroup];
beforeAll(async () => {
  backends.push((await loadGroup('libsodium')).group);
});
const BACKEND_NAMES = ['noble', 'libsodium'];
const backend = (name: string) => {
  const group = backends.find((g) => g.name === name);
  if (group === undefined) throw new Error(`backend ${name} not loaded`);
  return group;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- vector files are untyped JSON */
function expectCryptoError(run: () => unknown, code: string, field: string): void {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe(code);
    expect((e as CryptoError).field).toBe(field);
    return;
  }
  expect.fail(`expected ${code} at ${field}, but nothing was rejected`);
}

function rfcOprf(v: any) {
  it('the library derives the published modeOPRF key from Seed and KeyInfo', () => {
    const keys = ristretto255_oprf.oprf.deriveKeyPair(hexToBytes(v.Seed), hexToBytes(v.KeyInfo));
    expect(hex(keys.secretKey)).toBe(v.skSm);
  });
  for (const t of v.vectors) {
    it(`${t.name}: the library blinds and evaluates as published`, () => {
      const rng = scalarRng(t.Blind);
      const b = ristretto255_oprf.oprf.blind(hexToBytes(t.Input[0]), (n) => rng(n ?? 0));
      expect(hex(b.blinded)).toBe(t.BlindedElement[0]);
      const ev = ristretto255_oprf.oprf.blindEvaluate(hexToBytes(v.skSm), b.blinded);
      expect(hex(ev)).toBe(t.EvaluationElement[0]);
    });
    it(`${t.name}: finalizeElement gives the published Output (Finalize is mode-independent)`, () => {
      const out = t.Input.map((input: string, i: number) =>
        finalizeElement(
          hexToBytes(input),
          hexToBytes(t.Blind[i]),
          hexToBytes(t.EvaluationElement[i]),
        ),
      );
      expect(hexList(out)).toEqual(t.Output);
    });
  }
}

function rfcVoprf(v: any) {
  const derived = deriveVoprfKeyPair(hexToBytes(v.Seed), hexToBytes(v.KeyInfo));
  const key = { epoch: 1, shareIndex: 1, ...derived };
  it('deriveVoprfKeyPair gives the published skSm and pkSm', () => {
    expect(hex(derived.secretKey)).toBe(v.skSm);
    expect(hex(derived.publicKey)).toBe(v.pkSm);
  });
  for (const t of v.vectors) {
    const inputs = t.Input.map(hexToBytes);
    it(`${t.name}: blindBatch, evaluateBatch and finalizeBatch reproduce every published value`, () => {
      const { state, request } = blindBatch(1, inputs, scalarRng(t.Blind));
      expect(hexList(state.blinds)).toEqual(t.Blind);
      expect(hexList(request.blindedElements)).toEqual(t.BlindedElement);
      const response = evaluateBatch(key, request, scalarRng([t.ProofRandomScalar]));
      expect(hexList(response.evaluatedElements)).toEqual(t.EvaluationElement);
      expect(hex(response.proof)).toBe(t.Proof);
      expect(hexList(finalizeBatch(state, response, key))).toEqual(t.Output);
    });
    for (const name of BACKEND_NAMES) {
      it(`${t.name}: the ${name} backend evaluates and proves as published`, () => {
        const request = { epoch: 1, blindedElements: t.BlindedElement.map(hexToBytes) };
        const rng = scalarRng([t.ProofRandomScalar]);
        const response = evaluateBatch(key, request, rng, backend(name));
        expect(hexList(response.evaluatedElements)).toEqual(t.EvaluationElement);
        expect(hex(response.proof)).toBe(t.Proof);
      });
    }
    it(`${t.name}: the published evaluation and proof verify and finalize to the Output`, () => {
      const { state } = blindBatch(1, inputs, scalarRng(t.Blind));
      const response = {
        epoch: 1,
        shareIndex: 1,
        evaluatedElements: t.EvaluationElement.map(hexToBytes),
        proof: hexToBytes(t.Proof),
      };
      expect(hexList(finalizeBatch(state, response, key))).toEqual(t.Output);
    });
  }
}

function goldenTokens(v: any) {
  const seed = hexToBytes(v.seed);
  const key = deriveKeyPair(seed, v.epoch);
  const inputs = v.cases.map((c: any) => utf8(c.keyString));
  it('the key info, secret key and public key follow from the seed and epoch', () => {
    expect(hex(keyInfoForEpoch(v.epoch))).toBe(v.keyInfo);
    expect(hex(key.secretKey)).toBe(v.skSm);
    expect(hex(key.publicKey)).toBe(v.pkSm);
    expect(v.cases.map((c: any) => c.input)).toEqual(hexList(inputs));
  });
  for (const name of BACKEND_NAMES) {
    it(`the exchange is reproduced on the wire byte for byte (${name} backend)`, () => {
      const { request } = blindBatch(v.epoch, inputs, scalarRng(v.exchange.blinds));
      expect(encodeEvaluationRequest(request)).toEqual(v.exchange.request);
      const rng = scalarRng([v.exchange.proofRandomScalar]);
      const response = evaluateBatch(key, request, rng, backend(name));
      expect(encodeEvaluationResponse(response)).toEqual(v.exchange.response);
    });
  }
  it('every key string finalizes to its OPRF output and hub index', () => {
    const { state } = blindBatch(v.epoch, inputs, scalarRng(v.exchange.blinds));
    const outputs = finalizeBatch(state, decodeEvaluationResponse(v.exchange.response), key);
    expect(hexList(outputs)).toEqual(v.cases.map((c: any) => c.output));
    expect(outputs.map((o) => hex(hubIndex(o)))).toEqual(v.cases.map((c: any) => c.hubIndex));
  });
  it('the hub index is HKDF with exactly the salt, info and length the vector states', () => {
    const { hash, salt, info, length } = v.hubIndexKdf;
    expect(hash).toBe('SHA-256');
    for (const c of v.cases) {
      expect(hex(hkdf(sha256, hexToBytes(c.output), utf8(salt), utf8(info), length))).toBe(
        c.hubIndex,
      );
    }
  });
  for (const r of v.rejections) {
    it(`a node rejects a response when ${r.description} (${r.code})`, () => {
      const { state } = blindBatch(v.epoch, inputs, scalarRng(v.exchange.blinds));
      expectCryptoError(
        () => finalizeBatch(state, decodeEvaluationResponse(r.response), key),
        r.code,
        r.field,
      );
    });
  }
}

function goldenThreshold(v: any) {
  const key = deriveKeyPair(hexToBytes(v.seed), v.epoch);
  const { keySet, shares } = splitKey(key, v.threshold, v.total, scalarRng(v.dealerCoefficients));
  const inputs = v.inputs.map(utf8);
  const blindState = () => blindBatch(v.epoch, inputs, scalarRng(v.blinds));
  it('the dealer shares are f(i) = k + a1·i and match the published key set', () => {
    expect(hex(key.secretKey)).toBe(v.skSm);
    const k = Fn.fromBytes(key.secretKey);
    const a1 = Fn.fromBytes(hexToBytes(v.dealerCoefficients[0]));
    for (const s of v.shares) {
      expect(hex(Fn.toBytes(Fn.add(k, Fn.mul(a1, BigInt(s.shareIndex)))))).toBe(s.secretKey);
    }
    expect(
      shares.map((s) => ({
        shareIndex: s.shareIndex,
        secretKey: hex(s.secretKey),
        publicKey: hex(s.publicKey),
      })),
    ).toEqual(v.shares);
    expect(hex(keySet.publicKey)).toBe(v.keySet.publicKey);
    expect(hexList(keySet.publicShares)).toEqual(v.keySet.publicShares);
    expect(() => verifyKeySet(keySet)).not.toThrow();
  });
  for (const name of BACKEND_NAMES) {
    it(`each keyholder answer is reproduced from its share and proof scalar (${name})`, () => {
      const { request } = blindState();
      expect(encodeEvaluationRequest(request)).toEqual(v.request);
      shares.forEach((share, i) => {
        const rng = scalarRng([v.responses[i].proofRandomScalar]);
        expect(encodeEvaluationResponse(evaluateBatch(share, request, rng, backend(name)))).toEqual(
          v.responses[i].response,
        );
      });
    });
  }
  for (const c of v.combinations) {
    it(`shares ${c.shareIndexes.join(',')} combine to the single-key outputs and hub indexes`, () => {
      expect(hexList(lagrangeCoefficientsAtZero(c.shareIndexes))).toEqual(c.lagrangeAtZero);
      const { state, request } = blindState();
      const responses = c.shareIndexes.map((i: number) =>
        decodeEvaluationResponse(v.responses[i - 1].response),
      );
      const outputs = finalizeThresholdBatch(state, responses, keySet);
      expect(hexList(outputs)).toEqual(c.outputs);
      expect(outputs.map((o) => hex(hubIndex(o)))).toEqual(c.hubIndexes);
      const whole = evaluateBatch(key, request, scalarRng([v.responses[0].proofRandomScalar]));
      expect(hexList(finalizeBatch(state, whole, key))).toEqual(c.outputs);
    });
  }
  for (const r of v.rejections) {
    it(`a node rejects the combination when ${r.description} (${r.code})`, () => {
      const { state } = blindState();
      expectCryptoError(
        () =>
          finalizeThresholdBatch(
            state,
            r.responses.map((j: EvaluationResponseJson) => decodeEvaluationResponse(j)),
            keySet,
          ),
        r.code,
        r.field,
      );
    });
  }
}

const RUNNERS: Record<string, (v: any) => void> = {
  'rfc9497-oprf': rfcOprf,
  'rfc9497-voprf': rfcVoprf,
  'spx1-golden-tokens': goldenTokens,
  'spx1-golden-threshold': goldenThreshold,
};

describe('OPRF conformance vectors', () => {
  it('the vector folder holds the RFC 9497 and SPX1 golden files', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const file of files) {
    const vector = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    describe(file, () => {
      it('names a known kind and its source', () => {
        expect(Object.keys(RUNNERS)).toContain(vector.kind);
        expect(typeof vector.source).toBe('string');
      });
      RUNNERS[vector.kind]?.(vector);
    });
  }
});
