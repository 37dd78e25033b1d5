/**
 * A raw HTTP/1.1 client over TCP for tests of what a server does with a connection — a client
 * that sends slowly, stops half-way, or holds the connection open — which fetch cannot show.
 */
import { connect, type Socket } from 'node:net';

export interface RawClient {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  /** Settles when the connection closes, whoever closed it. */
  readonly closed: Promise<void>;
  /** Everything received so far, as latin1 text. */
  received(): string;
  /** Resolves once `n` whole responses (head and Content-Length body) arrived: their statuses. */
  responses(n: number): Promise<number[]>;
}

export function rawClient(port: number, host = '127.0.0.1'): RawClient {
  const socket = connect(port, host);
  let received = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    received += d;
    for (const w of waiters.splice(0)) w();
  });
  // A connection the server resets is what some tests expect; its 'close' still follows.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
      for (const w of waiters.splice(0)) w();
    }),
  );
  return {
    socket,
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
    closed,
    received: () => received,
    async responses(n) {
      for (;;) {
        const statuses = completeResponses(received);
        if (statuses.length >= n) return statuses;
        if (socket.destroyed)
          throw new Error(`connection closed after ${statuses.length} responses`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

function completeResponses(text: string): number[] {
  const statuses: number[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return statuses;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return statuses;
    statuses.push(Number(head.slice(9, 12)));
    rest = rest.slice(end + 4 + length);
  }
}

/** The request head of `method path` with `headers`, ready to write. */
export function requestHead(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): string {
  const lines = Object.entries({ host: 'test', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}
