import type { Migration } from '../../state/types.js';

/** Migration namespace of the alerting tables. */
export const ALERTING_MIGRATION_NAMESPACE = 'alerting';

/** Schema of the alerting tables: alerts, silences, notification log, pending notifications. */
export const alertingMigrations: readonly Migration[] = [
  {
    id: '001_alerting_core',
    up: `CREATE TABLE IF NOT EXISTS vigil_am_alerts (
  fingerprint TEXT PRIMARY KEY,
  labels TEXT NOT NULL,
  annotations TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  generator_url TEXT NOT NULL,
  timeout INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS vigil_am_silences (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vigil_am_nflog (
  receiver_key TEXT NOT NULL,
  group_key TEXT NOT NULL,
  firing TEXT NOT NULL,
  resolved TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (receiver_key, group_key)
);
CREATE TABLE IF NOT EXISTS vigil_am_pending (
  receiver_key TEXT NOT NULL,
  group_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  payload TEXT NOT NULL,
  firing TEXT NOT NULL,
  resolved TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (receiver_key, group_key)
)`,
  },
];
