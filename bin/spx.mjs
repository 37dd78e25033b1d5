#!/usr/bin/env node
// The `spx` command: runs the CLI compiled to dist/ by `npm run build` (the published package
// ships it built). Plain JavaScript, so starting a command costs no TypeScript loader.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const entry = new URL('../dist/bin/spx.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('spx: not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
