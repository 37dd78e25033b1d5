/** The hub's API document and reference page (docs/api.md "API documents"). */
import { beforeEach, describe, expect, it } from 'vitest';
import { answerErrors, apiDocumentSuite } from '../platform/http/openapi/openapi.test-support.js';
import type { OpenApiDocument } from '../platform/http/openapi/index.js';
import { checkRequestExample } from '../protocol/api-examples.js';
import {
  enrollAgency,
  hubRequest,
  keyFromByte,
  useHubFixture,
  type TestAgency,
} from './test-support.js';

describe('the hub’s API document', () => {
  const fx = useHubFixture();
  apiDocumentSuite(() => fx.app);

  let agency: TestAgency;
  beforeEach(async () => {
    agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(0x11));
  });

  it('describes what the hub answers, status, media type and body', async () => {
    const doc = (await (await fx.app.request('/openapi.json')).json()) as OpenApiDocument;
    const answers: [string, string, string, Response][] = [];
    const call = async (
      method: 'GET' | 'POST',
      template: string,
      path: string,
      signed: boolean,
      body?: unknown,
    ) => {
      const res = await hubRequest(
        fx,
        method,
        path,
        signed ? agency : null,
        body === undefined ? undefined : JSON.stringify(body),
      );
      answers.push([method, template, path, res]);
    };
    for (const path of [
      '/v1/health',
      '/v1/hub/keys',
      '/v1/epochs',
      '/v1/registry/agencies',
      '/v1/registry/jwks',
      '/v1/credentials',
      '/v1/credentials/affirmations',
      '/v1/credentialing-bodies',
      '/v1/log/checkpoint',
    ]) {
      await call('GET', path, path, false);
    }
    await call('GET', '/v1/registry/agencies/{ori}', '/v1/registry/agencies/CA0194200', false);
    await call('GET', '/v1/registry/agencies/{ori}', '/v1/registry/agencies/XX0000000', false);
    for (const path of [
      '/v1/mailbox/messages',
      '/v1/monitoring/enrollments',
      '/v1/certifications',
    ]) {
      await call('GET', path, path, true);
    }
    await call('POST', '/v1/checks', '/v1/checks', true, checkRequestExample);
    await call('POST', '/v1/checks', '/v1/checks', false, checkRequestExample);
    await call('POST', '/v1/mailbox/ack', '/v1/mailbox/ack', true, { seqs: [1] });
    await call('POST', '/v1/attestations', '/v1/attestations', true, { attestations: 'x' });

    // Successes and refusals alike, so both kinds of schema are held to the answers.
    expect(answers.map(([m, , p, r]) => `${m} ${p} ${r.status}`)).toContain('POST /v1/checks 200');
    expect(answers.map(([m, , p, r]) => `${m} ${p} ${r.status}`)).toContain('POST /v1/checks 401');
    for (const [method, template, path, res] of answers) {
      expect(await answerErrors(doc, method, template, res), `${method} ${path}`).toEqual([]);
    }
  });
});
