/**
 * JSON an operator hands us — a file named on the command line or in configuration, or inline
 * JSON in a setting — read bounded and parsed strictly: a member name repeated within one object
 * is refused as the protocol refuses it in bodies (RFC 7493 §2.3, docs/protocol.md §8.2), so a
 * file that says two things never silently means the last one (JSON.parse keeps the last).
 */
import { findDuplicateMember, MAX_JSON_DEPTH } from '../../protocol/duplicate-members.js';
import { isFileTooLargeError, readFileBounded } from './bounded-read.js';

/** Ample for every JSON file an operator gives us (key sets, JWKs, policies, candidates). */
export const MAX_OPERATOR_JSON_BYTES = 1024 * 1024;

export type JsonInput =
  { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly message: string };

/**
 * Parses `text`: the value, or why not — "not JSON", the repeated member with its path, or
 * nesting deeper than MAX_JSON_DEPTH. The message never quotes the text (it may hold an
 * identifier), only a member path.
 */
export function parseJsonInput(text: string): JsonInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not JSON' };
  }
  const scan = findDuplicateMember(text);
  if (scan.kind === 'duplicate') {
    const path = scan.path.length > 200 ? `${scan.path.slice(0, 199)}…` : scan.path;
    return { ok: false, message: `the member ${path} appears more than once in its object` };
  }
  if (scan.kind === 'too_deep') {
    return { ok: false, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  }
  return { ok: true, json };
}

/**
 * A setting or option that is inline JSON (it starts with `{`) or the path of a JSON file: read
 * bounded (a path to /dev/zero is refused, not read) and parsed as parseJsonInput does.
 */
export async function readJsonInput(
  value: string,
  maxBytes = MAX_OPERATOR_JSON_BYTES,
): Promise<JsonInput> {
  if (value.trimStart().startsWith('{')) return parseJsonInput(value);
  let bytes: Buffer;
  try {
    bytes = await readFileBounded(value, maxBytes);
  } catch (e) {
    if (isFileTooLargeError(e)) {
      return { ok: false, message: `${value} is larger than ${maxBytes} bytes` };
    }
    return { ok: false, message: `cannot read ${value}` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: `${value} is not UTF-8 text` };
  }
  return parseJsonInput(text);
}
