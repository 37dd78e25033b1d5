/** The hub's API document and reference page (docs/api.md "API documents"). */
import { describe } from 'vitest';
import { apiDocumentSuite } from '../platform/http/openapi/openapi.test-support.js';
import { useHubFixture } from './test-support.js';

describe('the hub’s API document', () => {
  const fx = useHubFixture();
  apiDocumentSuite(() => fx.app);
});
