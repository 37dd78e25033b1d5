/**
 * Regenerates log.json from its fixed seeds:
 *
 *   npx tsx test/vectors/log/generate.ts
 *
 * test/conformance/log.test.ts rebuilds the same object and compares it with the committed file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildLogVectors } from './log-vectors.js';
import { buildStatisticsReleaseVectors } from './statistics-release-vectors.js';

export const GENERATED = {
  'log.json': buildLogVectors,
  'statistics-release.json': buildStatisticsReleaseVectors,
} as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, build] of Object.entries(GENERATED)) {
    const url = new URL(file, import.meta.url);
    writeFileSync(url, `${JSON.stringify(await build(), null, 2)}\n`);
    console.log(`wrote ${fileURLToPath(url)}`);
  }
}
