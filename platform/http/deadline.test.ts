import { describe, expect, it } from 'vitest';
import { readBodyText, withDeadline } from './deadline.js';

class Late extends Error {}

/** A body that sends `first` and then nothing, until cancelled. */
function stalledBody(first: string) {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

describe('withDeadline', () => {
  it('returns what the exchange returns within the deadline', async () => {
    expect(
      await withDeadline(
        1000,
        () => new Late(),
        async () => 'answer',
      ),
    ).toBe('answer');
  });

  it('rejects with onTimeout() and aborts the signal, even when the exchange ignores it', async () => {
    let signal: AbortSignal | undefined;
    const never = withDeadline(
      20,
      () => new Late('no answer within 20 ms'),
      (s) => {
        signal = s;
        return new Promise<never>(() => undefined);
      },
    );
    await expect(never).rejects.toBeInstanceOf(Late);
    expect(signal?.aborted).toBe(true);
  });

  it('bounds the body read by the same deadline', async () => {
    const stalled = stalledBody('{"a":');
    const read = withDeadline(
      20,
      () => new Late(),
      async () => readBodyText(new Response(stalled.body), 1000),
    );
    await expect(read).rejects.toBeInstanceOf(Late);
  });

  it('passes the exchange’s own error through', async () => {
    const boom = new TypeError('fetch failed');
    await expect(
      withDeadline(
        1000,
        () => new Late(),
        () => Promise.reject(boom),
      ),
    ).rejects.toBe(boom);
  });
});

describe('readBodyText', () => {
  it('reads a body within the limit as text, and no body as the empty text', async () => {
    expect(await readBodyText(new Response('héllo'), 6)).toEqual({ ok: true, text: 'héllo' });
    expect(await readBodyText(new Response(null, { status: 204 }), 0)).toEqual({
      ok: true,
      text: '',
    });
  });

  it('stops at the limit and cancels the body', async () => {
    const stalled = stalledBody('x'.repeat(11));
    expect(await readBodyText(new Response(stalled.body), 10)).toEqual({
      ok: false,
      reason: 'too_large',
    });
    expect(stalled.cancelled()).toBe(true);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const body = new Uint8Array([0x7b, 0xff, 0x7d]);
    expect(await readBodyText(new Response(body), 10)).toEqual({ ok: false, reason: 'not_utf8' });
  });
});
