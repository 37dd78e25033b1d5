/**
 * A hub with the seeded public data (hub/pages/pages.test-support.ts) served over HTTP on a port
 * the OS picks, in this process: on PGlite, or on the PostgreSQL of SPX_TEST_DATABASE_URL.
 */
import { listen } from '../../platform/http/listen.js';
import { closeServer } from '../../platform/http/listen.js';
import type { HubDatabase } from '../../hub/database.js';
import { statisticsSnapshots } from '../../hub/statistics/statistics.table.js';
import { PUBLIC_HUB_CONFIG, seedPublicHub } from '../../hub/pages/pages.test-support.js';
import {
  clearHubTables,
  hubFixture,
  openHubTestDatabase,
  type HubFixture,
} from '../../hub/test-support.js';

export interface ServedHub {
  readonly url: string;
  readonly fx: HubFixture;
  close(): Promise<void>;
}

async function reset(db: HubDatabase): Promise<void> {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
}

export async function startSeededHub(): Promise<ServedHub> {
  const handle = await openHubTestDatabase();
  try {
    await reset(handle.db);
    const fx = await hubFixture(handle.db, PUBLIC_HUB_CONFIG);
    await seedPublicHub(fx);
    const { server, address } = await listen(fx.app, '127.0.0.1', 0);
    return {
      url: `http://127.0.0.1:${address.port}`,
      fx,
      async close() {
        await closeServer(server);
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
