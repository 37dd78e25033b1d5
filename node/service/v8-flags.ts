/**
 * V8 settings for `spx node serve` (docs/node.md "Memory"), set at run time before the database
 * loads, since `spx` is started as a plain `node` script that takes no command-line flags:
 *
 * - `--liftoff-only`: PGlite's ~9 MB of WebAssembly (PostgreSQL) is compiled by V8's baseline
 *   compiler only, never again by TurboFan as functions get hot. That second copy of the hot
 *   code, and the compiler's working memory, were ~50–60 MB of an idle node; the node's
 *   database work (a few statements per check, imports of thousands of rows) stays fast
 *   enough (docs/performance.md "Node" measures both).
 * - `--semi-space-growth-factor=1`: the young generation keeps its initial size (2 × 1 MiB)
 *   instead of growing to 2 × 16 MiB under an import's allocations, the run-time equivalent of
 *   `--max-semi-space-size=1`, which V8 reads only when the process starts. Short-lived
 *   objects are collected more often, in smaller scavenges.
 *
 * Both are read by V8 when it next compiles WebAssembly or resizes the young generation, so
 * setting them early in the process is enough; they change speed, never results.
 */
import v8 from 'node:v8';

export const SERVE_V8_FLAGS: readonly string[] = ['--liftoff-only', '--semi-space-growth-factor=1'];

export function applyServeV8Flags(setFlags: (flags: string) => void = v8.setFlagsFromString): void {
  for (const flag of SERVE_V8_FLAGS) setFlags(flag);
}
