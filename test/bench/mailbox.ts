/**
 * The hub's mailbox (docs/protocol.md §5.12, docs/hub.md "Mailbox"; issue 11).
 *
 *   npx tsx test/bench/mailbox.ts [--db pglite|postgres|both] [--agencies 1000] [--messages 5000]
 *
 * 1. Fan-out: a statement listed by earlier checks of `--agencies` agencies is superseded, and
 *    the hub writes one correction to each (hub/mailbox/corrections.ts) — through
 *    `MailboxService.sendMany` (one seq query, one multi-row insert per 1,000 rows) against the
 *    baseline of one `send` per message (a seq query and an insert each), in the same process
 *    and transaction shape; and the same fan-out as monitoring notices to `--agencies` agencies
 *    that enrolled one of the statement's indexes (hub/monitoring/notices.ts). Signing alone (one
 *    Ed25519 signature per message) is timed too, as the floor both share.
 * 2. Fetch and ack: `--messages` messages queued for one agency are fetched and acknowledged
 *    page by page (100 a page) as a node does, against the baseline of reading the same rows by
 *    primary key without the mailbox's filters.
 *
 * Rounds alternate the variants so that a change in the machine's load hits both alike. Prints
 * figures and ratios; asserts nothing about speed.
 */
import { randomBytes } from 'node:crypto';
import { asc, inArray, sql } from 'drizzle-orm';
import { signingKeyFromSeed, signStatement, type JsonObject } from '../../crypto/signing/index.js';
import { toBase64url } from '../../crypto/encoding.js';
import { hubTables } from '../../hub/index.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import type { HubDatabase } from '../../hub/database.js';
import { sendCorrections } from '../../hub/mailbox/corrections.js';
import { mailboxService, type MailboxService } from '../../hub/mailbox/mailbox.service.js';
import { mailboxMessages } from '../../hub/mailbox/mailbox.table.js';
import { monitoringRepository } from '../../hub/monitoring/monitoring.repository.js';
import { attestationRow } from '../../hub/intake/intake.repository.js';
import { sendMonitoringNotices } from '../../hub/monitoring/notices.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { CorrectionBody } from '../../protocol/mailbox.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import {
  machine,
  ms,
  parseBenchArgs,
  positiveInt,
  printMachine,
  printTable,
  rate,
  ratio,
} from './support/report.js';

const USAGE = `npx tsx test/bench/mailbox.ts [options]
  --db pglite|postgres|both   databases (default both; PostgreSQL at SPX_BENCH_DATABASE_URL)
  --agencies N                recipients of one fan-out (default 1000)
  --messages M                messages fetched and acknowledged (default 5000)
  --rounds K                  alternating rounds (default 3)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    agencies: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
  },
  USAGE,
);
const agencyCount = positiveInt(values.agencies, 'agencies');
const messageCount = positiveInt(values.messages, 'messages');
const rounds = positiveInt(values.rounds, 'rounds');

const rng = (n: number) => new Uint8Array(randomBytes(n));
const hubKey = await signingKeyFromSeed(new Uint8Array(32).fill(7));
const reporterKey = await signingKeyFromSeed(new Uint8Array(32).fill(9));
const REPORTER = 'CA0194200';
const oriOf = (i: number) => `TX${String(i).padStart(7, '0')}`;
const now = () => new Date();

printMachine('mailbox: fan-out, fetch and ack', machine());

function payload(patch: Partial<AttestationPayload>): AttestationPayload {
  const at = now();
  return {
    v: 1,
    id: newStatementId(at.getTime(), rng),
    issuer: REPORTER,
    tokens: { epoch: 1, keys: [{ kind: 'ssn', index: toBase64url(rng(32)) }] },
    categoryList: 1,
    category: 'termination',
    useOfForce: false,
    eventDate: '2023-04-02',
    outcomeDate: '2023-09-14',
    status: 'final',
    statusDate: '2023-11-01',
    notified: true,
    disputed: null,
    supersedes: null,
    localRef: 'IA-2023-0042',
    issuedAt: formatTimestamp(at),
    ...patch,
  };
}

const sign = (p: AttestationPayload) =>
  signStatement(p as unknown as JsonObject, { typ: STATEMENT_TYPES.attestation, key: reporterKey });

async function enrollAgencies(db: HubDatabase): Promise<void> {
  const at = now();
  const rows = [REPORTER, ...Array.from({ length: agencyCount }, (_, i) => oriOf(i))].map(
    (ori) => ({
      ori,
      name: `Bench Police Department ${ori}`,
      jurisdiction: 'local',
      state: ori.slice(0, 2),
      roles: ['reporter', 'checker'],
      contactName: 'Records Unit',
      contactEmail: 'records@example.gov',
      contactPhone: '+12135550100',
      enrolledAt: at,
      updatedAt: at,
    }),
  );
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(hubTables.agencies).values(rows.slice(i, i + 1000));
  }
}

async function storeStatement(db: HubDatabase, p: AttestationPayload, jws: string) {
  await db
    .insert(hubTables.attestations)
    .values(attestationRow({ jws, kid: reporterKey.kid, payload: p }, now()));
}

/** A statement that `agencyCount` agencies checked (answered checks listing it). */
async function checkedStatement(db: HubDatabase): Promise<AttestationPayload> {
  const original = payload({});
  await storeStatement(db, original, await sign(original));
  const at = now();
  const audit = Array.from({ length: agencyCount }, (_, i) => ({
    checkId: newStatementId(at.getTime(), rng),
    requester: oriOf(i),
    checkedAt: at,
    purpose: 'hiring',
    consentRef: 'CONSENT-1',
    epoch: 1,
    keyCount: 3,
    outcome: 'answered',
    matchCount: 1,
    matchedAttestationIds: [original.id],
  }));
  for (let i = 0; i < audit.length; i += 1000) {
    await db.insert(hubTables.checkAudit).values(audit.slice(i, i + 1000));
  }
  return original;
}

/** The baseline: one `send` (a seq query and an insert) per message. */
function oneByOne(mailbox: MailboxService): MailboxService {
  return {
    ...mailbox,
    async sendMany(tx, messages, at) {
      const seqs: number[] = [];
      for (const m of messages) seqs.push(await mailbox.send(tx, m.recipient, m.body, at));
      return seqs;
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fanOut(db: HubDatabase, label: string) {
  const mailbox = mailboxService(db, { signingKey: hubKey });
  const variants: Record<string, number[]> = {
    'sign only': [],
    'corrections, one send per message (baseline)': [],
    'corrections, sendMany': [],
    'monitoring notices, sendMany': [],
  };
  for (let r = 0; r < rounds; r++) {
    // The floor: one Ed25519 signature per message, nothing written.
    const body: CorrectionBody = {
      type: 'correction',
      checkId: newStatementId(Date.now(), rng),
      checkedAt: formatTimestamp(now()),
      attestationId: newStatementId(Date.now(), rng),
      current: null,
      currentId: null,
      currentStatus: null,
      changes: [{ field: 'expunged', from: 'final', to: null }],
    };
    variants['sign only']!.push(
      (
        await timed(() =>
          Promise.all(
            Array.from({ length: agencyCount }, (_, i) =>
              signStatement(
                { v: 1, seq: i + 1, to: oriOf(i), createdAt: body.checkedAt, body } as JsonObject,
                { typ: STATEMENT_TYPES.mailboxMessage, key: hubKey },
              ),
            ),
          ),
        )
      ).seconds,
    );
    for (const [name, service] of [
      ['corrections, one send per message (baseline)', oneByOne(mailbox)],
      ['corrections, sendMany', mailbox],
    ] as const) {
      const original = await checkedStatement(db);
      const next = payload({
        supersedes: original.id,
        tokens: original.tokens,
        status: 'overturned',
      });
      const jws = await sign(next);
      await storeStatement(db, next, jws);
      const { value, seconds } = await timed(() =>
        db.transaction((tx) => sendCorrections(tx, service, [{ payload: next, jws }], now())),
      );
      if (value !== agencyCount) throw new Error(`${name}: sent ${value}, not ${agencyCount}`);
      variants[name]!.push(seconds);
    }
    // Monitoring: every agency enrolled one index of the statement.
    const p = payload({});
    const jws = await sign(p);
    await storeStatement(db, p, jws);
    const expires = new Date(Date.now() + 86_400_000);
    for (let i = 0; i < agencyCount; i++) {
      await monitoringRepository(db).upsert(oriOf(i), [p.tokens.keys[0]!], 1, now(), expires);
    }
    const { value, seconds } = await timed(() =>
      db.transaction((tx) => sendMonitoringNotices(tx, mailbox, [{ payload: p, jws }], now())),
    );
    if (value !== agencyCount) throw new Error(`notices: sent ${value}, not ${agencyCount}`);
    variants['monitoring notices, sendMany']!.push(seconds);
  }
  const base = median(variants['corrections, one send per message (baseline)']!);
  console.log(`\n${label}: fan-out of one change to ${agencyCount} agencies (median of ${rounds})`);
  printTable(
    ['variant', 'ms', 'messages/s', 'vs one send per message'],
    Object.entries(variants).map(([name, s]) => [
      name,
      ms(median(s) * 1000),
      rate(agencyCount / median(s)),
      ratio(base / median(s)),
    ]),
  );
}

async function fetchAck(db: HubDatabase, label: string) {
  const mailbox = mailboxService(db, { signingKey: hubKey });
  const recipient = 'NM0010300';
  const results: Record<string, number[]> = {
    'fetch + ack, 100 a page': [],
    'read the same rows by seq (baseline)': [],
  };
  for (let r = 0; r < rounds; r++) {
    const at = now();
    const seqs: number[] = [];
    for (let i = 0; i < messageCount; i += 1000) {
      const part = Array.from({ length: Math.min(1000, messageCount - i) }, () => ({
        recipient,
        body: {
          type: 'correction' as const,
          checkId: newStatementId(at.getTime(), rng),
          checkedAt: formatTimestamp(at),
          attestationId: newStatementId(at.getTime(), rng),
          current: null,
          currentId: null,
          currentStatus: null,
          changes: [{ field: 'expunged' as const, from: 'final', to: null }],
        },
      }));
      seqs.push(...(await db.transaction((tx) => mailbox.sendMany(tx, part, at))));
    }
    const baseline = await timed(async () => {
      for (let i = 0; i < seqs.length; i += 100) {
        await db
          .select({ jws: mailboxMessages.jws })
          .from(mailboxMessages)
          .where(inArray(mailboxMessages.seq, seqs.slice(i, i + 100)))
          .orderBy(asc(mailboxMessages.seq));
      }
    });
    const drained = await timed(async () => {
      let done = 0;
      for (;;) {
        const page = await mailbox.fetch(recipient, 0, 100);
        if (page.messages.length === 0) break;
        const pageSeqs = page.messages.map(
          (jws) =>
            JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()).seq as number,
        );
        await mailbox.ack(recipient, pageSeqs, now());
        done += pageSeqs.length;
      }
      return done;
    });
    if (drained.value !== messageCount) throw new Error(`drained ${drained.value}`);
    results['fetch + ack, 100 a page']!.push(drained.seconds);
    results['read the same rows by seq (baseline)']!.push(baseline.seconds);
    await db.delete(mailboxMessages).where(sql`${mailboxMessages.recipient} = ${recipient}`);
  }
  const base = median(results['read the same rows by seq (baseline)']!);
  console.log(`\n${label}: fetch and ack of ${messageCount} messages (median of ${rounds})`);
  printTable(
    ['variant', 'ms', 'messages/s', 'time vs baseline'],
    Object.entries(results).map(([name, s]) => [
      name,
      ms(median(s) * 1000),
      rate(messageCount / median(s)),
      ratio(median(s) / base),
    ]),
  );
}

for (const kind of databases) {
  if (kind === 'postgres' && !(await postgresReachable(postgresUrl))) {
    if (explicitDb) throw new Error(`PostgreSQL not reachable at ${postgresUrl}`);
    console.log(`\nPostgreSQL not reachable at ${postgresUrl}: skipped`);
    continue;
  }
  const bench = await openBenchDatabase(kind, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
    postgresUrl,
  });
  try {
    const db = bench.handle.db as unknown as HubDatabase;
    await enrollAgencies(db);
    await fanOut(db, bench.label);
    await fetchAck(db, bench.label);
  } finally {
    await bench.close();
  }
}
