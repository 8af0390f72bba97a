import type { Migration } from '../state/types.js';

/** Migration namespace of the incident tables. */
export const INCIDENTS_NAMESPACE = 'incidents';

/**
 * Incident tables (SQL valid on SQLite and PostgreSQL; times are ms since the epoch, JSON as TEXT).
 * The partial unique index keeps one unresolved incident per alert group even with several replicas.
 */
export const incidentMigrations: readonly Migration[] = [
  {
    id: '001_incidents',
    up: `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  group_key TEXT,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  severity TEXT NOT NULL,
  severity_manual INTEGER NOT NULL,
  status TEXT NOT NULL,
  service TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by TEXT,
  resolved_at BIGINT,
  alerts_clear_at BIGINT,
  is_public INTEGER NOT NULL,
  playbook TEXT,
  links TEXT NOT NULL,
  escalation_chain TEXT,
  escalation_after_ms BIGINT,
  escalation_level INTEGER NOT NULL,
  escalation_next_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX incidents_active_group ON incidents (group_key) WHERE resolved_at IS NULL AND group_key IS NOT NULL;
CREATE INDEX incidents_group_opened ON incidents (group_key, opened_at);
CREATE INDEX incidents_opened ON incidents (opened_at);
CREATE TABLE incident_alerts (
  incident_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  labels TEXT NOT NULL,
  annotations TEXT NOT NULL,
  status TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT,
  PRIMARY KEY (incident_id, fingerprint)
);
CREATE TABLE incident_timeline (
  incident_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  data TEXT,
  PRIMARY KEY (incident_id, seq)
);
CREATE TABLE incident_public_updates (
  incident_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
)`,
  },
];
