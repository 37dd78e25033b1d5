/**
 * The matching queries of a check (docs/protocol.md §5.8.1): the current statements of the
 * request's epoch that share a hub index with the request. "Current" under an epoch is the
 * chain's live statement of that epoch (intake.table.ts): the head, or during an epoch
 * changeover the statement the head only re-stated under a newer epoch; retracted, overturned
 * and expired ones are never returned (docs/protocol.md §5.8.4). Each lookup is an index scan
 * on attestation_keys.hub_index.
 *
 * `match` is the whole of a check's reading in one statement (docs/performance.md, "Hub
 * checks"): the request token's single use (the replay claim), the matched statements with the
 * kinds and indexes they share with the request and their leaves in the transparency log —
 * and, when nothing matches, the check's audit row, written by the same statement, so a miss
 * costs one round trip and one commit. A replayed token matches nothing and stores nothing. The
 * request's indexes travel as one parameter, so the statement's text — and the plan PostgreSQL
 * prepares for it — is the same for every check.
 */
import { and, countDistinct, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { rawRows } from '../../platform/db/raw-rows.js';
import { replayClaim } from '../../platform/db/request-replay.js';
import type { ReplayEntry } from '../../crypto/request-auth/replay-cache.js';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import { logEntries } from '../tlog/tlog.table.js';
import type { HubDatabase } from '../database.js';
import { NEVER_SHOWN_STATUSES } from '../../protocol/disclosure.js';
import { checkAudit } from './audit.table.js';
import type { CheckAuditRecord } from './audit.repository.js';

/** Statuses whose chains are never shown to a checker (§5.8.4). */
const HIDDEN_STATUSES = [...NEVER_SHOWN_STATUSES];

export type MatchedStatement = typeof attestations.$inferSelect;

/** A matched statement with what the answer needs besides it. */
export interface MatchedRow {
  readonly statement: MatchedStatement;
  /** Its leaf in the log: undefined when not logged, salt null after expungement. */
  readonly leaf: { index: number; salt: string | null } | undefined;
}

/** The audit row of a check that matches nothing (written by `match` itself). */
export type MissAudit = Omit<CheckAuditRecord, 'outcome' | 'matchCount' | 'matchedAttestationIds'>;

/** Hub indexes as one text parameter: base64url has no comma (protocol/common HubIndexSchema). */
function indexList(indexes: readonly string[]): string {
  for (const i of indexes) if (i.includes(',')) throw new Error('a hub index holds a comma');
  return indexes.join(',');
}

/**
 * Statement ids as one text parameter, split back into `text[]` by the statement: ids are
 * UUIDs (protocol/statement-id.ts), without commas; no id gives '' and an empty array.
 */
function idList(ids: readonly string[]): string {
  for (const id of ids) if (id.includes(',')) throw new Error('a statement id holds a comma');
  return ids.length === 0 ? '' : ids.join(',');
}

function text(value: unknown): string {
  return String(value);
}

function nullableText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function toRow(r: Record<string, unknown>): MatchedRow {
  const leafIndex = r['leaf_index'];
  return {
    statement: {
      id: text(r['id']),
      issuer: text(r['issuer']),
      kid: text(r['kid']),
      epoch: Number(r['epoch']),
      categoryList: Number(r['category_list']),
      category: text(r['category']),
      useOfForce: r['use_of_force'] === true,
      eventDate: text(r['event_date']),
      outcomeDate: text(r['outcome_date']),
      status: text(r['status']),
      statusDate: text(r['status_date']),
      disputedSince: nullableText(r['disputed_since']),
      supersedes: nullableText(r['supersedes']),
      supersededBy: nullableText(r['superseded_by']),
      live: r['live'] === true,
      issuedAt: text(r['issued_at']),
      receivedAt: new Date(r['received_at'] as string | Date),
      jws: text(r['jws']),
    },
    leaf:
      leafIndex === null || leafIndex === undefined
        ? undefined
        : { index: Number(leafIndex), salt: nullableText(r['leaf_salt']) },
  };
}

export function checksRepository(db: HubDatabase) {
  const current = (epoch: number, indexes: readonly string[]) =>
    and(
      inArray(attestationKeys.hubIndex, [...indexes]),
      eq(attestations.epoch, epoch),
      eq(attestations.live, true),
      notInArray(attestations.status, HIDDEN_STATUSES),
    );
  const hidden = sql.join(
    HIDDEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );

  return {
    /**
     * Finds at most `limit` current statements sharing an index with `indexes`, each with its
     * log leaf. When there are none, it also claims `replay` (the request token's jti;
     * undefined: already claimed) and, if the claim succeeds, stores `missAudit` as the
     * check's `answered` audit row with no match: one statement. `fresh` is then false for a
     * replayed token (nothing stored). When something matched, the statement only read:
     * nothing is claimed or stored (`fresh` undefined) and the caller claims with its audit
     * row (`claimAndRecord`), so a hit also commits once.
     */
    async match(
      epoch: number,
      indexes: readonly string[],
      limit: number,
      missAudit: MissAudit,
      replay?: ReplayEntry,
    ): Promise<{ fresh: boolean | undefined; rows: MatchedRow[] }> {
      const list = indexList(indexes);
      const none = sql`not exists (select 1 from matched)`;
      const claim =
        replay === undefined ? sql`select 1 as claimed where ${none}` : replayClaim(replay, none);
      const result: unknown = await db.execute(sql`
        with matched as (
          select distinct a.id
            from ${attestationKeys} k
            join ${attestations} a on a.id = k.attestation_id
           where k.hub_index = any(string_to_array(${list}::text, ','))
             and a.epoch = ${epoch}::integer
             and a.live
             and a.status not in (${hidden})
           limit ${limit}::integer
        ),
        replay as (${claim}),
        audited as (
          insert into ${checkAudit}
            (check_id, requester, checked_at, purpose, consent_ref, epoch, key_count, outcome,
             match_count, matched_attestation_ids)
          select ${missAudit.checkId}::text, ${missAudit.requester}::text,
                 ${missAudit.checkedAt.toISOString()}::timestamptz, ${missAudit.purpose}::text,
                 ${missAudit.consentRef}::text, ${missAudit.epoch}::integer,
                 ${missAudit.keyCount}::integer, 'answered', 0, '{}'::text[]
           where exists (select 1 from replay)
          returning 1
        )
        select f.fresh, a.id, a.issuer, a.kid, a.epoch, a.category_list, a.category, a.use_of_force,
               a.event_date, a.outcome_date, a.status, a.status_date, a.disputed_since,
               a.supersedes, a.superseded_by, a.live, a.issued_at, a.received_at, a.jws,
               le.index::float8 as leaf_index, le.salt as leaf_salt
          from (select exists (select 1 from replay) as fresh) f
          left join matched m on true
          left join ${attestations} a on a.id = m.id
          left join ${logEntries} le on le.statement_id = a.id`);
      const raw = rawRows(result);
      const rows = raw.filter((r) => r['id'] !== null && r['id'] !== undefined).map(toRow);
      return { fresh: rows.length > 0 ? undefined : raw[0]?.['fresh'] === true, rows };
    },

    /**
     * Claims `replay` (undefined: already claimed) and, if the claim succeeds, stores `record`
     * as the check's audit row: one statement, one commit. Returns false for a replayed token
     * (nothing stored).
     */
    async claimAndRecord(record: CheckAuditRecord, replay?: ReplayEntry): Promise<boolean> {
      const claim = replay === undefined ? sql`select 1 as claimed` : replayClaim(replay);
      const result: unknown = await db.execute(sql`
        with replay as (${claim}),
        audited as (
          insert into ${checkAudit}
            (check_id, requester, checked_at, purpose, consent_ref, epoch, key_count, outcome,
             match_count, matched_attestation_ids)
          select ${record.checkId}::text, ${record.requester}::text,
                 ${record.checkedAt.toISOString()}::timestamptz, ${record.purpose}::text,
                 ${record.consentRef}::text, ${record.epoch}::integer,
                 ${record.keyCount}::integer, ${record.outcome}::text,
                 ${record.matchCount}::integer,
                 string_to_array(${idList(record.matchedAttestationIds)}::text, ',')
           where exists (select 1 from replay)
          returning 1
        )
        select exists (select 1 from replay) as fresh`);
      return rawRows(result)[0]?.['fresh'] === true;
    },

    /** Ids of current statements sharing an index with `indexes`, at most `limit` of them. */
    async matchingIds(epoch: number, indexes: readonly string[], limit: number): Promise<string[]> {
      const rows = await db
        .selectDistinct({ id: attestations.id })
        .from(attestationKeys)
        .innerJoin(attestations, eq(attestations.id, attestationKeys.attestationId))
        .where(current(epoch, indexes))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /** How many current statements share an index (only asked when there are too many). */
    async countMatching(epoch: number, indexes: readonly string[]): Promise<number> {
      const [row] = await db
        .select({ n: countDistinct(attestations.id) })
        .from(attestationKeys)
        .innerJoin(attestations, eq(attestations.id, attestationKeys.attestationId))
        .where(current(epoch, indexes));
      return row?.n ?? 0;
    },
  };
}
