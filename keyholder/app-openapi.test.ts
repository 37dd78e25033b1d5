/** The keyholder's API document and reference page (docs/api.md "API documents"). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../platform/http/openapi/index.js';
import { answerErrors, apiDocumentSuite } from '../platform/http/openapi/openapi.test-support.js';
import { tokenizationRequestExample } from '../protocol/api-examples.js';
import { openTestbed, type Testbed } from './test-fixtures.js';

let bed: Testbed;
beforeAll(async () => {
  bed = await openTestbed();
});
afterAll(() => bed?.handle.close());

describe('the keyholder’s API document', () => {
  apiDocumentSuite(() => bed.app());

  it('describes what the keyholder answers, status, media type and body', async () => {
    const app = bed.app();
    const doc = (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
    const keys = await app.request('/v1/keys');
    expect(keys.status).toBe(200);
    expect(await answerErrors(doc, 'GET', '/v1/keys', keys)).toEqual([]);
    expect(await answerErrors(doc, 'GET', '/v1/health', await app.request('/v1/health'))).toEqual(
      [],
    );
    const unsigned = await app.request('/v1/evaluate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tokenizationRequestExample),
    });
    expect(unsigned.status).toBe(401);
    expect(await answerErrors(doc, 'POST', '/v1/evaluate', unsigned)).toEqual([]);
  });
});
