export { createMonitor } from './create-monitor.js';
export type { Monitor, MonitorOptions, InProcessRegistry } from './create-monitor.js';
export { redactConfigYaml } from './redact.js';
export { openMonitorStore } from './series-store.js';
export type { MonitorStore } from './series-store.js';
