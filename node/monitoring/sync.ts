/**
 * Keeping the agency's monitoring enrollments at the hub in step with its roster (docs/node.md
 * "Monitoring", docs/protocol.md §5.14). Off unless the agency opts in (SPX_NODE_MONITORING).
 *
 * One sync: every current officer (no separation date, or one still to come) whose indexes are
 * not known under the key epoch the node tokenizes under — or whose record changed since they
 * were derived — is tokenized through the keyholders; their indexes are recorded here with the
 * officer, and the hub is sent, in pages, the indexes to enroll (new ones, and those within
 * `renewDays` of their term) and those to remove (separated officers, changed records, an older
 * epoch). Only hub indexes leave the node. Resumable: what the hub has not acknowledged is sent
 * again by the next sync; a sync with monitoring turned off removes every enrollment.
 */
import { MAX_ENROLLMENT_BATCH } from '../../protocol/monitoring.js';
import type { MatchKeyKind } from '../../crypto/match-key-kind.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import { isClientError } from '../clients/client-error.js';
import type { HubClient } from '../clients/hub-client.js';
import { identityOf } from '../import/index.js';
import {
  monitoringRepository,
  officersRepository,
  type NewEnrollmentRow,
  type NodeDatabase,
  type Officer,
} from '../store/index.js';
import { tokenizeIdentities, type KeyholderSet } from '../tokenize/index.js';

import type { MonitoringSettings } from './settings.js';

const DAY_MS = 86_400_000;
/** Officers read, and tokenized, per step. */
const PAGE = 500;

export interface MonitoringSyncDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'enrollMonitoring'>;
  readonly keyholders: KeyholderSet;
  readonly rng: (n: number) => Uint8Array;
  readonly now: () => Date;
  readonly log: Logger;
  readonly settings: MonitoringSettings;
}

export interface MonitoringSyncResult {
  readonly enabled: boolean;
  /** Current officers enrolled (or to be) after the sync. */
  readonly officers: number;
  /** Officers whose record yields no keys (their import issues say why). */
  readonly untokenizable: number;
  readonly enrolled: number;
  readonly renewed: number;
  readonly removed: number;
  /** The hub's refusal code when it refused a request (e.g. ENROLLMENT_LIMIT); else null. */
  readonly refused: string | null;
}

function isCurrent(officer: Officer, today: string): boolean {
  return officer.separationDate === null || officer.separationDate > today;
}

export async function syncMonitoring(deps: MonitoringSyncDeps): Promise<MonitoringSyncResult> {
  const repo = monitoringRepository(deps.db);
  const now = deps.now();
  const result = { enrolled: 0, renewed: 0, removed: 0, untokenizable: 0 };
  let officersEnrolled = 0;
  let epoch: number;

  if (!deps.settings.enabled) {
    if ((await repo.all()).length === 0) {
      return { enabled: false, officers: 0, ...result, refused: null };
    }
    await repo.removeAll();
    epoch = (await deps.keyholders.keySet()).keySet.epoch;
  } else {
    epoch = (await deps.keyholders.keySet()).keySet.epoch;
    const today = now.toISOString().slice(0, 10);
    const rows = await repo.all();
    const rowsOf = new Map<number, typeof rows>();
    for (const r of rows) {
      if (r.state !== 'enrolled') continue;
      rowsOf.set(r.officerId, [...(rowsOf.get(r.officerId) ?? []), r]);
    }
    const seen = new Set<number>();
    const stale: number[] = [];
    let afterId = 0;
    for (;;) {
      const page = await officersRepository(deps.db).list({ afterId, limit: PAGE });
      if (page.length === 0) break;
      afterId = page[page.length - 1]!.id;
      const toTokenize: Officer[] = [];
      for (const officer of page) {
        seen.add(officer.id);
        const held = rowsOf.get(officer.id) ?? [];
        if (!isCurrent(officer, today)) {
          if (held.length > 0) stale.push(officer.id);
          continue;
        }
        const fresh =
          held.length > 0 &&
          held.every((r) => r.epoch === epoch && r.tokenizedAt >= officer.updatedAt);
        if (fresh) officersEnrolled++;
        else toTokenize.push(officer);
      }
      if (toTokenize.length === 0) continue;
      const tokens = await tokenizeIdentities(toTokenize.map(identityOf), {
        keyholders: deps.keyholders,
        rng: deps.rng,
        asOf: now,
      });
      const replaced: number[] = [];
      const fresh: NewEnrollmentRow[] = [];
      toTokenize.forEach((officer, i) => {
        const t = tokens.identities[i]!;
        if (rowsOf.has(officer.id)) replaced.push(officer.id);
        if (!t.ok) {
          result.untokenizable++;
          return;
        }
        officersEnrolled++;
        for (const k of t.keys) {
          fresh.push({
            officerId: officer.id,
            employeeId: officer.employeeId,
            hubIndex: k.index,
            kind: k.kind,
            epoch: tokens.epoch,
            tokenizedAt: now,
          });
        }
      });
      await repo.replace(replaced, fresh);
    }
    // Officers no longer on the roster at all.
    for (const id of rowsOf.keys()) if (!seen.has(id)) stale.push(id);
    await repo.replace(stale, []);
  }

  // What to tell the hub, from what is recorded now.
  const rows = await repo.all();
  const keep = new Map<string, { kind: MatchKeyKind; due: boolean }>();
  const renewBefore = now.getTime() + deps.settings.renewDays * DAY_MS;
  for (const r of rows) {
    if (r.state !== 'enrolled' || r.epoch !== epoch) continue;
    const due = r.expiresAt === null || r.expiresAt.getTime() < renewBefore;
    const prior = keep.get(r.hubIndex);
    keep.set(r.hubIndex, { kind: r.kind as MatchKeyKind, due: (prior?.due ?? false) || due });
  }
  const removing = [...new Set(rows.filter((r) => r.state === 'removing').map((r) => r.hubIndex))];
  // An index still enrolled for another officer stays at the hub: only the local row goes.
  await repo.removed(removing.filter((i) => keep.has(i)));
  const remove = removing.filter((i) => !keep.has(i));
  const enroll = [...keep].filter(([, v]) => v.due).map(([index, v]) => ({ kind: v.kind, index }));

  let refused: string | null = null;
  for (let i = 0; i < Math.max(enroll.length, remove.length); i += MAX_ENROLLMENT_BATCH) {
    const page = {
      epoch,
      enroll: enroll.slice(i, i + MAX_ENROLLMENT_BATCH),
      remove: remove.slice(i, i + MAX_ENROLLMENT_BATCH),
    };
    try {
      const receipt = await deps.hub.enrollMonitoring(page);
      await repo.enrolled(
        page.enroll.map((k) => k.index),
        new Date(receipt.expiresAt),
      );
      await repo.removed(page.remove);
      result.enrolled += receipt.enrolled;
      result.renewed += receipt.renewed;
      result.removed += receipt.removed;
    } catch (e) {
      if (!isClientError(e) || e.status === undefined || e.retryable) throw e;
      // A refusal (ENROLLMENT_LIMIT, a role the agency lacks): the rest would be refused too.
      refused = e.code;
      deps.log('warn', 'monitoring_enrollment_refused', { code: e.code, message: e.message });
      break;
    }
  }
  const out = {
    enabled: deps.settings.enabled,
    officers: officersEnrolled,
    ...result,
    refused,
  };
  deps.log('info', 'monitoring_sync', { ...out });
  return out;
}
