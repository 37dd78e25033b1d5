import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noteSigner } from '../../crypto/note/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { statementDigest, type CheckAnswer } from '../../protocol/check-answer.js';
import type { CheckRequest } from '../../protocol/check-request.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import { computeVerdict } from '../../protocol/check-verdict.js';
import { examplePolicy } from '../../protocol/test-support/examples.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { signAttestation } from '../clients/test-support/attestations.js';
import { seedFor, signingKeyFor } from '../clients/test-support/deterministic.js';
import { rewrite } from '../tlog/test-support/fake-log.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { tokenizeIdentities } from '../tokenize/tokenize.js';
import { buildCheckRequest } from './build-request.js';
import { CheckError } from './check-error.js';
import { agencyResolver } from './check-candidate.js';
import { verifyCheckAnswer, type VerifyAnswerContext } from './verify-answer.js';

let world: World;
let request: CheckRequest;
let hubKeys: PublicKeyInfo[];
let published: AttestationPayload;

const officer = { firstName: 'Ann', lastName: 'Lee', dob: '1990-01-01', ssn: '123-45-6789' };

beforeAll(async () => {
  world = await createWorld();
  published = await world.publish(world.city, officer);
  await world.publish(world.board, officer, { category: 'decertification' });
  const node = world.node(world.tribal);
  hubKeys = await node.hub.hubKeys();
  const tokens = await tokenizeIdentities([officer], {
    keyholders: node.keyholders,
    rng: node.rng,
    asOf: world.clock.now(),
  });
  const candidate = tokens.identities[0]!;
  if (!candidate.ok) throw new Error('candidate');
  request = buildCheckRequest({
    epoch: tokens.epoch,
    keys: candidate.keys,
    purpose: 'hiring',
    consentRef: 'consent/2025/0042',
    policy: examplePolicy(),
  });
});

beforeEach(() => {
  world.hub.tamper = {};
  world.hub.log.tamper = {};
});

function context(overrides: Partial<VerifyAnswerContext> = {}): VerifyAnswerContext {
  const hub = world.node(world.tribal).hub;
  return {
    request,
    requester: world.tribal.entry.ori,
    hubKeys,
    resolveAgency: agencyResolver(hub),
    ...overrides,
  };
}

async function answer(): Promise<CheckAnswer> {
  return world.node(world.tribal).hub.check(request);
}

async function rejection(promise: Promise<unknown>): Promise<CheckError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CheckError);
  return e as CheckError;
}

/** A hub that lies carefully: it also makes the verdict follow from its false summary. */
function consistent(payload: CheckResponsePayload): CheckResponsePayload {
  const { verdict, reasons } = computeVerdict(payload.matches, payload.policy, payload.checkedAt);
  return { ...payload, verdict, reasons: reasons.map((r) => ({ ...r, reasons: [...r.reasons] })) };
}

describe('verifyCheckAnswer', () => {
  it('accepts an honest answer and returns its verified attestations', async () => {
    const verified = await verifyCheckAnswer(await answer(), context());
    expect(verified.payload.matches).toHaveLength(2);
    expect(verified.attestations.map((a) => a.issuer).sort()).toEqual(['CA0194200', 'CA0340000']);
    expect(verified.attestations).toContainEqual(published);
  });

  it('looks up the issuers of all attestations at once, not one after another', async () => {
    const hub = world.node(world.tribal).hub;
    let inFlight = 0;
    let most = 0;
    const resolveAgency = async (ori: string) => {
      most = Math.max(most, ++inFlight);
      try {
        // Each lookup takes a turn of the event loop (a round trip to the hub, in production).
        await new Promise<void>((resolve) => setImmediate(resolve));
        return await hub.agency(ori);
      } finally {
        inFlight--;
      }
    };
    const verified = await verifyCheckAnswer(await answer(), context({ resolveAgency }));
    expect(verified.attestations).toHaveLength(2);
    expect(most).toBe(2);
  });

  it('rejects an answer that is not { response, attestations }', async () => {
    const e = await rejection(verifyCheckAnswer({ response: 'x' }, context()));
    expect(e.code).toBe('ANSWER_MALFORMED');
  });

  it('rejects a response whose hub signature does not verify', async () => {
    world.hub.tamper.answer = (a) => {
      const [h, p, s] = a.response.split('.') as [string, string, string];
      const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      return { ...a, response: `${h}.${p}.${flipped}` };
    };
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.signatureCode, e.field]).toEqual([
      'HUB_SIGNATURE_INVALID',
      'SIG_BAD_SIGNATURE',
      'response',
    ]);
  });

  it('rejects a response signed by a key that is not the hub’s', async () => {
    const other = await signingKeyFor('impostor-hub');
    const e = await rejection(
      verifyCheckAnswer(
        await answer(),
        context({ hubKeys: [{ kid: other.kid, publicJwk: other.publicJwk }] }),
      ),
    );
    expect([e.code, e.signatureCode]).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_UNKNOWN_KEY']);
  });

  it('rejects another kind of statement passed off as the response', async () => {
    world.hub.tamper.answer = (a) => ({ ...a, response: a.attestations[0]! });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.signatureCode]).toEqual(['HUB_SIGNATURE_INVALID', 'SIG_TYP_MISMATCH']);
  });

  it('rejects a signed verdict that does not follow from the matches and policy', async () => {
    world.hub.tamper.payload = (p) => ({ ...p, verdict: 'no_record' });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.field]).toEqual(['VERDICT_MISMATCH', 'verdict']);

    world.hub.tamper.payload = (p) => ({
      ...p,
      reasons: p.reasons.map((r) => ({ ...r, effect: 'review' as const })),
    });
    expect((await rejection(verifyCheckAnswer(await answer(), context()))).code).toBe(
      'VERDICT_MISMATCH',
    );
  });

  it('rejects a signed payload that breaks the response schema', async () => {
    world.hub.tamper.payload = (p) => ({ ...p, v: 2 });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.field]).toEqual(['RESPONSE_INVALID', 'v']);
  });

  it('rejects a response to another request or requester', async () => {
    world.hub.tamper.payload = (p) => ({ ...p, consentRef: 'consent/2025/0001' });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.field]).toEqual(['RESPONSE_NOT_FOR_REQUEST', 'consentRef']);

    world.hub.tamper = {};
    const honest = await answer();
    const other = await rejection(verifyCheckAnswer(honest, context({ requester: 'CA0194200' })));
    expect([other.code, other.field]).toEqual(['RESPONSE_NOT_FOR_REQUEST', 'requester']);
    const dropped = { ...request, keys: request.keys.slice(1) };
    const keys = await rejection(verifyCheckAnswer(honest, context({ request: dropped })));
    expect([keys.code, keys.field]).toEqual(['RESPONSE_NOT_FOR_REQUEST', 'keys']);
  });

  it('rejects attestations that are not the ones the response lists by digest', async () => {
    world.hub.tamper.answer = (a) => ({ ...a, attestations: [...a.attestations].reverse() });
    const swapped = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([swapped.code, swapped.field]).toEqual([
      'ATTESTATION_DIGEST_MISMATCH',
      'attestations[0]',
    ]);

    world.hub.tamper.answer = (a) => ({ ...a, attestations: a.attestations.slice(1) });
    const dropped = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([dropped.code, dropped.field]).toEqual(['ATTESTATION_DIGEST_MISMATCH', 'attestations']);
  });

  it('rejects an attestation not signed by its issuer, even with a matching digest', async () => {
    const honest = await verifyCheckAnswer(await answer(), context());
    const position = honest.payload.matches.findIndex((m) => m.attestationId === published.id);
    // The board forges a statement in the city's name; the hub lists it with its true digest
    // and a summary and verdict that agree with it.
    const forged = await signAttestation(world.board, { ...published, category: 'suspension' });
    world.hub.tamper.payload = (p) =>
      consistent({
        ...p,
        matches: p.matches.map((m, i) =>
          i === position
            ? { ...m, category: 'suspension', attestationDigest: statementDigest(forged) }
            : m,
        ),
      });
    world.hub.tamper.answer = (a) => ({
      ...a,
      attestations: a.attestations.map((jws, i) => (i === position ? forged : jws)),
    });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.signatureCode, e.field]).toEqual([
      'ATTESTATION_SIGNATURE_INVALID',
      'SIG_UNKNOWN_KEY',
      `attestations[${position}]`,
    ]);
  });

  it('rejects an attestation whose issuer is not in the registry', async () => {
    const e = await rejection(
      verifyCheckAnswer(await answer(), context({ resolveAgency: () => undefined })),
    );
    expect([e.code, e.field]).toEqual(['ATTESTATION_ISSUER_UNKNOWN', 'attestations[0].issuer']);
  });

  it('rejects a summary that misstates the signed attestation, even with a consistent verdict', async () => {
    world.hub.tamper.payload = (p) =>
      consistent({
        ...p,
        matches: p.matches.map((m) => ({ ...m, category: 'suspension' as const })),
      });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.field]).toEqual(['MATCH_MISMATCH', 'matches[0].category']);

    world.hub.tamper.payload = (p) =>
      consistent({
        ...p,
        matches: p.matches.map((m) => ({ ...m, matchedKinds: ['ssn'], strength: 'strong' })),
      });
    const kinds = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([kinds.code, kinds.field]).toEqual(['MATCH_MISMATCH', 'matches[0].matchedKinds']);
  });

  it('still verifies an attestation signed with a key its issuer has since retired', async () => {
    const newKey = await signingKeyFor('world-city-rotated');
    const city = world.registry[0]!;
    const saved = city.keys;
    city.keys = [
      { ...saved[0]!, status: 'retired' },
      { kid: newKey.kid, status: 'active', jwk: newKey.publicJwk },
    ];
    try {
      const honest = await answer();
      const verified = await verifyCheckAnswer(honest, context());
      expect(verified.attestations).toContainEqual(published);
    } finally {
      city.keys = saved;
    }
  });
});

describe('verifyCheckAnswer: the transparency-log evidence', () => {
  it('returns the verified checkpoint the attestations were proved in', async () => {
    const verified = await verifyCheckAnswer(await answer(), context());
    expect([verified.checkpoint.origin, verified.checkpoint.size]).toEqual([
      world.hub.log.origin,
      world.hub.log.size(),
    ]);
  });

  it('rejects a checkpoint not signed by the hub, or of another log than ours', async () => {
    world.hub.log.tamper.signer = noteSigner(world.hub.log.origin, seedFor('impostor'));
    const unsigned = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([unsigned.code, unsigned.field]).toEqual(['LOG_CHECKPOINT_INVALID', 'log.checkpoint']);
    world.hub.log.tamper = {};
    const other = await rejection(
      verifyCheckAnswer(await answer(), context({ logOrigin: 'another.test/log' })),
    );
    expect([other.code, other.errors[0]?.code]).toEqual(['LOG_CHECKPOINT_INVALID', 'mismatch']);
  });

  it('rejects an inclusion proof that belongs to another attestation', async () => {
    world.hub.tamper.answer = (a) => ({
      ...a,
      log: { ...a.log, inclusions: [...a.log.inclusions].reverse() },
    });
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect([e.code, e.field]).toEqual(['LOG_INCLUSION_INVALID', 'log.inclusions[0]']);
  });

  it('rejects an attestation that is not in the log the hub signed (altered in its log)', async () => {
    world.hub.log.tamper.leaves = rewrite.alterLeaf(0);
    const e = await rejection(verifyCheckAnswer(await answer(), context()));
    expect(e.code).toBe('LOG_INCLUSION_INVALID');
  });
});
