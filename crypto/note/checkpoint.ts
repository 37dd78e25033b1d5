/**
 * Checkpoints (C2SP tlog-checkpoint, https://c2sp.org/tlog-checkpoint): the text of the
 * signed note in which a log commits to its Merkle tree head.
 *
 *   <origin>                 non-empty; at most 255 bytes (see MAX_ORIGIN_BYTES)
 *   <tree size>              ASCII decimal, no leading zero (just "0" for the empty tree)
 *   <root hash>              standard base64 of the 32-byte RFC 6962/9162 root hash
 *   <extension line>...      optional, opaque, each non-empty
 *
 * every line ending in a newline. Tree sizes are JS numbers: our logs stay far below 2^53
 * leaves and crypto/merkle counts leaves in numbers. A size the spec allows but a number cannot
 * hold exactly (above Number.MAX_SAFE_INTEGER) is refused with CHECKPOINT_SIZE_UNSUPPORTED
 * rather than rounded. The origin is not required to be free of spaces or plus signs (the spec
 * only recommends it, and says clients MUST NOT assume it).
 */
import { utf8 } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { MAX_NOTE_BYTES } from './signed-note.js';
import { fromBase64, isNoteSafeText, toBase64, utf8LengthExceeds } from './text.js';

/**
 * Longest origin, in UTF-8 bytes. The spec sets no bound; 255 is the bound torchwood applies,
 * because the ML-DSA-44 cosigned message of tlog-cosignature encodes the origin with a one-byte
 * length, so a longer origin could never be cosigned that way.
 */
export const MAX_ORIGIN_BYTES = 255;
export const ROOT_HASH_LENGTH = 32;

export interface Checkpoint {
  readonly origin: string;
  /** Number of leaves; a safe integer. */
  readonly size: number;
  /** 32-byte Merkle tree root hash. */
  readonly rootHash: Uint8Array;
  /** Extension lines, without their newlines; usually none (their use is NOT RECOMMENDED). */
  readonly extensions: readonly string[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function malformed(message: string, field: string): CryptoError<'CHECKPOINT_MALFORMED'> {
  return new CryptoError('CHECKPOINT_MALFORMED', message, { field });
}

function sizeUnsupported(): CryptoError<'CHECKPOINT_SIZE_UNSUPPORTED'> {
  return new CryptoError(
    'CHECKPOINT_SIZE_UNSUPPORTED',
    `tree sizes above ${Number.MAX_SAFE_INTEGER} are not supported`,
    { field: 'size' },
  );
}

function checkOrigin(origin: unknown): string {
  if (
    typeof origin !== 'string' ||
    origin === '' ||
    origin.includes('\n') ||
    !isNoteSafeText(origin) ||
    utf8(origin).length > MAX_ORIGIN_BYTES
  ) {
    throw malformed(`the origin is 1 to ${MAX_ORIGIN_BYTES} bytes of one line of text`, 'origin');
  }
  return origin;
}

function checkExtension(line: unknown, field: string): string {
  if (typeof line !== 'string' || line === '' || line.includes('\n') || !isNoteSafeText(line)) {
    throw malformed('an extension line is one non-empty line of text', field);
  }
  return line;
}

/** The checkpoint text (the note body), every part checked first. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const origin = checkOrigin(checkpoint.origin);
  const { size, rootHash, extensions } = checkpoint;
  if (!Number.isInteger(size) || size < 0) throw malformed('the size is a whole number', 'size');
  if (size > Number.MAX_SAFE_INTEGER) throw sizeUnsupported();
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_LENGTH) {
    throw malformed(`the root hash is ${ROOT_HASH_LENGTH} bytes`, 'rootHash');
  }
  if (!Array.isArray(extensions)) throw malformed('extensions is an array', 'extensions');
  const ext = extensions.map((line, i) => `${checkExtension(line, `extensions[${i}]`)}\n`);
  const text = `${origin}\n${size}\n${toBase64(rootHash)}\n${ext.join('')}`;
  if (utf8LengthExceeds(text, MAX_NOTE_BYTES)) throw malformed('checkpoint too large', 'text');
  return text;
}

/** Strict parse of a checkpoint text (a note's text). Throws CHECKPOINT_MALFORMED. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || utf8LengthExceeds(text, MAX_NOTE_BYTES)) {
    throw malformed('a checkpoint is text within the note size limit', 'text');
  }
  if (!text.endsWith('\n') || !isNoteSafeText(text)) {
    throw malformed('a checkpoint is newline-terminated lines of text', 'text');
  }
  const [origin, sizeText, hashText, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || sizeText === undefined || hashText === undefined) {
    throw malformed('a checkpoint has an origin, a size and a root hash line', 'text');
  }
  checkOrigin(origin);
  if (!DECIMAL.test(sizeText)) {
    throw malformed('the size is decimal digits without a leading zero', 'size');
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw sizeUnsupported();
  const rootHash = fromBase64(hashText);
  if (rootHash === undefined || rootHash.length !== ROOT_HASH_LENGTH) {
    throw malformed(`the root hash is base64 of ${ROOT_HASH_LENGTH} bytes`, 'rootHash');
  }
  extensions.forEach((line, i) => checkExtension(line, `extensions[${i}]`));
  return { origin, size, rootHash, extensions };
}
