/** The services' JSON-lines log (one event per line to an injected sink). */
export {
  createLogger,
  logEvent,
  silentLogger,
  type LogFields,
  type Logger,
  type LogLevel,
  type LogSink,
  type LogValue,
} from './json-lines.js';
