/**
 * `spx audit-log`'s pure core at scale (node/audit; docs/transparency.md "Auditing the log").
 *
 *   npx tsx test/bench/audit-log.ts [--entries 100000]
 *
 * Builds a synthetic log in memory (attestations with an agency event every 97 entries),
 * signs its checkpoint, and runs `auditLog` over an in-process source — pages handed over as
 * objects, then as JSON text parsed per page, as the HTTP client does — so the figures are the
 * auditor's own cost without the network: reparsing each entry (JSON, schema, canonical form),
 * hashing it, folding it into the border. Then the same steps one by one, to see where the time
 * goes. Prints figures; asserts nothing about speed.
 */
import { parseArgs } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  appendLeaves,
  leafHash,
  rootFromLeaves,
  type NodeHash,
} from '../../crypto/merkle/index.js';
import { formatCheckpoint, noteSigner, signNote } from '../../crypto/note/index.js';
import { signingKeyFromSeed } from '../../crypto/signing/index.js';
import {
  attestationLogEntry,
  encodeLogEntry,
  logEntryLeafHash,
  MAX_LOG_ENTRIES_PAGE,
  parseLogEntry,
  type LogEntry,
} from '../../protocol/tlog.js';
import { auditLog, type AuditSource } from '../../node/audit/index.js';
import { machine, printMachine, printTable, rate } from './support/report.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '100000' } } });
const count = Number(values.entries);
if (!Number.isSafeInteger(count) || count < 1) throw new Error('--entries: a positive integer');

printMachine('audit-log core', machine());

const ORIGIN = 'bench.invalid/hub-log';
const seed = sha256(utf8('audit-log bench hub'));
const hubKey = await signingKeyFromSeed(seed);
const agencyKey = await signingKeyFromSeed(sha256(utf8('audit-log bench agency')));

const t0 = performance.now();
const texts: string[] = [];
for (let i = 0; i < count; i++) {
  const entry: LogEntry =
    i % 97 === 1
      ? {
          v: 1,
          kind: 'agency',
          event: 'enrolled',
          ori: `CA${String(1000000 + (i % 9000000)).slice(-7)}`,
          kid: agencyKey.kid,
          publicJwk: agencyKey.publicJwk,
          at: '2026-05-01T12:00:00Z',
        }
      : attestationLogEntry(sha256(utf8(`salt ${i}`)), `eyJ9.${toBase64url(utf8(String(i)))}.s`);
  texts.push(encodeLogEntry(entry));
}
const root = rootFromLeaves(texts.map((t) => leafHash(utf8(t))));
const note = signNote(
  formatCheckpoint({ origin: ORIGIN, size: count, rootHash: root, extensions: [] }),
  [noteSigner(ORIGIN, seed)],
);
console.log(
  `${count} entries generated and signed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);

const page = (start: number, end: number) => ({
  start,
  entries: texts.slice(start, end).map((entry, i) => ({ index: start + i, entry })),
});
const source = (json: boolean): AuditSource => ({
  checkpoint: () => Promise.resolve(note),
  entries: (start, end) =>
    Promise.resolve(
      json ? (JSON.parse(JSON.stringify(page(start, end))) as unknown) : page(start, end),
    ),
  hubKeys: () => Promise.reject(new Error('pinned')),
});

const rows: string[][] = [];
const timed = (label: string, seconds: number) =>
  rows.push([label, `${seconds.toFixed(2)} s`, rate(count / seconds)]);

const trust = { hubKeys: [hubKey], origin: ORIGIN, witnesses: [], quorum: 0 };
await auditLog(source(false), trust, { clock: () => performance.now() }); // warm-up (JIT)
for (const json of [false, true]) {
  const start = performance.now();
  const report = await auditLog(source(json), trust, { clock: () => performance.now() });
  const seconds = (performance.now() - start) / 1000;
  if (!report.ok) throw new Error(`audit failed: ${report.failures.map((f) => f.code).join(', ')}`);
  timed(`auditLog, pages as ${json ? 'JSON text parsed per page' : 'objects'}`, seconds);
}

const step = (label: string, fn: () => void) => {
  const start = performance.now();
  fn();
  timed(label, (performance.now() - start) / 1000);
};
const parsed: LogEntry[] = [];
step('  parseLogEntry (JSON, schema, canonical)', () => {
  for (const t of texts) {
    const r = parseLogEntry(t);
    if (r.ok) parsed.push(r.entry);
  }
});
const leaves: Uint8Array[] = [];
step('  logEntryLeafHash (re-encode, SHA-256)', () => {
  for (const e of parsed) leaves.push(logEntryLeafHash(e));
});
step('  appendLeaves per page of 1000 (fold)', () => {
  let size = 0;
  let border: NodeHash[] = [];
  for (let s = 0; s < count; s += MAX_LOG_ENTRIES_PAGE) {
    ({ size, border } = appendLeaves(size, border, leaves.slice(s, s + MAX_LOG_ENTRIES_PAGE)));
  }
});

printTable(['step', 'time', 'entries/s'], rows);
