/**
 * Calling another service over HTTP with one deadline for the whole exchange, request to last
 * body byte, and a bounded body read. Every client of the services (the node's signed client,
 * the public-log auditor, the keyholder's registry refresh) goes through these two, so a hub
 * that accepts the connection and then trickles its answer cannot hold a caller past its
 * deadline, nor make it buffer more than it asked for.
 */
import { collectBounded } from '../fs/bounded-read.js';

/**
 * Runs `exchange` (a fetch and the read of its body) under one deadline: at `timeoutMs` the
 * signal is aborted and the promise rejects with `onTimeout()`. The deadline is raced rather than
 * left to the fetch: an injected fetch (`app.request`) may ignore the signal, and the body read
 * must be bounded by the same deadline.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  onTimeout: () => Error,
  exchange: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(onTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([exchange(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A body read with `readBodyText`: its text, or why there is none. */
export type BodyText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'too_large' | 'not_utf8' };

/**
 * At most `maxBytes` of the body as strict UTF-8 (RFC 8259 §8.1); reading stops, and the body is
 * cancelled, as soon as more arrived. No body is the empty text.
 */
export async function readBodyText(response: Response, maxBytes: number): Promise<BodyText> {
  if (response.body === null) return { ok: true, text: '' };
  const bytes = await collectBounded(response.body, maxBytes);
  if (bytes === undefined) return { ok: false, reason: 'too_large' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
}
