#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the project ships without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./spx.ts');
process.exitCode = await main(process.argv.slice(2));
