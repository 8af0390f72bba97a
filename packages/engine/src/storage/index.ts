export { createSeriesStore, vanishedSeries } from './series-store.js';
export type { SeriesStore, SeriesStoreOptions, SeriesStoreStats } from './series-store.js';
export { encodeWalRecord, decodeWalRecords } from './wal.js';
export type { WalRecord, WalSample, DecodedWal } from './wal.js';
export { StorageError } from './errors.js';
export { createScrapeAppender } from './scrape-appender.js';
export type { ScrapeAppender, ScrapeAppenderOptions, ScrapeSampleLike } from './scrape-appender.js';
