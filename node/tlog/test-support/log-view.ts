/** Test support: a node's log view over a hub client, as start.ts builds it. */
import type { HubClient } from '../../clients/index.js';
import type { NodeDatabase } from '../../store/index.js';
import type { Logger } from '../../../platform/logging/json-lines.js';
import { createLogView, type LogSettings, type LogView } from '../log-view.js';

export function testLogView(
  db: NodeDatabase,
  hub: Pick<HubClient, 'hubKeys' | 'logConsistencyProof'>,
  options: { now?: () => Date; settings?: Partial<LogSettings>; log?: Logger } = {},
): LogView {
  let keys: ReturnType<HubClient['hubKeys']> | undefined;
  return createLogView({
    db,
    hub,
    hubKeys: () => (keys ??= hub.hubKeys()),
    settings: { origin: undefined, witnesses: [], quorum: 0, ...options.settings },
    now: options.now ?? (() => new Date('2025-03-01T12:00:00Z')),
    ...(options.log ? { log: options.log } : {}),
  });
}
