/**
 * Test support: an agency node wired as start.ts wires it — its store, a hub client over the
 * test world, the log view, the outbox (receipts verified) and the monitor — that publishes
 * real statements through the keyholders, so a test can then make the hub lie.
 */
import type { NoteVerifierKey } from '../../../crypto/note/index.js';
import { createHubClient, type HubClient } from '../../clients/index.js';
import { seededRng } from '../../clients/test-support/deterministic.js';
import { clientDeps, type TestAgency } from '../../clients/test-support/federation.js';
import { HUB_URL, type World } from '../../clients/test-support/world.js';
import { importOfficers, importOutcomes } from '../../import/index.js';
import { createOutboxSender, type OutboxSender } from '../../outbox/sender.js';
import { publishOutcomes } from '../../publish/publish.js';
import { createLogger } from '../../../platform/logging/json-lines.js';
import type { NodeDatabase } from '../../store/index.js';
import { createKeyholderSet, pinnedKeySetOf } from '../../tokenize/index.js';
import { createLogView, type LogSettings, type LogView } from '../log-view.js';
import { runMonitor, type MonitorResult } from '../monitor.js';

export const MONITOR_OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10004,Nguyễn,Mai,,,1986-02-08,899-51-5915,,,Trần,2019-06-01,
`;
export const MONITOR_OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
RPD-10004,IA-2024-0004,sustained_serious_misconduct,no,2024-09-28,2024-12-16,notice_sent,2025-01-07,yes,
`;

export interface MonitorNode {
  readonly hub: HubClient;
  readonly view: LogView;
  readonly sender: OutboxSender;
  /** JSON log lines of this node. */
  readonly lines: string[];
  /** Imports the two officers and outcomes above, publishes and delivers them. */
  publish(): Promise<void>;
  monitor(options?: { witness?: boolean }): Promise<MonitorResult>;
}

let nodes = 0;

export function monitorNode(
  db: NodeDatabase,
  world: World,
  agency: TestAgency,
  settings: Partial<LogSettings> & { witnesses?: readonly NoteVerifierKey[] } = {},
  options: { hubKeys?: HubClient['hubKeys'] } = {},
): MonitorNode {
  const deps = clientDeps(agency, world.fetch, world.clock.now);
  const hub = createHubClient(HUB_URL, deps);
  const rng = seededRng(`monitor-node:${nodes++}`);
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line), world.clock.now);
  let keys: ReturnType<HubClient['hubKeys']> | undefined;
  const view = createLogView({
    db,
    hub,
    hubKeys: options.hubKeys ?? (() => (keys ??= hub.hubKeys())),
    settings: { origin: undefined, witnesses: [], quorum: 0, ...settings },
    now: world.clock.now,
    log,
  });
  const sender = createOutboxSender({
    db,
    hub,
    now: world.clock.now,
    rng,
    policy: { baseBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 60_000 },
    receipts: view,
    log,
  });
  const keyholders = createKeyholderSet(
    { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
    deps,
  );
  return {
    hub,
    view,
    sender,
    lines,
    async publish() {
      const options = { now: world.clock.now };
      if (!(await importOfficers(db, MONITOR_OFFICERS, options)).ok) throw new Error('officers');
      if (!(await importOutcomes(db, MONITOR_OUTCOMES, options)).ok) throw new Error('outcomes');
      await publishOutcomes(
        { db, keyholders, ori: agency.entry.ori, key: agency.key, now: world.clock.now, rng },
        {},
      );
      await sender.drain();
    },
    monitor: (options = {}) =>
      runMonitor({
        db,
        hub,
        view,
        now: world.clock.now,
        witness: options.witness ? { ori: agency.entry.ori, key: agency.key } : undefined,
        concurrency: 3,
      }),
  };
}
