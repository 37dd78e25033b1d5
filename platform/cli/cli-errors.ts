/**
 * How a service's CLI commands end in failure: the one mapping from errors to the CliError that
 * bin/spx.ts prints as `spx: CODE: message`. Configuration and platform errors, and the errors
 * of the service's own domain, keep their code; anything else (a bug, a database statement that
 * failed) is left as it is, for bin/spx.ts to print as INTERNAL_ERROR without its message.
 */
import type { CodedError } from '../../crypto/errors.js';
import { isConfigError } from '../config/config.js';
import { isPlatformError } from '../errors.js';
import { CliError } from './cli-io.js';

/** Which errors are the service's own domain errors (NodeError, KeyholderError, …). */
export type DomainErrorGuard = (e: unknown) => e is CodedError;

/**
 * A service's own rendering of some errors (e.g. the node CLI prints a refusal's field errors
 * line by line); `undefined` leaves the error to the common mapping.
 */
export type CliErrorRendering = (e: unknown) => CliError | undefined;

/** The CliError for `e`: the field first when the message does not already name it. */
export function toCliError(
  e: unknown,
  isDomainError: DomainErrorGuard,
  render?: CliErrorRendering,
): unknown {
  if (e instanceof CliError) return e;
  const rendered = render?.(e);
  if (rendered !== undefined) return rendered;
  if (isConfigError(e)) {
    return new CliError(e.code, e.issues.map((i) => `${i.variable}: ${i.message}`).join('; '));
  }
  if (isPlatformError(e) || isDomainError(e)) {
    const prefix = e.field && !e.message.includes(e.field) ? `${e.field}: ` : '';
    return new CliError(e.code, `${prefix}${e.message}`);
  }
  return e;
}

/** Wraps a command's action so that its failures go through toCliError. */
export function cliRunner(isDomainError: DomainErrorGuard, render?: CliErrorRendering) {
  return <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await fn(...args);
      } catch (e) {
        throw toCliError(e, isDomainError, render);
      }
    };
}
