import { ed25519 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../crypto/encoding.js';
import {
  cosignCheckpoint,
  noteSigner,
  parseSignedNote,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  verifyCosignedCheckpoint,
  verifyNote,
} from '../../crypto/note/index.js';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';
import { ProtocolError } from '../../protocol/decode.js';
import { witnessKeyName } from '../../protocol/tlog.js';
import {
  isLogOrigin,
  logVerifierKey,
  signCheckpoint,
  withCosignatures,
} from './checkpoint-note.js';
import { checkCosignature, type CosignatureInput } from './cosignature-check.js';

const ORIGIN = 'hub.test/log';
const HUB_SEED = new Uint8Array(32).fill(0xaa);
const WITNESS_SEED = new Uint8Array(32).fill(0x33);
const ORI = 'CA0194200';
const ROOT = new Uint8Array(32).fill(9);
const NOW = new Date('2026-05-01T12:00:00Z');
const T = NOW.getTime() / 1000;
const witnessX = toBase64url(ed25519.getPublicKey(WITNESS_SEED));

async function note(size = 5) {
  return signCheckpoint(ORIGIN, size, ROOT, await signingKeyFromSeed(HUB_SEED));
}

function cosign(noteText: string, seed = WITNESS_SEED, name = witnessKeyName(ORI), at = T) {
  const signer = noteSigner(name, seed, SIGNATURE_TYPE_COSIGNATURE_V1);
  return cosignCheckpoint(parseSignedNote(noteText).text, signer, at);
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return `${e.code} ${e.field}`;
    throw e;
  }
  return 'accepted';
}

describe('hub checkpoints', () => {
  it('are C2SP checkpoints signed as a note under the origin, as crypto/note would sign them', async () => {
    const signed = await note();
    const key = await signingKeyFromSeed(HUB_SEED);
    expect(
      signed.startsWith(`${ORIGIN}\n5\n${Buffer.from(ROOT).toString('base64')}\n\n— ${ORIGIN} `),
    ).toBe(true);
    const verified = verifyNote(signed, [logVerifierKey(ORIGIN, key.publicJwk)]);
    expect(verified.ok).toBe(true);
    // Ed25519 is deterministic: WebCrypto's signature is noble's.
    expect(signed).toBe(signNote(parseSignedNote(signed).text, [noteSigner(ORIGIN, HUB_SEED)]));
  });

  it('carry witness cosignatures that a k-of-n verifier counts', async () => {
    const signed = await note();
    const key = await signingKeyFromSeed(HUB_SEED);
    const served = withCosignatures(signed, [cosign(signed)]);
    const witness = noteSigner(witnessKeyName(ORI), WITNESS_SEED, SIGNATURE_TYPE_COSIGNATURE_V1);
    const result = verifyCosignedCheckpoint(served, {
      logKey: logVerifierKey(ORIGIN, key.publicJwk),
      witnesses: [witness.key],
      quorum: 1,
    });
    expect(result.ok && result.value.checkpoint.size).toBe(5);
  });

  it('have an origin that is a bare host and path', () => {
    expect(isLogOrigin('spx.invalid/hub-log')).toBe(true);
    expect(isLogOrigin('hub.example.gov:8443/spx/log')).toBe(true);
    expect(isLogOrigin('https://hub.example.gov')).toBe(false);
    expect(isLogOrigin('hub.example.gov/a+b')).toBe(false);
    expect(isLogOrigin(`${'a'.repeat(250)}.gov/log`)).toBe(false);
  });
});

describe('checkCosignature', () => {
  let issued: string;
  let base: CosignatureInput;
  beforeAll(async () => {
    issued = await note();
    base = { checkpointNote: issued, line: '', ori: ORI, activeKeys: [witnessX], now: NOW };
  });
  const check = (line: string) => refusal(() => checkCosignature({ ...base, line }));

  it('accepts the witness agency’s cosignature of the issued checkpoint, with or without newline', () => {
    const line = cosign(issued);
    expect(checkCosignature({ ...base, line })).toEqual({
      keyName: `spx-witness/${ORI}`,
      line,
      timestamp: T,
    });
    expect(checkCosignature({ ...base, line: line.trimEnd() }).line).toBe(line);
  });

  it('refuses a cosignature of another checkpoint, by another key or name, or from the future', async () => {
    expect(check(cosign(await note(6)))).toBe('SIG_BAD_SIGNATURE cosignature');
    expect(check(cosign(issued, new Uint8Array(32).fill(0x44)))).toBe(
      'SIG_UNKNOWN_KEY cosignature',
    );
    expect(check(cosign(issued, WITNESS_SEED, witnessKeyName('NY0000001')))).toBe(
      'SIG_UNKNOWN_KEY cosignature',
    );
    expect(check(cosign(issued, WITNESS_SEED, witnessKeyName(ORI), T + 3600))).toBe(
      'VALIDATION_FAILED cosignature',
    );
    // The agency's key is known, but under type 0x04 only: its plain signature does not count.
    const plain = signNote(parseSignedNote(issued).text, [
      noteSigner(witnessKeyName(ORI), WITNESS_SEED),
    ]);
    expect(check(plain.slice(plain.lastIndexOf('\n\n') + 2))).toBe('SIG_UNKNOWN_KEY cosignature');
  });

  it('refuses what is not one signature line', () => {
    for (const junk of ['— x', 'hello', `${cosign(issued)}${cosign(issued)}`]) {
      expect(check(junk), junk).toBe('SIG_MALFORMED cosignature');
    }
  });
});
