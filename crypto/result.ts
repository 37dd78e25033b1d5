/**
 * The one result type of verifiers and parsers that report rather than throw (STYLE.md: a
 * verifier returns its verdict, it does not throw): `{ ok: true, value }` or `{ ok: false,
 * error }`, the error a `Failure` — a stable code, and the field at fault when there is one.
 * Thrown errors are CodedError (errors.ts) with the same `code` and `field`.
 */

export interface Failure<C extends string = string> {
  readonly code: C;
  /** The input at fault, when there is one (e.g. `keys[1].x`, `proof`). */
  readonly field?: string | undefined;
  readonly message?: string | undefined;
}

export type Result<T, E = Failure> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
