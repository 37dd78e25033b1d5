/**
 * Regenerates the golden vectors of this folder from their fixed seeds:
 *
 *   npx tsx test/vectors/note/generate.ts
 *
 * test/conformance/note.test.ts rebuilds the same object and compares it with the committed
 * file, so any behavioural change shows up as a failure. The other files of this folder hold
 * published values and are not generated.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGoldenVectors } from './golden-vectors.js';

export const GENERATED = { 'golden.json': buildGoldenVectors } as const;

function main(): void {
  for (const [file, build] of Object.entries(GENERATED)) {
    const url = new URL(file, import.meta.url);
    writeFileSync(url, `${JSON.stringify(build(), null, 2)}\n`);
    console.log(`wrote ${fileURLToPath(url)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
