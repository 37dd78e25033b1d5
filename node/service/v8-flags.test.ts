import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVE_V8_FLAGS } from './v8-flags.js';

describe('the V8 flags of spx node serve', () => {
  it('take effect when set at run time: the young generation stays at its initial size', () => {
    // A child process, so that this one's flags are left alone; a million short-lived objects
    // grow the young generation to 2 × 16 MiB without the flags.
    const script = (flags: readonly string[]) => `
      const v8 = require('node:v8');
      for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f);
      const keep = [];
      for (let i = 0; i < 1e6; i++) keep.push({ i });
      const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      process.stdout.write(String(space.space_size));`;
    const newSpace = (flags: readonly string[]) =>
      Number(execFileSync(process.execPath, ['-e', script(flags)], { encoding: 'utf8' }));
    const without = newSpace([]);
    const withFlags = newSpace(SERVE_V8_FLAGS);
    expect(withFlags).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(without).toBeGreaterThan(withFlags);
  });
});
