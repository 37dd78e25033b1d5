/**
 * The rejection cases of the SPX1 golden vectors: honest responses, mutated, and the error
 * code and field a node MUST answer with (docs/protocol.md §4.9).
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { numberToBytesLE } from '@noble/curves/utils.js';
import { fromBase64url, toBase64url } from '../../../crypto/encoding.js';
import type { EvaluationResponseJson } from '../../../crypto/oprf/index.js';

const ELL = ristretto255.Point.Fn.ORDER;

function flipBit(b64: string, byte: number, bit = 0): string {
  const bytes = fromBase64url(b64)!.slice();
  bytes[byte]! ^= 1 << bit;
  return toBase64url(bytes);
}

/** Rejection cases: one honest response, mutated, and what a node MUST answer. */
export function responseRejections(good: EvaluationResponseJson, otherKey: EvaluationResponseJson) {
  const ev = good.evaluatedElements;
  const ellLE = numberToBytesLE(ELL, 32);
  const proofBytes = fromBase64url(good.proof)!;
  const cases: [string, EvaluationResponseJson, string, string][] = [
    [
      'one evaluated element missing',
      { ...good, evaluatedElements: ev.slice(1) },
      'OPRF_BATCH_SIZE',
      'evaluatedElements',
    ],
    [
      'one evaluated element too many',
      { ...good, evaluatedElements: [...ev, ev[0]!] },
      'OPRF_BATCH_SIZE',
      'evaluatedElements',
    ],
    [
      'no evaluated elements',
      { ...good, evaluatedElements: [] },
      'OPRF_BATCH_SIZE',
      'evaluatedElements',
    ],
    [
      'evaluated element is the identity (32 zero bytes)',
      { ...good, evaluatedElements: [toBase64url(new Uint8Array(32)), ...ev.slice(1)] },
      'OPRF_ELEMENT_INVALID',
      'evaluatedElements[0]',
    ],
    [
      'evaluated element is not a canonical ristretto255 encoding',
      { ...good, evaluatedElements: [toBase64url(new Uint8Array(32).fill(0xff)), ...ev.slice(1)] },
      'OPRF_ELEMENT_INVALID',
      'evaluatedElements[0]',
    ],
    [
      'evaluated element is 31 bytes',
      {
        ...good,
        evaluatedElements: [toBase64url(fromBase64url(ev[0]!)!.subarray(1)), ...ev.slice(1)],
      },
      'OPRF_ELEMENT_INVALID',
      'evaluatedElements[0]',
    ],
    [
      'evaluated element in padded base64',
      { ...good, evaluatedElements: [`${ev[0]!}=`, ...ev.slice(1)] },
      'OPRF_ELEMENT_INVALID',
      'evaluatedElements[0]',
    ],
    [
      'evaluated elements swapped',
      { ...good, evaluatedElements: [ev[1]!, ev[0]!, ...ev.slice(2)] },
      'OPRF_PROOF_INVALID',
      'proof',
    ],
    [
      'one bit of the proof flipped',
      { ...good, proof: flipBit(good.proof, 0) },
      'OPRF_PROOF_INVALID',
      'proof',
    ],
    [
      'proof scalar s not canonical (s = ℓ)',
      { ...good, proof: toBase64url(new Uint8Array([...proofBytes.subarray(0, 32), ...ellLE])) },
      'OPRF_PROOF_INVALID',
      'proof',
    ],
    [
      'proof is 63 bytes',
      { ...good, proof: toBase64url(proofBytes.subarray(1)) },
      'OPRF_PROOF_INVALID',
      'proof',
    ],
    ['proof missing (empty)', { ...good, proof: '' }, 'OPRF_PROOF_INVALID', 'proof'],
    [
      'evaluated by another key, with a valid proof for that key',
      otherKey,
      'OPRF_PROOF_INVALID',
      'proof',
    ],
    ['response names another epoch', { ...good, epoch: 2 }, 'OPRF_KEY_INVALID', 'epoch'],
    [
      'response names share index 2 for a whole key',
      { ...good, shareIndex: 2 },
      'OPRF_KEY_INVALID',
      'shareIndex',
    ],
  ];
  return cases.map(([description, response, code, field]) => ({
    description,
    response,
    code,
    field,
  }));
}

/**
 * A flipped bit that still decodes to a valid element (invalid encodings are covered by the
 * single-key rejections): only the share's proof can catch it.
 */
function flippedElementCase(first: EvaluationResponseJson, share: EvaluationResponseJson) {
  const original = share.evaluatedElements[0]!;
  for (let position = 0; position < 256; position++) {
    const flipped = flipBit(original, position >> 3, position & 7);
    try {
      ristretto255.Point.fromBytes(fromBase64url(flipped)!);
    } catch {
      continue;
    }
    return {
      description: `bit ${position} of a share element flipped (still a valid element)`,
      responses: [
        first,
        { ...share, evaluatedElements: [flipped, ...share.evaluatedElements.slice(1)] },
      ],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[1].proof',
    };
  }
  throw new Error('no single-bit flip decodes');
}

export function thresholdRejections(
  r1: EvaluationResponseJson,
  r2: EvaluationResponseJson,
  r3: EvaluationResponseJson,
) {
  return [
    {
      description: 'fewer than t responses',
      responses: [r1],
      code: 'OPRF_THRESHOLD',
      field: 'responses',
    },
    {
      description: 'the same share twice',
      responses: [r1, r1],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[1].shareIndex',
    },
    {
      description: 'share index outside 1..n',
      responses: [r1, { ...r2, shareIndex: 4 }],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[1].shareIndex',
    },
    {
      description: "share 2's answer labelled as share 3",
      responses: [r1, { ...r2, shareIndex: 3 }],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[1].proof',
    },
    {
      description: 'one bit of a share proof flipped',
      responses: [{ ...r1, proof: flipBit(r1.proof, 1) }, r3],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[0].proof',
    },
    flippedElementCase(r1, r3),
    {
      description: 'a share answering for another epoch',
      responses: [r1, { ...r2, epoch: 2 }],
      code: 'OPRF_SHARE_INVALID',
      field: 'responses[1].epoch',
    },
    {
      description: 'a share with one element missing',
      responses: [r1, { ...r2, evaluatedElements: r2.evaluatedElements.slice(1) }],
      code: 'OPRF_BATCH_SIZE',
      field: 'responses[1].evaluatedElements',
    },
  ];
}
