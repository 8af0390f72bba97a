export { createMonitor } from './create-monitor.js';
export type { Monitor, MonitorOptions, InProcessRegistry } from './create-monitor.js';
export { redactConfigYaml } from './redact.js';
