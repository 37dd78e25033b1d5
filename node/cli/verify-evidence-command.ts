/**
 * `spx node verify-evidence --file <bundle>` (docs/node.md "CLI"; protocol/check-evidence.ts):
 * verifies a check's evidence bundle, as `spx node check --evidence-out` wrote it
 * (evidence-file.ts), offline — no running node, no hub — with node/check verifyCheckEvidence.
 *
 * Exit codes of verify-evidence: 0 verified; EVIDENCE_NOT_VERIFIED_EXIT_CODE (3, as for a log
 * alert in `spx node monitor`) when the bundle does not verify; 1 when a file cannot be read or
 * is not what it should be (the field is named); 2 usage.
 */
import { parseJsonInput } from '../../platform/fs/json-input.js';
import { Option, type Command } from 'commander';
import { type NoteVerifierKey } from '../../crypto/note/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { isFileTooLargeError, readFileBounded } from '../../platform/fs/index.js';
import { CheckEvidenceSchema, type CheckEvidence } from '../../protocol/check-evidence.js';
import { LogOriginSchema } from '../../protocol/tlog.js';
import { safeDecode } from '../../protocol/decode.js';
import type { FieldError } from '../../protocol/problem.js';
import { formatCheckText } from '../check/present.js';
import { verifyCheckEvidence, type EvidenceVerification } from '../check/verify-evidence.js';
import { MONITOR_ALERT_EXIT_CODE } from '../tlog/alerts.js';
import { parseWitnessKeys } from '../tlog/witness-keys.js';
import { readHubKeys } from '../tlog/hub-keys.js';

/** Exit code of a bundle that does not verify (1 stays "the command failed"). */
export const EVIDENCE_NOT_VERIFIED_EXIT_CODE = MONITOR_ALERT_EXIT_CODE;
/** 20 attestations of at most 64 KiB, a response and a checkpoint: well under this. */
export const MAX_EVIDENCE_FILE_BYTES = 4 * 1024 * 1024;
/** Field errors shown for a file that fails its schema; the rest are counted. */
const SHOWN_FIELD_ERRORS = 5;

// ---------------------------------------------------------------------------------------------
// spx node verify-evidence

interface Flags {
  file: string;
  hubKeys?: string;
  /** The spelling of `spx audit-log`, accepted here too. */
  hubKey?: string;
  origin?: string;
  witness: string[];
  quorum?: string;
  json?: boolean;
}

export interface VerifyEvidenceContext {
  readonly io: CliIo;
  /** The node CLI's error mapping around an action. */
  readonly run: <A extends unknown[]>(
    fn: (...args: A) => Promise<void>,
  ) => (...args: A) => Promise<void>;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const usage = (message: string) => new CliError('OPTION_INVALID', message, { exitCode: 2 });

function fieldList(errors: readonly FieldError[]): string {
  const shown = errors.slice(0, SHOWN_FIELD_ERRORS).map((e) => `${e.field || '$'} (${e.code})`);
  const more = errors.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** A JSON file of at most MAX_EVIDENCE_FILE_BYTES; `flag` names the option in errors. */
async function readJsonFile(path: string, flag: string, code: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFileBounded(path, MAX_EVIDENCE_FILE_BYTES);
  } catch (e) {
    if (isFileTooLargeError(e)) {
      throw new CliError(code, `${flag}: ${path} is larger than ${MAX_EVIDENCE_FILE_BYTES} bytes`);
    }
    throw new CliError('FILE_UNREADABLE', `${flag}: cannot read ${path}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(code, `${flag}: ${path} is not UTF-8 JSON`);
  }
  const input = parseJsonInput(text);
  if (!input.ok) {
    throw new CliError(
      code,
      input.message === 'not JSON'
        ? `${flag}: ${path} is not UTF-8 JSON`
        : `${flag}: ${path}: ${input.message}`,
    );
  }
  return input.json;
}

/** --witness and --quorum: usage errors (exit 2) name the option. */
function witnessTrust(o: Flags): { witnesses: NoteVerifierKey[]; quorum: number | undefined } {
  // The auditor's parser: a repeated witness key is refused here, not thrown later.
  const parsed = parseWitnessKeys(o.witness);
  if (!parsed.ok) throw usage(`--${parsed.error.field}: ${parsed.error.message}`);
  const witnesses = parsed.value;
  if (o.quorum === undefined) return { witnesses, quorum: undefined };
  const quorum = /^(0|[1-9][0-9]{0,2})$/.test(o.quorum) ? Number(o.quorum) : Number.NaN;
  if (!(quorum <= witnesses.length)) {
    throw usage(
      `--quorum: a whole number from 0 to the number of --witness keys (${witnesses.length})`,
    );
  }
  return { witnesses, quorum };
}

/** The pinned hub keys of --hub-keys (or --hub-key): node/tlog/hub-keys.ts, as SPX_NODE_HUB_KEYS. */
async function pinnedHubKeys(path: string): Promise<PublicKeyInfo[]> {
  const keys = await readHubKeys(path);
  if (keys.ok) return keys.value;
  const { code, field, message } = keys.error;
  if (code === 'FILE_UNREADABLE') throw new CliError(code, `--hub-keys: ${message}`);
  throw new CliError(code, `--hub-keys: ${field}: ${message}`);
}

async function readEvidence(path: string): Promise<CheckEvidence> {
  const json = await readJsonFile(path, '--file', 'EVIDENCE_INVALID');
  const decoded = safeDecode(CheckEvidenceSchema, json);
  if (!decoded.ok) {
    const errors = fieldList(decoded.error.errors);
    throw new CliError('EVIDENCE_INVALID', `--file: not a check evidence bundle: ${errors}`);
  }
  return decoded.value;
}

function trustLines(result: EvidenceVerification, origin: string): string[] {
  return [
    result.pinned.hubKeys
      ? 'Hub key: pinned (--hub-keys).'
      : "Hub key: NOT PINNED. Verified with the bundle's own hubKeys, which shows only that the " +
        "bundle is consistent, not that the hub signed it; pin the hub's key with --hub-keys.",
    `Log origin: ${origin}${result.pinned.logOrigin ? ' (pinned, --origin)' : ', as recorded in the bundle'}.`,
  ];
}

/** The terminal text; `origin` is the log origin verified against (--origin or the bundle's). */
export function formatEvidenceResult(
  file: string,
  result: EvidenceVerification,
  bundle: CheckEvidence,
  origin: string,
): string {
  if (!result.ok) {
    const lines = [
      `Evidence NOT VERIFIED: ${file}`,
      `${result.code}: ${result.message}`,
      ...result.errors.map((e) => `  ${e.field || '$'}: ${e.code}: ${e.message}`),
      ...trustLines(result, origin),
    ];
    return `${lines.join('\n')}\n`;
  }
  const cp = result.verified.checkpoint;
  const proved = result.verified.attestations.length;
  const cosigned =
    result.cosigners.length > 0 ? `; cosigned by ${result.cosigners.join(', ')}` : '';
  const lines = [
    `Evidence VERIFIED: ${file}`,
    ...trustLines(result, origin),
    `Checkpoint of size ${cp.size}${cosigned}; ${proved} attestation${proved === 1 ? '' : 's'} proved in it.`,
    `Verified by ${bundle.requester}'s node at ${bundle.verifiedAt} (as the bundle records; not signed).`,
    '',
  ];
  return `${lines.join('\n')}\n${formatCheckText(result.presentation)}`;
}

/** The --json output: no bytes, only what a file or a script needs. */
export function evidenceResultJson(result: EvidenceVerification): Record<string, unknown> {
  if (!result.ok) {
    const { ok: _ok, ...failure } = result;
    return { verified: false, ...failure };
  }
  const cp = result.verified.checkpoint;
  return {
    verified: true,
    pinned: result.pinned,
    checkpoint: { origin: cp.origin, size: cp.size, cosigners: result.cosigners },
    result: result.presentation,
  };
}

export function registerVerifyEvidenceCommand(group: Command, ctx: VerifyEvidenceContext): void {
  const { io, run } = ctx;
  group
    .command('verify-evidence')
    .description(
      "Verify a check's evidence bundle (check --evidence-out) offline, without node or hub; " +
        'exit 3 if it does not verify.',
    )
    .requiredOption('--file <bundle>', 'the evidence bundle (JSON)')
    .option(
      '--hub-keys <jwks file>',
      "the hub's keys to pin: a JWK Set as GET /v1/hub/keys returns (without it, the bundle's own)",
    )
    .addOption(new Option('--hub-key <jwks file>', 'the same as --hub-keys').hideHelp())
    .option('--origin <origin>', "the log's origin to require (as SPX_NODE_LOG_ORIGIN)")
    .option(
      '--witness <vkey>',
      'a witness verifier key whose cosignature counts (repeatable)',
      collect,
      [],
    )
    .option('--quorum <n>', 'witness cosignatures required (default: 1 with --witness)')
    .option('--json', 'print JSON')
    .action(
      run(async (o: Flags) => {
        if (o.origin !== undefined && !LogOriginSchema.safeParse(o.origin).success) {
          throw usage('--origin: 1 to 255 printable ASCII characters without space or "+"');
        }
        const { witnesses, quorum } = witnessTrust(o);
        if (o.hubKey !== undefined && o.hubKeys !== undefined) {
          throw usage('--hub-keys: give --hub-keys or --hub-key, not both');
        }
        const hubKeyFile = o.hubKeys ?? o.hubKey;
        const hubKeys = hubKeyFile === undefined ? undefined : await pinnedHubKeys(hubKeyFile);
        const bundle = await readEvidence(o.file);
        const result = await verifyCheckEvidence(bundle, {
          hubKeys,
          logOrigin: o.origin,
          witnesses,
          quorum,
        });
        io.stdout(
          o.json
            ? `${JSON.stringify(evidenceResultJson(result), null, 2)}\n`
            : formatEvidenceResult(o.file, result, bundle, o.origin ?? bundle.logOrigin),
        );
        if (!result.ok) {
          throw new CliError(result.code, result.message, {
            exitCode: EVIDENCE_NOT_VERIFIED_EXIT_CODE,
          });
        }
      }),
    );
}
