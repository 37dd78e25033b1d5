/**
 * The auditor's state: the last checkpoint it verified, kept between runs (`--state <file>`) so
 * the next audit can prove the log only grew (docs/transparency.md, step 4). Pure; the file
 * I/O is in state-file.ts.
 *
 *   { "v": 1, "checkpoint": "<the signed note as the hub served it>", "verifiedAt": "<ISO>" }
 *
 * The note is kept whole, signatures included: it is the evidence to show if the hub later
 * serves a log that does not extend it. Its signature is not checked again on reading — it was
 * checked before it was saved, and the hub may have rotated its key since; the file is the
 * auditor's own record and must be kept where only the auditor can change it.
 */
import { isCryptoError } from '../../crypto/errors.js';
import { parseCheckpoint, parseSignedNote } from '../../crypto/note/index.js';
import { MAX_CHECKPOINT_NOTE_CHARS } from '../../protocol/tlog.js';
import { refused, type Parsed } from './trust-input.js';

export interface AuditState {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** The signed note saved. */
  readonly note: string;
}

/** The checkpoint in `note`, without checking its signature (it was checked when saved). */
export function stateFromNote(note: string): Parsed<AuditState> {
  try {
    const checkpoint = parseCheckpoint(parseSignedNote(note).text);
    return {
      ok: true,
      value: {
        origin: checkpoint.origin,
        size: checkpoint.size,
        root: checkpoint.rootHash,
        note,
      },
    };
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    return refused('checkpoint', `not a signed checkpoint (${e.code})`);
  }
}

export function parseAuditState(text: string): Parsed<AuditState> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refused('$', 'not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refused('$', 'not a JSON object');
  }
  const state = json as Record<string, unknown>;
  if (state['v'] !== 1) return refused('v', 'must be 1');
  const note = state['checkpoint'];
  if (typeof note !== 'string' || note.length === 0 || note.length > MAX_CHECKPOINT_NOTE_CHARS) {
    return refused('checkpoint', 'must be a signed note (text)');
  }
  return stateFromNote(note);
}

export function formatAuditState(note: string, verifiedAt: Date): string {
  return `${JSON.stringify({ v: 1, checkpoint: note, verifiedAt: verifiedAt.toISOString() }, null, 2)}\n`;
}
