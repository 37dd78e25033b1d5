import { describe, expect, it } from 'vitest';
import { main } from './spx.js';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    now: () => new Date('2026-11-27T12:00:00Z'),
  };
  return main(args, io).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

describe('spx keys', () => {
  it('prints the same name keys for two spellings of the same officer', async () => {
    const a = await run([
      'keys',
      '--first-name',
      'José',
      '--last-name',
      'García-López Jr.',
      '--dob',
      '1984-07-02',
      '--json',
    ]);
    const b = await run([
      'keys',
      '--first-name',
      'JOSE',
      '--last-name',
      'garcia lopez',
      '--dob',
      '1984-07-02',
      '--json',
    ]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
    expect(a.out).toContain('SPX1|name_dob|GARCIALOPEZ|JOSE|1984-07-02');
  });

  it('prints a table with every kind, strongest first, and alias keys', async () => {
    const r = await run([
      'keys',
      '--first-name',
      'Maria',
      '--last-name',
      'Garcia',
      '--dob',
      '1985-03-14',
      '--ssn',
      '123-45-6789',
      '--license',
      'tx:12-345-678',
      '--alias',
      'Lopez',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^ssn\s+strong\s+primary\s+SPX1\|ssn\|123456789$/);
    expect(r.out).toContain('SPX1|license|TX|12345678');
    expect(r.out).toContain('SPX1|last_dob|LOPEZ|1985-03-14');
  });

  it('names every rejected flag and exits 1 without printing keys', async () => {
    const r = await run([
      'keys',
      '--first-name',
      'Maria',
      '--last-name',
      'Garc1a',
      '--ssn',
      '666-12-3456',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('--last-name: NAME_DIGIT');
    expect(r.err).toContain('--ssn: SSN_INVALID_AREA');
  });

  it('rejects a licence without a state and a missing required flag with usage errors', async () => {
    expect(
      (await run(['keys', '--first-name', 'A', '--last-name', 'B', '--license', '12345'])).code,
    ).toBe(1);
    const missing = await run(['keys', '--first-name', 'A']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--last-name');
  });

  it('prints help for the command', async () => {
    const r = await run(['keys', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--first-name <name>');
    expect(r.out).toContain('Example:');
  });
});
