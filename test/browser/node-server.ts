/**
 * A node with its console served over HTTP on a port the OS picks, in this process: the city
 * agency of a test world (node/clients/test-support) whose keyholders and hub answer in process,
 * with one candidate planted at the hub (PLANTED: a check finds two records) and one nobody
 * reported (CLEAN). On PGlite, or on the PostgreSQL of SPX_TEST_DATABASE_URL. Three users, one
 * of each role, all with PASSWORD.
 */
import { closeServer, listen } from '../../platform/http/listen.js';
import { openNodeTestDatabase } from '../../node/store/testing.js';
import { testNodeApp } from '../../node/service/test-support.js';
import { plantedWorld } from '../../node/service/evidence-test-support.js';
import { DEFAULT_SESSION_SETTINGS } from '../../node/console/session.js';
import { addTestUser, PASSWORD } from '../../node/console/test-support.js';
import type { World } from '../../node/clients/test-support/world.js';

export { CLEAN, PLANTED } from '../../node/service/evidence-test-support.js';
export { PASSWORD };

/** The seeded users: login → role. */
export const USERS = {
  investigator: 'ida',
  recordsOfficer: 'rory',
  administrator: 'adam',
} as const;

export interface ServedNode {
  readonly url: string;
  readonly world: World;
  close(): Promise<void>;
}

export async function startConsoleNode(): Promise<ServedNode> {
  const handle = await openNodeTestDatabase();
  try {
    const world = await plantedWorld();
    const app = testNodeApp(world, handle.db, {
      seed: 'browser-console',
      console: { session: DEFAULT_SESSION_SETTINGS, behindProxy: false },
    });
    for (const [login, role] of [
      [USERS.investigator, 'investigator'],
      [USERS.recordsOfficer, 'records_officer'],
      [USERS.administrator, 'administrator'],
    ] as const) {
      const res = await addTestUser(app, login, role);
      if (res.status !== 201) throw new Error(`adding ${login}: ${res.status}`);
    }
    const { server, address } = await listen(app, '127.0.0.1', 0);
    return {
      url: `http://127.0.0.1:${address.port}`,
      world,
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
