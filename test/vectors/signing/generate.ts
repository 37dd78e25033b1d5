/**
 * Regenerates the golden vectors of this folder from their fixed seeds:
 *
 *   npx tsx test/vectors/signing/generate.ts
 *
 * test/conformance/signing.test.ts rebuilds the same objects and compares them
 * with the committed files, so any behavioural change shows up as a failure.
 * Files whose source is an RFC (rfc*.json) are not generated: they hold the
 * published values as printed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildAudienceVectors } from './audience-vectors.js';
import { buildDetachedVectors } from './detached-vectors.js';
import { buildRequestTokenVectors } from './request-token-vectors.js';
import { buildStatementVectors } from './statement-vectors.js';

export const GENERATED = {
  'statements.json': buildStatementVectors,
  'request-tokens.json': buildRequestTokenVectors,
  'audiences.json': buildAudienceVectors,
  'detached.json': buildDetachedVectors,
} as const;

async function main(): Promise<void> {
  for (const [file, build] of Object.entries(GENERATED)) {
    const url = new URL(file, import.meta.url);
    writeFileSync(url, `${JSON.stringify(await build(), null, 2)}\n`);
    console.log(`wrote ${fileURLToPath(url)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
