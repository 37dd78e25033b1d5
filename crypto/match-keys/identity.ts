/**
 * A whole identity, normalized field by field (docs/protocol.md §2.6). Every field error is
 * collected, not just the first, because an import reports each bad cell of each row at once.
 */
import { CryptoError, type NormalizationErrorCode } from '../errors.js';
import { trimWhitespace } from '../normalize/character-classes.js';
import { normalizeDob, parseAsOf } from '../normalize/date-of-birth.js';
import {
  normalizeLicenseNumber,
  normalizeLicenseState,
  type LicenseInput,
  type NormalizedLicense,
} from '../normalize/license.js';
import { normalizeFirstName, normalizeLastName } from '../normalize/name.js';
import { normalizeSsn } from '../normalize/ssn.js';

/** A former or other name: a maiden name, a name before or after a marriage, a legal change. */
export interface IdentityAlias {
  /** When absent or blank, the primary first name is used (the usual case for a maiden name). */
  readonly firstName?: string | null;
  readonly lastName: string;
}

export interface Identity {
  readonly firstName: string;
  /** Accepted so whole records can be passed; no v1 key uses it, so it is not examined. */
  readonly middleName?: string | null;
  readonly lastName: string;
  readonly dob?: string | null;
  readonly ssn?: string | null;
  readonly license?: LicenseInput | null;
  readonly aliases?: readonly IdentityAlias[] | null;
}

export interface NormalizedAlias {
  readonly firstName: string;
  readonly lastName: string;
}

export interface NormalizedIdentity {
  readonly firstName: string;
  readonly lastName: string;
  readonly dob: string | undefined;
  readonly ssn: string | undefined;
  readonly license: NormalizedLicense | undefined;
  readonly aliases: readonly NormalizedAlias[];
}

export interface IdentityOptions {
  /** Reference date for the date-of-birth range (§2.3); the clock is never read. */
  readonly asOf: Date | string;
}

export type NormalizationError = CryptoError<NormalizationErrorCode>;

export type NormalizeIdentityResult =
  | { readonly ok: true; readonly identity: NormalizedIdentity }
  | { readonly ok: false; readonly errors: readonly NormalizationError[] };

/** Optional fields: undefined, null, '' and white space only all mean "not recorded". */
function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && trimWhitespace(value) === '')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collect<T>(errors: NormalizationError[], run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    if (e instanceof CryptoError) {
      errors.push(e as NormalizationError);
      return undefined;
    }
    throw e;
  }
}

/**
 * Normalizes every field and reports every field error, in this order: firstName, lastName,
 * dob, ssn, license.state, license.number, then aliases[0].firstName, aliases[0].lastName, ….
 * A value of the wrong JavaScript shape (identity, license or alias not an object, aliases
 * not an array) is a programming error and throws a TypeError.
 */
export function normalizeIdentity(
  identity: Identity,
  options: IdentityOptions,
): NormalizeIdentityResult {
  parseAsOf(options.asOf);
  if (!isObject(identity)) throw new TypeError('identity must be an object');
  const { license, aliases } = identity;
  if (!isBlank(license) && !isObject(license)) throw new TypeError('license must be an object');
  if (!isBlank(aliases) && !Array.isArray(aliases)) throw new TypeError('aliases must be an array');

  const errors: NormalizationError[] = [];
  const firstName = collect(errors, () => normalizeFirstName(identity.firstName, 'firstName'));
  const lastName = collect(errors, () => normalizeLastName(identity.lastName, 'lastName'));
  const dob = isBlank(identity.dob)
    ? undefined
    : collect(errors, () => normalizeDob(identity.dob as string, options, 'dob'));
  const ssn = isBlank(identity.ssn)
    ? undefined
    : collect(errors, () => normalizeSsn(identity.ssn as string, 'ssn'));

  let normalizedLicense: NormalizedLicense | undefined;
  if (isObject(license) && !(isBlank(license.state) && isBlank(license.number))) {
    const state = collect(errors, () => normalizeLicenseState(license.state, 'license.state'));
    const number = collect(errors, () => normalizeLicenseNumber(license.number, 'license.number'));
    if (state !== undefined && number !== undefined) normalizedLicense = { state, number };
  }

  const normalizedAliases: NormalizedAlias[] = [];
  (Array.isArray(aliases) ? aliases : []).forEach((alias: unknown, i) => {
    if (!isObject(alias)) throw new TypeError(`aliases[${i}] must be an object`);
    const aliasFirst = isBlank(alias.firstName)
      ? firstName
      : collect(errors, () =>
          normalizeFirstName(alias.firstName as string, `aliases[${i}].firstName`),
        );
    const aliasLast = collect(errors, () =>
      normalizeLastName(alias.lastName as string, `aliases[${i}].lastName`),
    );
    if (aliasFirst !== undefined && aliasLast !== undefined) {
      normalizedAliases.push({ firstName: aliasFirst, lastName: aliasLast });
    }
  });

  if (errors.length > 0 || firstName === undefined || lastName === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    identity: {
      firstName,
      lastName,
      dob,
      ssn,
      license: normalizedLicense,
      aliases: normalizedAliases,
    },
  };
}
