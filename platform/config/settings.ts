/**
 * Settings tables: each service declares its environment variables once — name, parser, default,
 * unit, one line of documentation, whether the value is secret, and any deprecated names — and
 * the same table is what `parseSettings` reads and what docs/configuration.md is generated from
 * (bin/config-docs.ts), so the reference cannot drift from the code.
 *
 * A default is the text an operator would write, parsed like a value: the reference shows
 * exactly what to type, and a default outside its own bounds fails every parse at once.
 *
 * A deprecated name is read when the current name is unset; both set to different values is an
 * error naming both. The warning that a deprecated name is in use is the caller's to print
 * (`deprecatedNamesIn`): parsing stays pure.
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue, type Env } from './config.js';

/** Units that a setting's name must end with (`_MS`, `_SECONDS`, `_MINUTES`, `_HOURS`, `_DAYS`, `_BYTES`). */
export type SettingUnit = 'ms' | 'seconds' | 'minutes' | 'hours' | 'days' | 'bytes';

export const UNIT_SUFFIX: Readonly<Record<SettingUnit, string>> = {
  ms: '_MS',
  seconds: '_SECONDS',
  minutes: '_MINUTES',
  hours: '_HOURS',
  days: '_DAYS',
  bytes: '_BYTES',
};

interface SettingBase<T> {
  /** Parses the variable's text (never an empty string: empty counts as unset). */
  readonly schema: z.ZodType<T, string>;
  /** One line for the reference: what the setting does, with its range when not obvious. */
  readonly doc: string;
  readonly unit?: SettingUnit;
  /** The value grants access or holds credentials: never log or print it. */
  readonly secret?: boolean;
  /** Earlier names, still read with a warning, for the settings that were renamed. */
  readonly deprecatedNames?: readonly string[];
}

export interface RequiredSetting<T> extends SettingBase<T> {
  readonly required: true;
}

export interface DefaultedSetting<T> extends SettingBase<T> {
  /** Used, and parsed, when the variable is unset. */
  readonly default: string;
}

export interface OptionalSetting<T> extends SettingBase<T> {
  /** For the reference: what happens when the variable is unset (default: nothing is used). */
  readonly whenUnset?: string;
}

export type Setting<T> = RequiredSetting<T> | DefaultedSetting<T> | OptionalSetting<T>;

export type Settings = Readonly<Record<string, Setting<unknown>>>;

/** A variable's parsed value: present when required or defaulted, else possibly undefined. */
type ValueOf<S> = S extends { readonly schema: z.ZodType<infer T, string> }
  ? S extends { readonly required: true } | { readonly default: string }
    ? T
    : T | undefined
  : never;

export type SettingsValues<D extends Settings> = { readonly [K in keyof D]: ValueOf<D[K]> };

/** Keeps each declaration's literal type, so the values' types follow `required`/`default`. */
export function defineSettings<const D extends Settings>(settings: D): D {
  return settings;
}

export type SettingsRefinement<D extends Settings> = (
  values: SettingsValues<D>,
  ctx: z.RefinementCtx,
) => void;

const present = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/**
 * Reads `settings` from `env`: empty counts as unset, deprecated names stand in for unset
 * current ones, defaults fill the rest, and `refine` adds rules across variables. Throws
 * ConfigError (CONFIG_INVALID) naming every bad variable at once, never with a value.
 */
export function parseSettings<D extends Settings>(
  settings: D,
  env: Env,
  refine?: SettingsRefinement<D>,
): SettingsValues<D> {
  const issues: ConfigIssue[] = [];
  const given: Record<string, string> = {};
  // An error names the variable the operator set, which may be a deprecated name.
  const setAs: Record<string, string> = {};
  const input: Record<string, string> = {};
  const shape: Record<string, z.ZodType> = {};
  for (const [name, setting] of Object.entries(settings)) {
    let value = present(env[name]);
    let source = name;
    for (const old of setting.deprecatedNames ?? []) {
      const oldValue = present(env[old]);
      if (oldValue === undefined) continue;
      if (value === undefined) {
        value = oldValue;
        source = old;
      } else if (value !== oldValue) {
        issues.push({
          variable: name,
          code: 'conflict',
          message: `set as ${source} and as ${old} (deprecated) with different values: keep ${name} only`,
        });
      }
    }
    if (value !== undefined) given[name] = value;
    if (source !== name) setAs[name] = source;
    const fallback = 'default' in setting ? setting.default : undefined;
    if (value !== undefined || fallback !== undefined) input[name] = value ?? fallback ?? '';
    shape[name] =
      'required' in setting || 'default' in setting ? setting.schema : setting.schema.optional();
  }
  const base = z.object(shape);
  const schema = refine
    ? base.superRefine((values, ctx) => refine(values as SettingsValues<D>, ctx))
    : base;
  const result = schema.safeParse(input);
  if (!result.success) issues.push(...issuesOf(result.error, given, setAs));
  if (issues.length > 0) throw new ConfigError(dedupe(issues));
  return result.data as SettingsValues<D>;
}

function issuesOf(
  error: z.ZodError,
  given: Readonly<Record<string, string>>,
  setAs: Readonly<Record<string, string>>,
): ConfigIssue[] {
  return error.issues.map((issue) => {
    const first = issue.path[0];
    const name = typeof first === 'string' ? first : '(config)';
    const variable = setAs[name] ?? name;
    const missing = name !== '(config)' && !(name in given) && issue.code === 'invalid_type';
    return missing
      ? { variable, code: 'required', message: 'is required' }
      : { variable, code: issue.code, message: issue.message };
  });
}

/** One line per variable and rule: zod may report a variable twice through unions. */
function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.variable}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface DeprecatedNameUse {
  /** The deprecated name found in the environment. */
  readonly name: string;
  /** The name to use instead. */
  readonly replacement: string;
}

/** Deprecated names set (non-empty) in `env`, in table order: for a start-up warning. */
export function deprecatedNamesIn(settings: Settings, env: Env): DeprecatedNameUse[] {
  const uses: DeprecatedNameUse[] = [];
  for (const [replacement, setting] of Object.entries(settings)) {
    for (const name of setting.deprecatedNames ?? []) {
      if (present(env[name]) !== undefined) uses.push({ name, replacement });
    }
  }
  return uses;
}
