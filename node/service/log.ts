/**
 * The node's log: one JSON object per line to an injected sink (stdout in production, an array
 * in tests). Lines carry events, ids of the node's own statements and counts only — never a
 * request body, an identifier, a match key, a token or a hub index (docs/node.md "Logs"). The
 * line format is the services' shared one (platform/log).
 */
export {
  createLogger,
  silentLogger,
  type LogFields,
  type LogLevel,
  type Logger as NodeLogger,
  type LogSink,
} from '../../platform/log/json-lines.js';
