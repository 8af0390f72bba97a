export { parseConfig, loadConfig } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { ConfigError } from './errors.js';
export { interpolateEnv } from './interpolate.js';
export { parseConfigDuration, parseByteSize } from './duration.js';
export type { VigilConfig, ScrapeConfig, RelabelConfig, StaticConfig, ProbeConfig, AuthConfig } from './types.js';
