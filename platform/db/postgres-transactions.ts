/**
 * Transactions that survive their connection's loss (a PostgreSQL restart, a failover, a killed
 * backend) on postgres.js 3.4.
 *
 * postgres.js runs `sql.begin(fn)` on one connection and, when `fn` fails, sends ROLLBACK on that
 * connection. When the failure *was* the connection closing, the ROLLBACK is written to a socket
 * the driver has already dropped, from a `setImmediate` no caller can catch, and the process dies
 * with `TypeError: Cannot read properties of null (reading 'write')` (porsager/postgres#1154,
 * #1208; unfixed in 3.4.10). The same happens to any query the transaction sends after the close.
 * A hub under intake load went down this way on every `pg_ctl restart`.
 *
 * `guardTransactions(sql)` wraps `begin` so that neither can happen:
 * - once the transaction's connection has closed (postgres.js rejects `begin` itself then, with
 *   CONNECTION_CLOSED — its race on the connection's close), every further query of the
 *   transaction fails at once instead of reaching the socket;
 * - when `fn` fails because the connection was lost, the failure is not handed back to
 *   postgres.js (which would send the ROLLBACK): `fn` stays pending, and the caller gets `begin`'s
 *   own rejection. PostgreSQL rolls back a transaction whose session ended, so nothing is lost or
 *   half-written. Should the close not be confirmed within CLOSE_CONFIRMATION_MS (an error that
 *   only looked like a lost connection), the failure goes back to postgres.js as usual and the
 *   ROLLBACK goes out on the live connection.
 *
 * The failing statement's connection is the only one concerned; the pool reconnects by itself.
 */
import type { Sql, TransactionSql } from 'postgres';
import { isConnectionLost } from './connection-loss.js';

/** How long a transaction whose query failed as "connection lost" waits for the close itself. */
export const CLOSE_CONFIRMATION_MS = 10_000;

type BeginCallback = (tx: TransactionSql) => unknown;
type Begin = (...args: unknown[]) => Promise<unknown>;

const never = new Promise<never>(() => undefined);

/** A rejected query shaped like postgres.js's (drizzle calls `.values()` on some). */
function refusedQuery(error: unknown): Promise<never> & { values(): Promise<never> } {
  const refused = Promise.reject(error) as Promise<never> & { values(): Promise<never> };
  refused.values = () => refused;
  return refused;
}

/** `tx`, refusing every query once `closedError()` returns the error that closed it. */
function guardedTransaction(tx: TransactionSql, closedError: () => unknown): TransactionSql {
  return new Proxy(tx, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if ((key !== 'unsafe' && key !== 'savepoint') || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const closed = closedError();
        return closed === undefined
          ? (value as (...a: unknown[]) => unknown).apply(target, args)
          : refusedQuery(closed);
      };
    },
    apply(target, thisArg, args) {
      const closed = closedError();
      return closed === undefined ? Reflect.apply(target, thisArg, args) : refusedQuery(closed);
    },
  });
}

/** Resolves true once `closed` settles, false after `ms`. */
function confirmed(closed: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    void closed.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function guardTransactions<T extends Sql>(sql: T, confirmMs = CLOSE_CONFIRMATION_MS): T {
  const begin: Begin = (...args) => {
    const fn = args.pop() as BeginCallback;
    let closedBy: unknown;
    let signalClosed!: () => void;
    const closed = new Promise<void>((resolve) => (signalClosed = resolve));
    const outer = (sql.begin as unknown as Begin)(...args, async (tx: TransactionSql) => {
      try {
        return await fn(guardedTransaction(tx, () => closedBy));
      } catch (e) {
        if (isConnectionLost(e) && (await confirmed(closed, confirmMs))) return never;
        throw e;
      }
    });
    outer.then(undefined, (e: unknown) => {
      closedBy = e;
      signalClosed();
    });
    return outer;
  };
  return new Proxy(sql, {
    get: (target, key) => (key === 'begin' ? begin : Reflect.get(target, key)),
  });
}
