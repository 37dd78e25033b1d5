/**
 * Conformance: runs every case of every JSON file in test/vectors/normalization/ against the
 * implementation. The files are hand-written from docs/protocol.md §2 (see the README there);
 * a file whose `kind` this runner does not know fails the suite rather than being skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../crypto/errors.js';
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import {
  normalizeDob,
  normalizeFirstName,
  normalizeLastName,
  normalizeLicenseNumber,
  normalizeLicenseState,
  normalizeSsn,
} from '../../crypto/normalize/index.js';

const DIR = join(import.meta.dirname, '..', 'vectors', 'normalization');

interface ExpectedError {
  code: string;
  field: string | null;
}

interface Case {
  description: string;
  input?: unknown;
  name?: 'first' | 'last';
  asOf?: string;
  identity?: Identity;
  expected?: unknown;
  error?: ExpectedError;
  errors?: ExpectedError[];
}

interface VectorFile {
  kind: string;
  description: string;
  source: string;
  cases: Case[];
}

function errorsOf(run: () => unknown): ExpectedError[] {
  try {
    run();
    return [];
  } catch (e) {
    if (e instanceof CryptoError) return [{ code: e.code, field: e.field ?? null }];
    throw e;
  }
}

/** Either the value or the errors, so a case that expects one and gets the other fails clearly. */
function outcome(run: () => unknown): { value: unknown } | { errors: ExpectedError[] } {
  const errors: ExpectedError[] = [];
  let value: unknown;
  errors.push(...errorsOf(() => (value = run())));
  return errors.length > 0 ? { errors } : { value };
}

function expectOutcome(c: Case, actual: { value: unknown } | { errors: ExpectedError[] }): void {
  const expectedErrors = c.errors ?? (c.error ? [c.error] : undefined);
  if (expectedErrors) expect(actual).toEqual({ errors: expectedErrors });
  else expect(actual).toEqual({ value: c.expected });
}

const runners: Record<string, (c: Case) => void> = {
  name: (c) => {
    const normalize = c.name === 'first' ? normalizeFirstName : normalizeLastName;
    expectOutcome(
      c,
      outcome(() => normalize(c.input as string)),
    );
  },
  dob: (c) =>
    expectOutcome(
      c,
      outcome(() => normalizeDob(c.input as string, { asOf: c.asOf! })),
    ),
  ssn: (c) =>
    expectOutcome(
      c,
      outcome(() => normalizeSsn(c.input as string)),
    ),
  license: (c) => {
    const input = c.input as { state: string; number: string };
    let state: unknown;
    let number: unknown;
    const errors = [
      ...errorsOf(() => (state = normalizeLicenseState(input.state))),
      ...errorsOf(() => (number = normalizeLicenseNumber(input.number))),
    ];
    expectOutcome(c, errors.length > 0 ? { errors } : { value: { state, number } });
  },
  identity: (c) => {
    const result = tryDeriveMatchKeys(c.identity!, { asOf: c.asOf! });
    const actual = result.ok
      ? { value: result.keys.map((k) => ({ ...k })) }
      : { errors: result.errors.map((e) => ({ code: e.code, field: e.field ?? null })) };
    expectOutcome(c, actual);
  },
};

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('normalization conformance vectors', () => {
  it('has vector files with at least 80 normalization cases and some identity cases', () => {
    const all = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as VectorFile);
    const count = (kinds: string[]): number =>
      all.filter((v) => kinds.includes(v.kind)).reduce((n, v) => n + v.cases.length, 0);
    expect(count(['name', 'dob', 'ssn', 'license'])).toBeGreaterThanOrEqual(80);
    expect(count(['identity'])).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const vectors = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as VectorFile;
    describe(file, () => {
      it('declares a known kind, a description and a source', () => {
        expect(Object.keys(runners)).toContain(vectors.kind);
        expect(vectors.description).toBeTruthy();
        expect(vectors.source).toBeTruthy();
      });
      const run = runners[vectors.kind];
      for (const c of vectors.cases) {
        it(c.description, () => {
          expect(run, `unknown kind ${vectors.kind}`).toBeDefined();
          run!(c);
        });
      }
    });
  }
});
