/**
 * Signed notes (C2SP signed-note, https://c2sp.org/signed-note):
 *
 *   <text, ending in a newline; it may contain empty lines>
 *   <one empty line>
 *   — <key name> <base64(4-byte key hash || signature)>      one line per signature
 *
 * The text is separated from the signatures by the LAST empty line. The whole note is valid
 * UTF-8 with no control character but newline. We bound the note to MAX_NOTE_BYTES and the
 * signature lines to MAX_NOTE_SIGNATURES (the spec requires accepting at least 16; Go's
 * sumdb/note stops at 100, as we do). The parser throws NOTE_MALFORMED with the field at fault;
 * verification (verify-note.ts) never throws on a note.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { fromUtf8, utf8 } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { KEY_HASH_LENGTH, SIGNATURE_TYPE_ED25519, checkSigner } from './keys.js';
import type { NoteSigner } from './keys.js';
import { fromBase64, isNoteSafeText, isValidKeyName, toBase64, utf8LengthExceeds } from './text.js';

/** Largest note accepted, in UTF-8 bytes: room for 100 post-quantum signature lines. */
export const MAX_NOTE_BYTES = 1 << 20;
export const MAX_NOTE_SIGNATURES = 100;

/** U+2014 EM DASH, U+0020 SPACE. */
const SIGNATURE_PREFIX = '\u2014 ';

/** One signature line, its base64 decoded and split after the key hash. */
export interface NoteSignature {
  readonly name: string;
  /** The first 4 decoded bytes: which key (with `name`) made the signature. */
  readonly keyHash: Uint8Array;
  /** The remaining bytes, as the signature type defines them. */
  readonly signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, including its final newline but not the separating empty line. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

function malformed(message: string, field: string): CryptoError<'NOTE_MALFORMED'> {
  return new CryptoError('NOTE_MALFORMED', message, { field });
}

function checkText(text: unknown): string {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    throw malformed('the note text must end with a newline', 'text');
  }
  if (!isNoteSafeText(text)) {
    throw malformed('the note text must be valid UTF-8 without control characters', 'text');
  }
  return text;
}

export function parseSignatureLine(line: string, field = 'signature'): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw malformed('a signature line starts with an em dash and a space', field);
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  if (space < 0 || !isValidKeyName(name)) {
    throw malformed('a signature line names its key: no space, plus or control character', field);
  }
  const bytes = fromBase64(rest.slice(space + 1));
  if (bytes === undefined || bytes.length <= KEY_HASH_LENGTH) {
    throw malformed('a signature is canonical base64 of a key hash and signature bytes', field);
  }
  return {
    name,
    keyHash: bytes.slice(0, KEY_HASH_LENGTH),
    signature: bytes.slice(KEY_HASH_LENGTH),
  };
}

/** One signature line, with its final newline. */
export function formatSignatureLine(sig: NoteSignature): string {
  if (!isValidKeyName(sig.name)) throw malformed('invalid key name', 'name');
  if (!(sig.keyHash instanceof Uint8Array) || sig.keyHash.length !== KEY_HASH_LENGTH) {
    throw malformed('a key hash is 4 bytes', 'keyHash');
  }
  if (!(sig.signature instanceof Uint8Array) || sig.signature.length === 0) {
    throw malformed('a signature is at least one byte', 'signature');
  }
  return `${SIGNATURE_PREFIX}${sig.name} ${toBase64(concatBytes(sig.keyHash, sig.signature))}\n`;
}

/** Parses a block of newline-terminated signature lines. */
function parseSignatureBlock(block: string): NoteSignature[] {
  if (block === '' || !block.endsWith('\n')) {
    throw malformed('signature lines each end with a newline', 'signatures');
  }
  const lines = block.slice(0, -1).split('\n', MAX_NOTE_SIGNATURES + 1);
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`, 'signatures');
  }
  return lines.map((line, i) => parseSignatureLine(line, `signatures[${i}]`));
}

function decodeNote(note: string | Uint8Array): string {
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_BYTES) throw malformed('the note is too large', 'note');
    try {
      return fromUtf8(note);
    } catch {
      throw malformed('the note is not valid UTF-8', 'note');
    }
  }
  if (typeof note !== 'string') throw malformed('a note is a string or bytes', 'note');
  if (utf8LengthExceeds(note, MAX_NOTE_BYTES)) throw malformed('the note is too large', 'note');
  return note;
}

/** Strict parse of a signed note, as text or as the bytes received. Throws NOTE_MALFORMED. */
export function parseSignedNote(note: string | Uint8Array): SignedNote {
  const s = decodeNote(note);
  if (!isNoteSafeText(s)) {
    throw malformed('a note is valid UTF-8 without control characters but newline', 'note');
  }
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no empty line before the signatures', 'note');
  return { text: s.slice(0, split + 1), signatures: parseSignatureBlock(s.slice(split + 2)) };
}

/** Serializes a note; every part is checked, so the result parses back to the same value. */
export function formatSignedNote(note: SignedNote): string {
  const text = checkText(note.text);
  if (!Array.isArray(note.signatures) || note.signatures.length === 0) {
    throw malformed('a note has at least one signature', 'signatures');
  }
  if (note.signatures.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`, 'signatures');
  }
  const out = `${text}\n${note.signatures.map(formatSignatureLine).join('')}`;
  if (utf8LengthExceeds(out, MAX_NOTE_BYTES)) throw malformed('the note is too large', 'note');
  return out;
}

/** Signs `text` with each Ed25519 (type 0x01) signer, in order (signed-note §Ed25519). */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  const message = utf8(checkText(text));
  if (!Array.isArray(signers) || signers.length === 0) {
    throw malformed('at least one signer is needed', 'signers');
  }
  const signatures = signers.map((signer, i): NoteSignature => {
    const s = checkSigner(signer, `signers[${i}]`);
    if (s.key.type !== SIGNATURE_TYPE_ED25519) {
      throw new CryptoError('KEY_INVALID', 'cosigners sign with cosignCheckpoint', {
        field: `signers[${i}]`,
      });
    }
    return { name: s.key.name, keyHash: s.key.keyHash, signature: ed25519.sign(message, s.seed) };
  });
  return formatSignedNote({ text, signatures });
}

/**
 * Appends signature lines (e.g. witness cosignature lines, as a witness returns them) to a
 * signed note. Lines identical to one already present are dropped; the result stays within
 * the bounds above. Nothing is verified here.
 */
export function appendSignatureLines(note: string, lines: string): string {
  const parsed = parseSignedNote(note);
  if (typeof lines !== 'string' || utf8LengthExceeds(lines, MAX_NOTE_BYTES)) {
    throw malformed('signature lines must be a string within the note size limit', 'lines');
  }
  const have = new Set(parsed.signatures.map(formatSignatureLine));
  const added = parseSignatureBlock(lines).filter((sig) => {
    const line = formatSignatureLine(sig);
    if (have.has(line)) return false;
    have.add(line);
    return true;
  });
  return formatSignedNote({ text: parsed.text, signatures: [...parsed.signatures, ...added] });
}
