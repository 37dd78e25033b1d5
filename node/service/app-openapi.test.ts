/**
 * The node's API document and reference page (docs/api.md "API documents"). The app is built
 * with every optional feature (log monitor, inbox, monitoring) so that every route it can have
 * is registered; no handler runs here, so its upstreams are stand-ins that refuse to be called.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import type { OpenApiDocument } from '../../platform/http/openapi/index.js';
import {
  answerErrors,
  apiDocumentSuite,
} from '../../platform/http/openapi/openapi.test-support.js';
import { DEFAULT_CHECK_POLICY } from '../config.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import { createNodeApp, type NodeApp, type NodeAppDeps } from './app.js';

const unused = (): never => {
  throw new Error('not called by the document tests');
};
const standIn = new Proxy({}, { get: () => unused }) as never;

let handle: DatabaseHandle<NodeTables>;
beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(() => handle?.close());

function fullApp(): NodeApp {
  const now = () => new Date('2026-05-01T12:00:00Z');
  const deps: NodeAppDeps = {
    db: handle.db,
    adminToken: 'test-admin-token-0123456789abcdef-doc',
    ori: 'CA0194200',
    key: standIn,
    keyholders: standIn,
    hub: standIn,
    hubKeys: unused,
    policy: DEFAULT_CHECK_POLICY,
    outbox: standIn,
    now,
    rng: (n) => new Uint8Array(n),
    log: createLogger(() => undefined, now),
    transparency: {
      view: standIn,
      settings: { origin: undefined, witnesses: [], quorum: 0 },
      runMonitor: unused,
      witness: false,
    },
    pollInbox: unused,
    monitoring: { enabled: true, sync: unused },
  };
  return createNodeApp(deps);
}

describe('the node’s API document', () => {
  apiDocumentSuite(fullApp);

  it('is served without the admin token, as /v1/health is, and describes their answers', async () => {
    const app = fullApp();
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDocument;
    expect((await app.request('/docs')).status).toBe(200);
    const refused = await app.request('/v1/status');
    expect(refused.status).toBe(401);
    expect(await answerErrors(doc, 'GET', '/v1/status', refused)).toEqual([]);
    expect(await answerErrors(doc, 'GET', '/v1/health', await app.request('/v1/health'))).toEqual(
      [],
    );
  });
});
