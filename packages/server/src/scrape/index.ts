export { createScrapeManager } from './manager.js';
export type { ScrapeManager, ScrapeManagerOptions, TargetStatus } from './manager.js';
export { buildTargets } from './targets.js';
export type { ScrapeTarget } from './targets.js';
export { relabel } from './relabel.js';
export { scrapeOnce, httpBodySource, createScrapeCache } from './scrape-once.js';
export type { BodySource, ScrapeReport, ScrapeCache } from './scrape-once.js';
export { parseTextExposition, parseLine } from './parse-text.js';
export { scrapeConfigWith } from './scrape-config.js';
