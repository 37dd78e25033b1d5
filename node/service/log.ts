/**
 * The node's log: one JSON object per line to an injected sink (stdout in production, an array
 * in tests). Lines carry events, ids of the node's own statements and counts only — never a
 * request body, an identifier, a match key, a token or a hub index (docs/node.md "Logs").
 */
export type LogSink = (line: string) => void;

export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export type NodeLogger = (level: LogLevel, event: string, fields?: LogFields) => void;

export function createLogger(sink: LogSink, now: () => Date): NodeLogger {
  return (level, event, fields = {}) =>
    sink(JSON.stringify({ time: now().toISOString(), level, event, ...fields }));
}

/** A logger that drops everything (library defaults). */
export const silentLogger: NodeLogger = () => undefined;
