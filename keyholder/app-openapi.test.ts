/** The keyholder's API document and reference page (docs/api.md "API documents"). */
import { afterAll, beforeAll, describe } from 'vitest';
import { apiDocumentSuite } from '../platform/http/openapi/openapi.test-support.js';
import { openTestbed, type Testbed } from './test-fixtures.js';

let bed: Testbed;
beforeAll(async () => {
  bed = await openTestbed();
});
afterAll(() => bed?.handle.close());

describe('the keyholder’s API document', () => {
  apiDocumentSuite(() => bed.app());
});
