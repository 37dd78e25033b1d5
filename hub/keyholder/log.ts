/**
 * The keyholder's log: one JSON object per line to an injected sink (stdout in production, an
 * array in tests). Lines carry events and counts only — never a request body, an element, a
 * proof, a token or a key (docs/keyholder.md "Logs").
 */
export type LogSink = (line: string) => void;

export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function logEvent(
  sink: LogSink,
  now: Date,
  level: LogLevel,
  event: string,
  fields: LogFields = {},
): void {
  sink(JSON.stringify({ time: now.toISOString(), level, event, ...fields }));
}
