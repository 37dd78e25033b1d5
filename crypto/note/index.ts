/**
 * Signed notes, checkpoints and witness cosignatures of the transparency log: C2SP
 * signed-note, tlog-checkpoint and tlog-cosignature (Ed25519 only). Pure; timestamps are
 * parameters.
 */
export {
  ED25519_KEY_LENGTH,
  KEY_HASH_LENGTH,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  formatSignerKey,
  formatVerifierKey,
  noteKeyHash,
  noteSigner,
  noteVerifierKey,
  parseSignerKey,
  parseVerifierKey,
} from './keys.js';
export type { NoteSignatureType, NoteSigner, NoteVerifierKey } from './keys.js';
export {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  appendSignatureLines,
  formatSignatureLine,
  formatSignedNote,
  parseSignatureLine,
  parseSignedNote,
  signNote,
} from './signed-note.js';
export type { NoteSignature, SignedNote } from './signed-note.js';
export { cosignatureV1Message, verifyNote } from './verify-note.js';
export type {
  NoteFailure,
  NoteVerification,
  VerifiedNote,
  VerifiedSignature,
} from './verify-note.js';
export {
  MAX_ORIGIN_BYTES,
  ROOT_HASH_LENGTH,
  formatCheckpoint,
  parseCheckpoint,
} from './checkpoint.js';
export type { Checkpoint } from './checkpoint.js';
export { cosignCheckpoint, verifyCosignedCheckpoint } from './cosignature.js';
export type {
  CosignaturePolicy,
  CosignedCheckpoint,
  CosignedCheckpointVerification,
  Cosigner,
} from './cosignature.js';
