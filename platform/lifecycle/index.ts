/** Process lifecycle for services: clean close on SIGTERM/SIGINT. */
export {
  createShutdown,
  DEFAULT_SHUTDOWN_SIGNALS,
  type Closer,
  type Shutdown,
  type ShutdownOptions,
  type SignalTarget,
} from './shutdown.js';
