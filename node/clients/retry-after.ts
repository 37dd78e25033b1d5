/**
 * Retry-After (RFC 9110 §10.2.3): `delay-seconds` (1*DIGIT) or an `HTTP-date` (§5.6.7),
 * turned into whole seconds from the injected clock's now.
 */

/** A hostile or confused server must not park an outbox for days; a day is the ceiling. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

const DELAY_SECONDS = /^[0-9]{1,10}$/;
// IMF-fixdate, and the obsolete RFC 850 and asctime forms that recipients MUST accept (§5.6.7).
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT|[A-Z][a-z]+, [0-9]{2}-[A-Z][a-z]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4})$/;

/**
 * Seconds to wait, clamped to 0 … MAX_RETRY_AFTER_SECONDS; undefined when the field is
 * absent or not one of the two forms (an unparseable value is ignored, as RFC 9110 allows).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (DELAY_SECONDS.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS);
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime has no zone; HTTP-dates are always UTC (§5.6.7).
  const ms = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  if (!Number.isFinite(ms)) return undefined;
  const seconds = Math.ceil((ms - now.getTime()) / 1000);
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}
