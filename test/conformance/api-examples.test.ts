import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_EXAMPLE_SOURCES, API_EXAMPLES } from '../../protocol/api-examples.js';

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/protocol/messages.json', import.meta.url), 'utf8'),
) as { cases: { name: string; message: string; input: unknown; expect: { ok: boolean } }[] };

describe('the API documents’ examples', () => {
  it.each(Object.entries(API_EXAMPLE_SOURCES))(
    '%s is the valid message vector it names',
    (key, { message, name }) => {
      const vector = vectors.cases.find((c) => c.message === message && c.name === name);
      expect(vector?.expect.ok).toBe(true);
      expect(API_EXAMPLES[key as keyof typeof API_EXAMPLES]).toEqual(vector!.input);
    },
  );
});
