/**
 * Service configuration, parsed once (house style: papra). A service declares its environment
 * variables in a settings table (settings.ts) built from the parsers below, and its composition
 * root parses `process.env` with it; everything below takes the parsed result. Library code never
 * reads `process.env` itself.
 *
 * Every bad variable is reported at once (an operator fixes a deployment in one round), named,
 * and without its value: values may be secrets.
 */
import { z } from 'zod';
import { PlatformError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigIssue {
  /** The environment variable at fault, or `(config)` for a rule about the whole. */
  readonly variable: string;
  /** `required`, `conflict` (a deprecated name disagrees), or zod's issue code (`invalid_type`, `too_small`, `invalid_format`, `custom`…). */
  readonly code: string;
  readonly message: string;
}

export class ConfigError extends PlatformError<'CONFIG_INVALID'> {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      'CONFIG_INVALID',
      `invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`,
      { field: issues[0]?.variable },
    );
    this.issues = issues;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}

/** A decimal integer in [min, max]; rejects `1e3`, `0x50`, ` 8 ` that Number() would accept. */
export function envInteger(options: { min?: number; max?: number } = {}) {
  return z
    .string()
    .regex(/^-?\d{1,15}$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(options.min ?? Number.MIN_SAFE_INTEGER)
        .max(options.max ?? Number.MAX_SAFE_INTEGER),
    );
}

/** A TCP port, 1–65535. */
export function envPort() {
  return envInteger({ min: 1, max: 65535 });
}

/** true/false, 1/0, yes/no, on/off (zod's stringbool, case-insensitive). */
export function envBoolean() {
  return z.stringbool();
}

/** An absolute URL whose scheme is one of `protocols` (without the colon). */
export function envUrl(protocols: readonly string[]) {
  const allowed = new RegExp(
    `^(${protocols.map((p) => p.replace(/[^a-z0-9+.-]/gi, '')).join('|')})$`,
  );
  return z.url({ protocol: allowed, message: `must be a ${protocols.join(' or ')} URL` });
}

/** A comma-separated list; items are trimmed and empty items dropped. */
export function envList() {
  return z.string().transform((s) =>
    s
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}
