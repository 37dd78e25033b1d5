/**
 * Scale for the hub-checks benchmark at a million attestations and more, written by bulk SQL
 * (`--fill F`): F filler statements — stored rows, three hub indexes each, a leaf each in the
 * transparency log with every perfect node above it, and the log head — and the same F records
 * with three raw identifiers each in the baseline's tables. Signing and storing a million real
 * statements through storeBatch would take the better part of an hour here; the filler takes
 * minutes, and the checks cannot tell it apart: a miss looks up the same indexes among the same
 * number of rows, a hit finds a real statement (the signed corpus, appended after the filler)
 * and proves it against a checkpoint over the whole log.
 *
 * What the filler is not: signed (its `jws` is random text of a real statement's length) nor
 * matched by any timed check (hits are drawn from the signed corpus). Its leaves hash its own
 * entry text (RFC 9162: SHA-256 of 0x00 ‖ entry; nodes SHA-256 of 0x01 ‖ left ‖ right), so
 * the tree, the head and every proof a check hands out are consistent.
 *
 * F must be a power of two: the head's root is then the top node (no compact range to fold).
 */
import { sql } from 'drizzle-orm';
import { CATEGORIES } from '../../../protocol/categories.js';
import type { HubDatabase } from '../../../hub/database.js';
import type { BaselineDb } from './baseline.js';

const KINDS = ['ssn', 'name_dob', 'last_dob'] as const;

/** base64url without padding of a bytea expression (how the hub stores hashes and indexes). */
const b64u = (bytes: string) => `rtrim(translate(encode(${bytes}, 'base64'), '+/', '-_'), '=')`;

export interface FillTimes {
  readonly steps: [string, number][];
}

function log2(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l) || l < 1) throw new Error(`--fill must be a power of two, not ${n}`);
  return l;
}

function timer(steps: [string, number][], progress: (step: string) => void) {
  return async (name: string, run: () => Promise<unknown>) => {
    progress(name);
    const started = performance.now();
    await run();
    steps.push([name, (performance.now() - started) / 1000]);
  };
}

/**
 * The filler's statements and hub indexes (`fillLog` first, and the reporting agencies
 * enrolled: the rows reference them).
 */
export async function fillStatements(
  db: HubDatabase,
  reporters: readonly { ori: string; kid: string }[],
  count: number,
  progress: (step: string) => void,
): Promise<FillTimes> {
  const steps: [string, number][] = [];
  const timed = timer(steps, progress);
  const oris = sql.raw(
    `(values ${reporters.map((r, n) => `(${n}, '${r.ori}', '${r.kid}')`).join(', ')}) as o(n, ori, kid)`,
  );
  const categories = sql.raw(`array[${CATEGORIES.map((c) => `'${c}'`).join(', ')}]`);
  const id = `'fill-' || lpad(i::text, 8, '0')`;
  await db.transaction(async (tx) => {
    await timed(`attestations: ${count} rows (INSERT … SELECT generate_series)`, () =>
      tx.execute(sql`
        insert into attestations (id, issuer, kid, epoch, category_list, category, use_of_force,
          event_date, outcome_date, status, status_date, disputed_since, supersedes,
          superseded_by, live, issued_at, received_at, jws)
        select ${sql.raw(id)}, o.ori, o.kid, 1, 1,
               (${categories})[1 + i % ${sql.raw(String(CATEGORIES.length))}], i % 3 = 0,
               (2016 + i % 9) || '-03-15', (2016 + i % 9) || '-07-15', 'final',
               (2016 + i % 9) || '-09-15', null, null, null, true,
               '2026-01-01T00:00:00Z', now(), repeat(md5(i::text), 28)
          from generate_series(0, ${count - 1}::integer) i
          join ${oris} on o.n = i % ${reporters.length}::integer`),
    );
    await timed(`attestation_keys: ${count * 3} rows`, () =>
      tx.execute(sql`
        insert into attestation_keys (attestation_id, hub_index, kind)
        select ${sql.raw(id)},
               ${sql.raw(b64u(`sha256(convert_to('spx fill ' || i || ' ' || k.kind, 'UTF8'))`))},
               k.kind
          from generate_series(0, ${count - 1}::integer) i
          cross join (values ${sql.raw(KINDS.map((k) => `('${k}')`).join(', '))}) as k(kind)`),
    );
  });
  return { steps };
}

/**
 * The filler's leaves at indexes 0 … count − 1 of an empty log, every perfect node above them,
 * and the head: before anything else is logged (agency enrollments are logged too).
 */
export async function fillLog(
  db: HubDatabase,
  count: number,
  progress: (step: string) => void,
): Promise<FillTimes> {
  const levels = log2(count);
  const steps: [string, number][] = [];
  const timed = timer(steps, progress);
  const id = `'fill-' || lpad(i::text, 8, '0')`;
  // One transaction (one connection): the node levels are built in a temporary table.
  await db.transaction(async (tx) => {
    await timed(`log leaves: ${count} (entry text, SHA-256 leaf hash)`, async () => {
      await tx.execute(sql`
        create temporary table fill_nodes (level integer, idx bigint, h bytea,
          primary key (level, idx)) on commit drop`);
      await tx.execute(sql`
        create temporary table fill_leaves on commit drop as
        select i::bigint as i, ${sql.raw(id)} as id,
               '{"fill":' || i || ',"kind":"attestation"}' as entry,
               ${sql.raw(b64u(`sha256(convert_to('spx fill salt ' || i, 'UTF8'))`))} as salt
          from generate_series(0, ${count - 1}::integer) i`);
      await tx.execute(sql`
        insert into fill_nodes
        select 0, i, sha256(decode('00', 'hex') || convert_to(entry, 'UTF8')) from fill_leaves`);
      await tx.execute(sql`
        insert into log_entries (index, kind, entry, leaf_hash, statement_id, salt, appended_at)
        select l.i, 'attestation', l.entry, ${sql.raw(b64u('n.h'))}, l.id, l.salt, now()
          from fill_leaves l join fill_nodes n on n.level = 0 and n.idx = l.i`);
    });
    await timed(`log nodes: ${2 * count - 1} (${levels} levels above the leaves)`, async () => {
      for (let level = 1; level <= levels; level++) {
        await tx.execute(sql`
          insert into fill_nodes
          select ${level}::integer, a.idx / 2, sha256(decode('01', 'hex') || a.h || b.h)
            from fill_nodes a
            join fill_nodes b on b.level = a.level and b.idx = a.idx + 1
           where a.level = ${level - 1}::integer and a.idx % 2 = 0`);
      }
      await tx.execute(sql`
        insert into log_nodes (level, index, hash)
        select level, idx, ${sql.raw(b64u('h'))} from fill_nodes`);
      await tx.execute(sql`
        insert into log_head (singleton, size, root, updated_at)
        select true, ${count}::bigint, ${sql.raw(b64u('h'))}, now()
          from fill_nodes where level = ${levels}::integer and idx = 0`);
    });
  });
  return { steps };
}

/** The same number of records and raw identifiers in the baseline's tables. */
export async function fillBaseline(db: BaselineDb, count: number): Promise<number> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into bench_raw_records (id, agency_ori, category, use_of_force, event_date,
        outcome_date, status, status_date)
      select 'fill-' || lpad(i::text, 8, '0'), 'CA0100000', 'termination', i % 3 = 0,
             '2020-03-15', '2020-07-15', 'final', '2020-09-15'
        from generate_series(0, ${count - 1}::integer) i`);
    await tx.execute(sql`
      insert into bench_raw_identifiers (record_id, kind, identifier)
      select 'fill-' || lpad(i::text, 8, '0'), k.kind, 'SPX1|' || k.kind || '|fill ' || i
        from generate_series(0, ${count - 1}::integer) i
        cross join (values ${sql.raw(KINDS.map((k) => `('${k}')`).join(', '))}) as k(kind)`);
  });
  return (performance.now() - started) / 1000;
}
