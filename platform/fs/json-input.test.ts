import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonInput, readJsonInput } from './json-input.js';

describe('parseJsonInput', () => {
  it('parses JSON and refuses a repeated member, naming it without quoting the text', () => {
    expect(parseJsonInput('{"a":{"b":1}}')).toEqual({ ok: true, json: { a: { b: 1 } } });
    expect(parseJsonInput('{"keys":[{"kid":"x","kid":"123-45-6789"}]}')).toEqual({
      ok: false,
      message: 'the member keys[0].kid appears more than once in its object',
    });
    expect(parseJsonInput('{"ssn":"123-45-6789",}')).toEqual({ ok: false, message: 'not JSON' });
    expect(parseJsonInput(`${'['.repeat(70)}${']'.repeat(70)}`)).toEqual({
      ok: false,
      message: 'nests deeper than 64 levels',
    });
  });
});

describe('readJsonInput', () => {
  it('takes inline JSON or a file, refuses a file past the bound without reading it all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spx-json-input-'));
    const file = join(dir, 'k.json');
    await writeFile(file, '{"x":1,"x":2}');
    expect(await readJsonInput(file)).toEqual({
      ok: false,
      message: 'the member x appears more than once in its object',
    });
    expect(await readJsonInput(' {"x":1}')).toEqual({ ok: true, json: { x: 1 } });
    expect(await readJsonInput('/dev/zero', 1024)).toEqual({
      ok: false,
      message: '/dev/zero is larger than 1024 bytes',
    });
    expect(await readJsonInput(join(dir, 'missing.json'))).toEqual({
      ok: false,
      message: `cannot read ${join(dir, 'missing.json')}`,
    });
    await writeFile(file, Buffer.from([0x7b, 0xff, 0x7d]));
    expect(await readJsonInput(file)).toEqual({ ok: false, message: `${file} is not UTF-8 text` });
  });
});
