/**
 * The node's retention pass (docs/node.md "Retention", docs/protocol.md §5.13), run on the
 * monitor's interval:
 *
 * 1. each outcome whose accepted statement is final or overturned and is due under the
 *    retention table — for this agency's jurisdiction and state, as the hub's registry has
 *    them, which is what the hub applies — becomes `expired`, on its due day;
 * 2. those `expired` outcomes are published (and only those: what an operator imported and has
 *    not published stays unpublished); the outbox delivers them;
 * 3. under `archive` or `delete`, each outcome whose `expired` statement the hub has accepted is
 *    retired (retentionRepository.retire). `keep` leaves it as an expired outcome.
 *
 * The hub stops disclosing a due record on its due day whether or not this pass has run: a node
 * that was offline catches up on its next pass, and its `expired` statements then tell earlier
 * checkers (docs/protocol.md §5.12.3).
 */
import type { Category } from '../../protocol/categories.js';
import {
  CURRENT_RETENTION_TABLE,
  retentionDueDate,
  type ReportingJurisdiction,
  type RetentionTable,
} from '../../protocol/retention.js';
import type { RetentionAction } from '../config.js';
import type { PublishFailure, PublishOptions, PublishResult } from '../publish/index.js';
import { retentionRepository, type NodeDatabase, type Outcome } from '../store/index.js';

export interface RetentionDeps {
  readonly db: NodeDatabase;
  /** This agency as the hub's registry has it (its jurisdiction level and state). */
  readonly jurisdiction: () => Promise<ReportingJurisdiction>;
  readonly action: RetentionAction;
  /** publishOutcomes with the node's signing deps. */
  readonly publish: (options: PublishOptions) => Promise<PublishResult>;
  readonly now: () => Date;
  readonly table?: RetentionTable;
}

export interface RetentionPass {
  /** Outcomes found due and marked expired this pass. */
  readonly expired: number;
  /** `expired` statements signed and enqueued. */
  readonly published: number;
  /** Outcomes archived or deleted. */
  readonly retired: number;
  readonly failed: readonly PublishFailure[];
}

const PAGE = 500;

/** The day `outcome` is due, when it is due by `today`; otherwise undefined. */
function dueDay(
  outcome: Outcome,
  reporter: ReportingJurisdiction,
  today: string,
  table: RetentionTable,
): string | undefined {
  const due = retentionDueDate(
    {
      category: outcome.category as Category,
      status: outcome.status,
      statusDate: outcome.statusDate,
    },
    reporter,
    table,
  );
  return due !== null && today >= due ? due : undefined;
}

export async function runRetention(deps: RetentionDeps): Promise<RetentionPass> {
  const repo = retentionRepository(deps.db);
  const table = deps.table ?? CURRENT_RETENTION_TABLE;
  const reporter = await deps.jurisdiction();
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);

  let expired = 0;
  for (let afterId = 0; ;) {
    const page = await repo.clockRunning({ afterId, limit: PAGE });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    for (const outcome of page) {
      const due = dueDay(outcome, reporter, today, table);
      if (due !== undefined && (await repo.markExpired(outcome.id, outcome.revision, due, now))) {
        expired++;
      }
    }
  }

  const published = await deps.publish({ statuses: ['expired'] });

  let retired = 0;
  if (deps.action !== 'keep') {
    for (;;) {
      const ready = await repo.expiredAccepted(PAGE);
      let done = 0;
      for (const { outcome } of ready) {
        if (await repo.retire(outcome.id, deps.action, deps.now())) done++;
      }
      retired += done;
      // A page where nothing could be retired (each taken by a concurrent pass) ends the pass.
      if (ready.length < PAGE || done === 0) break;
    }
  }
  return { expired, published: published.signed, retired, failed: published.failed };
}
