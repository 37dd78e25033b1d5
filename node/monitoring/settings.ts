/** The node's monitoring settings (node/config.ts; node/monitoring/sync.ts uses them). */
export interface MonitoringSettings {
  /** SPX_NODE_MONITORING: whether this agency enrolls its officers. */
  readonly enabled: boolean;
  /** SPX_NODE_MONITORING_RENEW_DAYS: renew enrollments lapsing within this many days. */
  readonly renewDays: number;
}

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = { enabled: false, renewDays: 30 };
