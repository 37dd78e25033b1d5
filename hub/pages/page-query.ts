/**
 * Query parameters of the public pages: each page names the parameters it knows and how to read
 * them; anything else — an unknown name, a repeated one, a value out of bounds — is refused with
 * 400 and the field named (VALIDATION_FAILED, as the JSON routes refuse), never ignored.
 */
import { ProtocolError } from '../../protocol/decode.js';
import type { FieldErrorCode } from '../../protocol/problem.js';

/** Reads one value, or returns the message that says what it must be. */
export type ParamReader<T> = (
  value: string,
) => { ok: true; value: T } | { ok: false; message: string };

/** A value's longest accepted text: every parameter here is a short code or number. */
const MAX_VALUE_LENGTH = 64;

export function parsePageQuery<S extends Record<string, ParamReader<unknown>>>(
  queries: Record<string, string[]>,
  spec: S,
): { [K in keyof S]?: S[K] extends ParamReader<infer T> ? T : never } {
  const out: Record<string, unknown> = {};
  const known = Object.keys(spec);
  for (const [name, values] of Object.entries(queries)) {
    const reader = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (reader === undefined) {
      const message =
        known.length === 0 ? 'this page takes no parameters' : `known: ${known.join(', ')}`;
      throw invalid(name.slice(0, MAX_VALUE_LENGTH), 'unknown_field', message);
    }
    if (values.length > 1) throw invalid(name, 'duplicate', `${name} may be given once`);
    const text = values[0] ?? '';
    if (text === '') continue;
    const read = text.length > MAX_VALUE_LENGTH ? undefined : reader(text);
    if (read === undefined || !read.ok) {
      throw invalid(name, 'invalid_value', read?.message ?? `${name} is too long`);
    }
    out[name] = read.value;
  }
  return out as { [K in keyof S]?: S[K] extends ParamReader<infer T> ? T : never };
}

function invalid(field: string, code: FieldErrorCode, message: string): ProtocolError {
  return new ProtocolError('VALIDATION_FAILED', `${field}: ${message}`, {
    errors: [{ field, code, message }],
  });
}

/** A whole number in [min, max]. */
export function integerParam(min: number, max: number): ParamReader<number> {
  return (text) =>
    /^[0-9]{1,9}$/.test(text) && Number(text) >= min && Number(text) <= max
      ? { ok: true, value: Number(text) }
      : { ok: false, message: `a whole number from ${min} to ${max}` };
}

/** One of a fixed list. */
export function oneOfParam<T extends string>(values: readonly T[]): ParamReader<T> {
  return (text) =>
    (values as readonly string[]).includes(text)
      ? { ok: true, value: text as T }
      : { ok: false, message: `one of ${values.join(', ')}` };
}
