export { runProbe, recordProbe } from './probe.js';
export type { ProbeResult } from './probe.js';
export { createProbeManager } from './manager.js';
export type { ProbeManager, ProbeStatus, ProbeRunEvent } from './manager.js';
