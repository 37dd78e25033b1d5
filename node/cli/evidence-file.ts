/**
 * `spx node check --evidence-out <file>` (docs/node.md "CLI"): the file is created before the
 * check is sent, and the node's evidence bundle (protocol/check-evidence.ts), already parsed
 * with the answer's schema (node/api/check.ts), is written into it; `spx node verify-evidence`
 * (verify-evidence-command.ts) verifies it later.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { CliError } from '../../platform/cli/cli-io.js';
import type { CheckEvidence } from '../../protocol/check-evidence.js';

const fileExists = (path: string) =>
  new CliError('EVIDENCE_FILE_EXISTS', `--evidence-out: ${path} exists; not overwriting it`);

const unwritable = (path: string) =>
  new CliError('FILE_UNWRITABLE', `--evidence-out: cannot write ${path}`);

/** An --evidence-out file created (empty, mode 0600) before the check is sent. */
export interface EvidenceFile {
  /** Writes the `evidence` of a POST /v1/checks answer into it. */
  write(evidence: CheckEvidence): Promise<void>;
  /** Removes the still-empty file when the check failed. */
  discard(): Promise<void>;
}

/**
 * Creates `path` exclusively (`wx`, mode 0600) before the check is sent: an existing file is
 * refused (EVIDENCE_FILE_EXISTS) and a folder that cannot be written to too (FILE_UNWRITABLE),
 * so no check runs whose evidence could not be kept.
 */
export async function reserveEvidenceFile(path: string): Promise<EvidenceFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'EEXIST') throw fileExists(path);
    throw unwritable(path);
  }
  let done = false;
  const finish = async () => {
    if (done) return;
    done = true;
    await handle.close();
  };
  const discard = async () => {
    await finish();
    await unlink(path).catch(() => undefined);
  };
  return {
    async write(evidence) {
      try {
        await handle.writeFile(`${JSON.stringify(evidence, null, 2)}\n`);
        await handle.sync();
      } catch {
        await discard();
        throw unwritable(path);
      }
      await finish();
    },
    discard,
  };
}
