import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { HUB_INDEX_LABEL, deriveFromOutput, hubIndex } from './hub-index.js';

describe('hub index', () => {
  it('is HKDF-SHA256 of the output with salt "SPX1 oprf-output" and info "SPX1 hub-index"', () => {
    const output = randomBytes(64);
    const expected = hkdf(sha256, output, utf8('SPX1 oprf-output'), utf8('SPX1 hub-index'), 32);
    expect(hubIndex(output)).toEqual(expected);
    expect(hubIndex(output)).toHaveLength(32);
    expect(deriveFromOutput(output, HUB_INDEX_LABEL)).toEqual(expected);
  });

  it('gives independent values for other labels and other outputs', () => {
    const output = randomBytes(64);
    expect(deriveFromOutput(output, 'SPX1 verifiable-map')).not.toEqual(hubIndex(output));
    expect(hubIndex(randomBytes(64))).not.toEqual(hubIndex(output));
  });

  it('rejects an output that is not 64 bytes', () => {
    expect(errorOf(() => hubIndex(randomBytes(32)))).toEqual(['OPRF_INPUT_INVALID', 'output']);
  });

  it.each(['hub-index', 'SPX1 ', 'SPX1 Hub Index', 'spx1 hub-index'])('rejects label %j', (l) => {
    expect(errorOf(() => deriveFromOutput(randomBytes(64), l))).toEqual([
      'OPRF_INPUT_INVALID',
      'label',
    ]);
  });
});
