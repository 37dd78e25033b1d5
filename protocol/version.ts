/**
 * Versions (docs/protocol.md §8.4). Signed statements carry the protocol version in `v`;
 * unsigned request and response bodies are versioned by the URL path prefix. Attestations and
 * check policies also name the category list version they were written against.
 *
 * A receiver MUST reject a statement whose `v` it does not support (UNSUPPORTED_VERSION) and
 * one whose category list version it does not support (UNSUPPORTED_CATEGORY_LIST), rather than
 * guess at fields it does not know.
 */
import { z } from 'zod';
import { addIssue } from './common.js';
import { SUPPORTED_CATEGORY_LIST_VERSIONS } from './categories.js';

export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];
/** HTTP path prefix of every endpoint speaking this protocol version. */
export const API_PATH_PREFIX = '/v1';

export {
  CURRENT_CATEGORY_LIST_VERSION,
  SUPPORTED_CATEGORY_LIST_VERSIONS,
  isSupportedCategoryList,
} from './categories.js';

export function isSupportedProtocolVersion(v: number): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(v);
}

/**
 * The `v` member of a signed statement. Any positive integer parses as a version so that an
 * unknown one is reported as `unsupported_version` (→ UNSUPPORTED_VERSION), not as a type error.
 */
export const ProtocolVersionSchema = z
  .int()
  .min(1)
  .max(65_535)
  .superRefine((v, ctx) => {
    if (!isSupportedProtocolVersion(v)) {
      addIssue(ctx, 'unsupported_version', [], `protocol version ${v} is not supported`);
    }
  });

/** A `categoryList` member; unknown versions → `unsupported_category_list`. */
export const CategoryListVersionSchema = z
  .int()
  .min(1)
  .max(65_535)
  .superRefine((v, ctx) => {
    if (!SUPPORTED_CATEGORY_LIST_VERSIONS.includes(v)) {
      addIssue(ctx, 'unsupported_category_list', [], `category list ${v} is not supported`);
    }
  });
