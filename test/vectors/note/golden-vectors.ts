/**
 * Golden vectors for signed checkpoints and witness cosignatures, generated from fixed seeds
 * (no published Ed25519 cosignature/v1 vectors with several witnesses and a quorum exist).
 * They test stability, not correctness: correctness against other implementations comes from
 * the published files of this folder. The expected result of every case is written here by
 * hand from the specs' checklists; only keys and signatures are computed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { utf8 } from '../../../crypto/encoding.js';
import {
  appendSignatureLines,
  cosignCheckpoint,
  formatCheckpoint,
  formatSignatureLine,
  formatSignerKey,
  formatSignedNote,
  formatVerifierKey,
  noteSigner,
  parseSignedNote,
  signNote,
} from '../../../crypto/note/index.js';
import type { Checkpoint, NoteSigner } from '../../../crypto/note/index.js';
import { toBase64 } from '../../../crypto/note/text.js';

const counter = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff);
/** 2026-01-01T00:00:00Z */
export const T = 1767225600;

const LOG = noteSigner('spx.example/log', counter(0x00));
const WITNESSES = [0x20, 0x40, 0x60].map((s, i) =>
  noteSigner(`witness.spx.example/w${i + 1}`, counter(s), 0x04),
) as [NoteSigner, NoteSigner, NoteSigner];
const OUTSIDER = noteSigner('witness.other.example/w9', counter(0x80), 0x04);
const [W1, W2, W3] = WITNESSES;

type Expected =
  | {
      ok: true;
      checkpoint: JsonCheckpoint;
      cosigners: { name: string; timestamp: number }[];
    }
  | { ok: false; code: string; field: string | null };
interface JsonCheckpoint {
  origin: string;
  size: number;
  rootHash: string;
  extensions: string[];
}
interface KeyEntry {
  name: string;
  seedHex: string;
  verifierKey: string;
  signerKey: string;
}

export interface GoldenVectors {
  description: string;
  keys: { log: KeyEntry; witnesses: KeyEntry[]; outsider: KeyEntry };
  signedNotes: { name: string; text: string; note: string }[];
  cosigned: {
    name: string;
    note: string;
    /** The policy: the log key, the three witnesses of `keys`, this quorum and origin. */
    quorum: number;
    /** The expected origin when not the log key's name. */
    origin: string | null;
    expected: Expected;
  }[];
}

const entry = (s: NoteSigner): KeyEntry => ({
  name: s.key.name,
  seedHex: bytesToHex(s.seed),
  verifierKey: formatVerifierKey(s.key),
  signerKey: formatSignerKey(s),
});

const json = (c: Checkpoint): JsonCheckpoint => ({
  origin: c.origin,
  size: c.size,
  rootHash: toBase64(c.rootHash),
  extensions: [...c.extensions],
});

const CP7: Checkpoint = {
  origin: 'spx.example/log',
  size: 7,
  rootHash: sha256(utf8('spx golden root 7')),
  extensions: [],
};
const CP8: Checkpoint = { ...CP7, size: 8, rootHash: sha256(utf8('spx golden root 8')) };
const EMPTY: Checkpoint = { ...CP7, size: 0, rootHash: sha256(new Uint8Array(0)) };
const WITH_EXTENSION: Checkpoint = { ...CP8, extensions: ['spx-extension example'] };

const text7 = formatCheckpoint(CP7);
const logged = (text: string) => signNote(text, [LOG]);
const cosign = (text: string, w: NoteSigner, t = T) => cosignCheckpoint(text, w, t);
const withLines = (note: string, ...lines: string[]) => appendSignatureLines(note, lines.join(''));

/** One cosignature line with its timestamp bytes changed (the signature left as it was). */
function laterTime(line: string): string {
  const sig = parseSignedNote(`x\n\n${line}`).signatures[0]!;
  const signature = Uint8Array.from(sig.signature);
  signature[7] = signature[7]! + 1;
  return formatSignatureLine({ ...sig, signature });
}

function renamedTo(line: string, other: NoteSigner): string {
  const sig = parseSignedNote(`x\n\n${line}`).signatures[0]!;
  return formatSignatureLine({ ...sig, name: other.key.name, keyHash: other.key.keyHash });
}

const ok = (c: Checkpoint, cosigners: [NoteSigner, number][]): Expected => ({
  ok: true,
  checkpoint: json(c),
  cosigners: cosigners.map(([w, timestamp]) => ({ name: w.key.name, timestamp })),
});
const fail = (code: string, field: string | null = null): Expected => ({ ok: false, code, field });

export function buildGoldenVectors(): GoldenVectors {
  const main = withLines(
    logged(text7),
    cosign(text7, W1),
    cosign(text7, OUTSIDER),
    cosign(text7, W2, T + 1),
  );
  const logSig = parseSignedNote(logged(text7)).signatures[0]!;
  const onlyCosigs = `${text7}\n${cosign(text7, W1)}${cosign(text7, W2)}`;
  const cases: [string, string, number, Expected, string?][] = [
    [
      'w1 and w2 cosigned, an outsider too; quorum 2',
      main,
      2,
      ok(CP7, [
        [W1, T],
        [W2, T + 1],
      ]),
    ],
    ['the same note with quorum 3', main, 3, fail('COSIGNATURE_QUORUM_NOT_MET')],
    ['no cosignature, quorum 0: a plain signed checkpoint', logged(text7), 0, ok(CP7, [])],
    [
      'the empty tree, cosigned by w3',
      withLines(logged(formatCheckpoint(EMPTY)), cosign(formatCheckpoint(EMPTY), W3)),
      1,
      ok(EMPTY, [[W3, T]]),
    ],
    [
      'an extension line, which the cosignature covers',
      withLines(
        logged(formatCheckpoint(WITH_EXTENSION)),
        cosign(formatCheckpoint(WITH_EXTENSION), W2, T + 60),
      ),
      1,
      ok(WITH_EXTENSION, [[W2, T + 60]]),
    ],
    [
      'a cosignature over another checkpoint',
      withLines(logged(text7), cosign(formatCheckpoint(CP8), W1)),
      0,
      fail('COSIGNATURE_INVALID', 'signatures[1]'),
    ],
    [
      'a cosignature whose time was changed',
      withLines(logged(text7), laterTime(cosign(text7, W1))),
      0,
      fail('COSIGNATURE_INVALID', 'signatures[1]'),
    ],
    [
      "w1's cosignature renamed to w2, with w2's key hash",
      withLines(logged(text7), renamedTo(cosign(text7, W1), W2)),
      1,
      fail('COSIGNATURE_INVALID', 'signatures[1]'),
    ],
    [
      'the same witness twice, quorum 2',
      withLines(logged(text7), cosign(text7, W1), cosign(text7, W1, T + 9)),
      2,
      fail('COSIGNATURE_QUORUM_NOT_MET'),
    ],
    [
      "the log's signature moved onto another checkpoint",
      formatSignedNote({ text: formatCheckpoint(CP8), signatures: [logSig] }),
      0,
      fail('NOTE_SIGNATURE_INVALID', 'signatures[0]'),
    ],
    ['cosignatures without the log signature', onlyCosigs, 1, fail('NOTE_UNVERIFIED')],
    [
      'another origin, signed by the log key',
      logged(formatCheckpoint({ ...CP7, origin: 'spx.example/other' })),
      0,
      fail('CHECKPOINT_ORIGIN_MISMATCH', 'origin'),
    ],
    [
      'the expected origin set explicitly to another',
      logged(text7),
      0,
      fail('CHECKPOINT_ORIGIN_MISMATCH', 'origin'),
      'spx.example/mirror',
    ],
    [
      'a signed size with a leading zero',
      logged(text7.replace('\n7\n', '\n07\n')),
      0,
      fail('CHECKPOINT_MALFORMED', 'size'),
    ],
    [
      'a signed size of 2^53',
      logged(text7.replace('\n7\n', '\n9007199254740992\n')),
      0,
      fail('CHECKPOINT_SIZE_UNSUPPORTED', 'size'),
    ],
    [
      'a control character in the note',
      main.replace('spx.example/log\n7', 'spx.example/log\r\n7'),
      0,
      fail('NOTE_MALFORMED', 'note'),
    ],
  ];
  const signedText = 'A note may hold empty lines,\n\nand non-ASCII text: é, ß, 日本.\n';
  return {
    description:
      'Signed checkpoints and cosignature/v1 witness cosignatures from fixed seeds (see README.md); ' +
      `timestamps from ${T} (2026-01-01T00:00:00Z); verified with the three witnesses of "keys" as the policy`,
    keys: { log: entry(LOG), witnesses: WITNESSES.map(entry), outsider: entry(OUTSIDER) },
    signedNotes: [
      { name: 'text with an empty line and non-ASCII', text: signedText, note: logged(signedText) },
    ],
    cosigned: cases.map(([name, note, quorum, expected, origin]) => ({
      name,
      note,
      quorum,
      origin: origin ?? null,
      expected,
    })),
  };
}
