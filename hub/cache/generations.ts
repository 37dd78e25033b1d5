/**
 * What the hub holds in memory to spare a check its round trips (docs/performance.md, "Hub
 * checks"): registry entries and the latest checkpoint with its cosignatures. Each cache is
 * bounded in time (a replica sharing the PostgreSQL sees another replica's change within the
 * cache's lifetime) and dropped at once when this process changes what it holds: every change
 * made through a hub service bumps the generation of its topic for that database handle, and an
 * entry read under an older generation is not used again.
 *
 * Generations are kept per database handle (a WeakMap), so two hubs in one process — tests —
 * never see each other's changes as their own, and a handle that is gone takes its counters
 * with it.
 */

export type CacheTopic = 'registry' | 'log';

const generations = new WeakMap<object, Record<CacheTopic, number>>();

function countersOf(db: object): Record<CacheTopic, number> {
  let counters = generations.get(db);
  if (counters === undefined) {
    counters = { registry: 0, log: 0 };
    generations.set(db, counters);
  }
  return counters;
}

/** The current generation of `topic` for `db`. */
export function cacheGeneration(db: object, topic: CacheTopic): number {
  return countersOf(db)[topic];
}

/** Drops every cached value of `topic` (or of every topic) read through `db`. */
export function invalidateCache(db: object, topic?: CacheTopic): void {
  const counters = countersOf(db);
  if (topic === undefined) {
    counters.registry++;
    counters.log++;
  } else counters[topic]++;
}

/** Milliseconds of a monotonic clock: cache lifetimes, never protocol time. */
export type MonotonicClock = () => number;
export const monotonicMs: MonotonicClock = () => performance.now();

/** A value cached under a generation and a lifetime. */
export interface Cached<T> {
  readonly value: T;
  readonly at: number;
  readonly generation: number;
}

export function fresh<T>(
  entry: Cached<T> | undefined,
  generation: number,
  ttlMs: number,
  nowMs: number,
): entry is Cached<T> {
  return entry !== undefined && entry.generation === generation && nowMs - entry.at < ttlMs;
}
