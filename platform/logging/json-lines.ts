/**
 * The services' log format: one JSON object per line — `time` (ISO 8601, UTC), `level`, `event`,
 * then the event's fields — written to an injected sink (stdout in production, an array in
 * tests). What a line may carry is each service's rule, stated in its own log module
 * (keyholder/log.ts, platform/logging) and docs: the format cannot tell an identifier
 * from a count, so fields are only ever events, ids and counts chosen at the call site.
 */

/** Receives one line of JSON (no trailing newline) per event. */
export type LogSink = (line: string) => void;

export type LogLevel = 'info' | 'warn' | 'error';

/** A field's value: a scalar, or a short list (the epochs a service holds, the tables it analyzed). */
export type LogValue = string | number | boolean | null | undefined | readonly (string | number)[];

export type LogFields = Readonly<Record<string, LogValue>>;

/** A sink bound to a clock: what a service hands down to the parts that log. */
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

/** Writes one event line stamped with `now`. */
export function logEvent(
  sink: LogSink,
  now: Date,
  level: LogLevel,
  event: string,
  fields: LogFields = {},
): void {
  sink(JSON.stringify({ time: now.toISOString(), level, event, ...fields }));
}

/** A logger that stamps each line with the clock's time when the event is logged. */
export function createLogger(sink: LogSink, now: () => Date): Logger {
  return (level, event, fields = {}) => logEvent(sink, now(), level, event, fields);
}

/** A logger that drops everything (library defaults). */
export const silentLogger: Logger = () => undefined;
