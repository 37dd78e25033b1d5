/**
 * The candidate of `spx node check` (docs/node.md "CLI"). Identifiers given as flags end up in
 * the shell's history and in the process list (`ps`), so the candidate may come instead from a
 * JSON file or from stdin (`--candidate-file <path|->`), in the shape of the node API's
 * POST /v1/checks `candidate` (node/api/check.ts CandidateSchema):
 *
 *   { "firstName": "Dana", "lastName": "Kowalczyk", "dob": "1988-03-14", "ssn": "899-20-4417",
 *     "license": { "state": "TX", "number": "12-345-678" },
 *     "aliases": [{ "firstName": "Dana", "lastName": "Nowak" }] }
 *
 * Errors about the file name the field and the rule it breaks, never a value: not even the JSON
 * parser's message, which quotes the text around the fault.
 */
import { parseJsonInput } from '../../platform/fs/json-input.js';
import { createReadStream } from 'node:fs';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { fieldErrorsFromZod } from '../../protocol/problem.js';
import type { CheckBody } from '../api/check.js';
import { CandidateSchema } from '../api/check.js';
import { candidateFromOptions, type CheckFlags } from './cli-format.js';
import { collectBounded } from '../../platform/fs/index.js';

/** A candidate is a few hundred bytes; the node takes 16 KiB for the whole check. */
export const MAX_CANDIDATE_FILE_BYTES = 16 * 1024;

/** The flags that carry an identifier, as commander names their options. */
const IDENTIFIER_FLAGS = [
  ['firstName', '--first-name'],
  ['middleName', '--middle-name'],
  ['lastName', '--last-name'],
  ['dob', '--dob'],
  ['ssn', '--ssn'],
  ['license', '--license'],
  ['alias', '--alias'],
] as const;

export const IDENTIFIER_FLAGS_WARNING =
  'visible in shell history and process list; prefer --candidate-file';

export type CheckOptions = Omit<CheckFlags, 'firstName' | 'lastName'> & {
  firstName?: string;
  lastName?: string;
  candidateFile?: string;
};

export interface CandidateInputDeps {
  readonly io: Pick<CliIo, 'stderr'>;
  /** Standard input, read only for `--candidate-file -`. */
  readonly stdin: () => AsyncIterable<Uint8Array | string>;
}

/** The identifier flags present in `o`, in a fixed order. */
export function identifierFlagsGiven(o: CheckOptions): string[] {
  return IDENTIFIER_FLAGS.filter(([key]) => {
    const value = o[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  }).map(([, flag]) => flag);
}

/** The POST /v1/checks body from the check command's options, its candidate from flags or file. */
export async function checkBodyFromOptions(
  o: CheckOptions,
  user: string | undefined,
  deps: CandidateInputDeps,
): Promise<CheckBody> {
  const flags = identifierFlagsGiven(o);
  if (o.candidateFile !== undefined) {
    if (flags.length > 0) {
      throw new CliError(
        'OPTION_INVALID',
        `--candidate-file cannot be combined with ${flags.join(', ')}: put every identifier in the file`,
        { exitCode: 2 },
      );
    }
    const candidate = await readCandidateFile(o.candidateFile, deps.stdin);
    // Purpose, references and requester as the flags give them; no identifier flag is set.
    const request = candidateFromOptions({ ...o, firstName: '', lastName: '', alias: [] }, user);
    return { ...request, candidate };
  }
  if (flags.length > 0) {
    deps.io.stderr(`spx: warning: ${flags.join(', ')}: ${IDENTIFIER_FLAGS_WARNING}\n`);
  }
  if (o.firstName === undefined || o.lastName === undefined) {
    throw new CliError(
      'OPTION_INVALID',
      'the candidate is required: --candidate-file <path|-> (or --first-name and --last-name)',
      { exitCode: 2 },
    );
  }
  return candidateFromOptions({ ...o, firstName: o.firstName, lastName: o.lastName }, user);
}

/** Reads and validates a candidate from `path`, or from stdin when `path` is `-`. */
export async function readCandidateFile(
  path: string,
  stdin: () => AsyncIterable<Uint8Array | string>,
): Promise<CheckBody['candidate']> {
  const source = path === '-' ? 'stdin' : path;
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(path === '-' ? stdin() : createReadStream(path), source);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('FILE_UNREADABLE', `--candidate-file: cannot read ${source}`);
  }
  return parseCandidate(bytes);
}

async function readBounded(
  chunks: AsyncIterable<Uint8Array | string>,
  source: string,
): Promise<Uint8Array> {
  const bytes = await collectBounded(chunks, MAX_CANDIDATE_FILE_BYTES);
  if (bytes === undefined) {
    throw invalid(`${source} is larger than ${MAX_CANDIDATE_FILE_BYTES} bytes`);
  }
  return bytes;
}

const invalid = (message: string) =>
  new CliError('CANDIDATE_FILE_INVALID', `--candidate-file: ${message}`);

/** The candidate in `bytes` (UTF-8 JSON), checked against the node API's schema. */
export function parseCandidate(bytes: Uint8Array): CheckBody['candidate'] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('not UTF-8 text');
  }
  // parseJsonInput never quotes the text (the parser's message would: it could be an
  // identifier), only the path of a repeated member.
  const input = parseJsonInput(text);
  if (!input.ok) throw invalid(input.message === 'not JSON' ? 'not valid JSON' : input.message);
  const json = input.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid("expected a JSON object with the candidate's fields (firstName, lastName, …)");
  }
  if ('candidate' in json && !('firstName' in json)) {
    throw invalid(
      'the file holds the candidate object itself ({ "firstName", "lastName", … }), not the whole check request',
    );
  }
  const parsed = CandidateSchema.safeParse(json);
  if (!parsed.success) {
    // Field and rule only: zod's own messages are not shown, so no value can slip through.
    // An unknown member is counted, not named: its name may be an identifier (a misplaced
    // value, a headerless export turned into JSON).
    const all = fieldErrorsFromZod(parsed.error, json);
    const unknown = all.filter((e) => e.code === 'unknown_field').length;
    const errors = all
      .filter((e) => e.code !== 'unknown_field')
      .map((e) => `${e.field} (${e.code})`);
    if (unknown > 0) errors.push(`${unknown} unknown member${unknown === 1 ? '' : 's'}`);
    throw invalid(`invalid candidate: ${errors.join(', ')}`);
  }
  return parsed.data;
}
