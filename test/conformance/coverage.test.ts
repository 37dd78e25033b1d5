/**
 * Every vector folder has a conformance suite, and that suite walks the whole folder (and fails
 * on a file it does not know), so no committed vector can sit unexercised.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const VECTORS = join(import.meta.dirname, '..', 'vectors');
const folders = readdirSync(VECTORS).filter((f) => statSync(join(VECTORS, f)).isDirectory());

describe('conformance coverage', () => {
  it('has vector folders to cover', () => {
    expect(folders.length).toBeGreaterThanOrEqual(3);
  });

  it.each(folders)('runs every JSON file of test/vectors/%s', (folder) => {
    const suite = join(import.meta.dirname, `${folder}.test.ts`);
    expect(existsSync(suite), `missing test/conformance/${folder}.test.ts`).toBe(true);
    const source = readFileSync(suite, 'utf8');
    expect(source).toMatch(/readdirSync\(/);
    expect(existsSync(join(VECTORS, folder, 'README.md')), 'each folder records its sources').toBe(
      true,
    );
  });
});
