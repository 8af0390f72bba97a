export { createSeriesStore, vanishedSeries } from './series-store.js';
export type { SeriesStore, SeriesStoreOptions, SeriesStoreStats } from './series-store.js';
export { encodeWalRecord, decodeWalRecords, createWalSampleBatch } from './wal.js';
export type { WalRecord, WalSample, DecodedWal, WalSampleBatch } from './wal.js';
export { StorageError } from './errors.js';
export { createScrapeAppender } from './scrape-appender.js';
export type { ScrapeAppender, ScrapeAppenderOptions, ScrapeSampleLike } from './scrape-appender.js';
