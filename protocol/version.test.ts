import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeOutcome, rejected } from './outcome.js';
import {
  API_PATH_PREFIX,
  CategoryListVersionSchema,
  isSupportedProtocolVersion,
  PROTOCOL_VERSION,
  ProtocolVersionSchema,
} from './version.js';

const Message = z.strictObject({
  v: ProtocolVersionSchema,
  categoryList: CategoryListVersionSchema,
  n: z.int(),
});

describe('protocol version', () => {
  it('is 1, served under /v1', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(API_PATH_PREFIX).toBe(`/v${PROTOCOL_VERSION}`);
    expect(isSupportedProtocolVersion(1)).toBe(true);
    expect(isSupportedProtocolVersion(2)).toBe(false);
  });

  it('reports an unknown version alone, as UNSUPPORTED_VERSION', () => {
    expect(decodeOutcome(Message, { v: 2, categoryList: 9, n: 'x', extra: true })).toEqual(
      rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
    );
  });

  it('reports an unknown category list as UNSUPPORTED_CATEGORY_LIST', () => {
    expect(decodeOutcome(Message, { v: 1, categoryList: 2, n: 'x' })).toEqual(
      rejected('UNSUPPORTED_CATEGORY_LIST', 'categoryList: unsupported_category_list'),
    );
  });

  it('treats a version that is not a positive integer as a validation failure', () => {
    expect(decodeOutcome(Message, { v: '1', categoryList: 1, n: 0 })).toEqual(
      rejected('VALIDATION_FAILED', 'v: invalid_type'),
    );
    expect(decodeOutcome(Message, { v: 0, categoryList: 1, n: 0 })).toEqual(
      rejected('VALIDATION_FAILED', 'v: too_small'),
    );
    expect(decodeOutcome(Message, { categoryList: 1, n: 0 })).toEqual(
      rejected('VALIDATION_FAILED', 'v: required'),
    );
  });
});
