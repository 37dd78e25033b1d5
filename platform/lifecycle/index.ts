/** Process lifecycle for services: clean close on SIGTERM/SIGINT, the shared start-up. */
export {
  createShutdown,
  DEFAULT_SHUTDOWN_SIGNALS,
  type Closer,
  type Shutdown,
  type ShutdownOptions,
  type SignalTarget,
} from './shutdown.js';
export {
  listeningUrl,
  startService,
  type RunningService,
  type ServiceStartup,
  type StartServiceOptions,
} from './service.js';
export { startPeriodic, type Periodic, type PeriodicOptions } from './periodic.js';
export { SYSTEM_TIMERS, type Timers } from './timers.js';
