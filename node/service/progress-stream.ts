/**
 * Progress of long requests (import, publish) for the CLI's progress bars. A request with
 * `Accept: application/x-ndjson` is answered 200 with one JSON object per line:
 *
 *   {"progress":{"phase":"validate","done":250,"total":1000}}   zero or more
 *   {"status":200,"body":{…}}                                   last: the ordinary answer
 *
 * The status is known only at the end, so it travels in the last line with the body the route
 * answers without streaming (a result, or a problem — errors go through the app's error
 * handler as usual). Without that Accept header the route answers as it always has. Progress
 * lines carry counts and phase names only, never a value from the records.
 */
import type { Context, ErrorHandler } from 'hono';
import { stream } from 'hono/streaming';

export const PROGRESS_MEDIA_TYPE = 'application/x-ndjson';

export interface ProgressUpdate {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export type OnProgress = (progress: ProgressUpdate) => void;

/**
 * Runs `work` and answers with its Response, or — when the client asks for progress — streams
 * what `work` reports through its `onProgress` and ends with that Response's status and body.
 * `work` gets no `onProgress` when nobody listens, so it can skip counting.
 */
export async function respondWithProgress(
  c: Context,
  onError: ErrorHandler,
  work: (onProgress: OnProgress | undefined) => Promise<Response>,
): Promise<Response> {
  if (!(c.req.header('accept') ?? '').toLowerCase().includes(PROGRESS_MEDIA_TYPE)) {
    return work(undefined);
  }
  c.header('content-type', PROGRESS_MEDIA_TYPE);
  c.header('cache-control', 'no-store');
  return stream(c, async (s) => {
    // Writes queue in order; a client that went away does not stop the work (an import or a
    // publish runs to its end, as it does when a plain request's client disconnects).
    const send = (line: object) => void s.write(`${JSON.stringify(line)}\n`);
    let response: Response;
    try {
      response = await work((progress) => send({ progress }));
    } catch (e) {
      response = await onError(e instanceof Error ? e : new Error(String(e)), c);
    }
    const text = await response.text();
    send({ status: response.status, body: text === '' ? {} : (JSON.parse(text) as object) });
  });
}
