/**
 * The CLI's half of the node API's progress stream (docs/node.md "API"). `progressFetch` wraps
 * the fetch a NodeApiClient uses: it asks for `application/x-ndjson`, hands each progress line
 * to `onProgress`, and turns the last line — the status and body the route answers without
 * streaming — back into an ordinary Response, so the client reads it like any other answer.
 * A node that does not stream answers plain JSON, which passes through untouched.
 *
 *   {"progress":{"phase":"write","done":1200,"total":36000}}
 *   {"status":200,"body":{…}}
 *
 * Lines are checked strictly: a line of neither shape, a line over MAX_LINE_CHARS or a stream
 * that ends before its last line becomes a 502 RESPONSE_INVALID answer; a connection that
 * breaks mid-stream fails like a node that cannot be reached.
 */
import { z } from 'zod';
import type { ProgressUpdate } from '../../platform/cli/progress-bar.js';

export const PROGRESS_MEDIA_TYPE = 'application/x-ndjson';

/** A rejected import's answer lists at most 1000 issues: far below this. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const ProgressLine = z.strictObject({
  progress: z.strictObject({
    phase: z.string().regex(/^[a-z][a-z_]{0,31}$/),
    done: Count,
    total: Count,
  }),
});
const FinalLine = z.strictObject({
  status: z.number().int().min(200).max(599),
  body: z.record(z.string(), z.unknown()),
});
const LineSchema = z.union([ProgressLine, FinalLine]);
type FinalLine = z.infer<typeof FinalLine>;

export function progressFetch(
  fetchImpl: typeof fetch,
  onProgress: (progress: ProgressUpdate) => void,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('accept', `${PROGRESS_MEDIA_TYPE}, application/json;q=0.5`);
    const response = await fetchImpl(input, { ...init, headers });
    const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!response.ok || type !== PROGRESS_MEDIA_TYPE || response.body === null) return response;
    return readProgressStream(response.body, onProgress);
  };
}

async function readProgressStream(
  body: ReadableStream<Uint8Array>,
  onProgress: (progress: ProgressUpdate) => void,
): Promise<Response> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The unfinished line, in pieces: joined only when its newline arrives (linear in its size).
  let partial: string[] = [];
  let partialChars = 0;
  const stop = async (response: Response) => {
    await reader.cancel().catch(() => undefined);
    return response;
  };
  for (;;) {
    const { done, value } = await reader.read();
    let text: string;
    try {
      text = decoder.decode(value, { stream: !done });
    } catch {
      return stop(invalid('the progress stream is not UTF-8'));
    }
    const pieces = text.split('\n');
    if (done) pieces.push('');
    for (let i = 0; i < pieces.length - 1; i++) {
      const line = (partial.join('') + pieces[i]!).trim();
      [partial, partialChars] = [[], 0];
      if (line === '') continue;
      const parsed = parseLine(line);
      if (parsed === undefined) return stop(invalid('a line of the progress stream is malformed'));
      if ('status' in parsed) return stop(answer(parsed));
      onProgress(parsed.progress);
    }
    const rest = pieces[pieces.length - 1]!;
    partial.push(rest);
    partialChars += rest.length;
    if (partialChars > MAX_LINE_CHARS) {
      return stop(invalid(`a line of the progress stream is over ${MAX_LINE_CHARS} characters`));
    }
    if (done) return invalid('the progress stream ended before the answer');
  }
}

function parseLine(text: string): z.infer<typeof LineSchema> | undefined {
  if (text.length > MAX_LINE_CHARS) return undefined;
  try {
    const parsed = LineSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function answer(line: FinalLine): Response {
  const type = line.status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(line.body), {
    status: line.status,
    headers: { 'content-type': type },
  });
}

function invalid(detail: string): Response {
  return answer({ status: 502, body: { code: 'RESPONSE_INVALID', detail } });
}
