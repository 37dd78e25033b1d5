/**
 * The keyholder's log: one JSON object per line to an injected sink (stdout in production, an
 * array in tests). Lines carry events and counts only — never a request body, an element, a
 * proof, a token or a key (docs/keyholder.md "Logs"). The line format is the services' shared
 * one (platform/log).
 */
export {
  logEvent,
  type LogFields,
  type LogLevel,
  type LogSink,
} from '../../platform/log/json-lines.js';
