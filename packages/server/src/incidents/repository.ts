import type { Row, StateQueryable, StateStore } from '../state/types.js';
import { INCIDENTS_NAMESPACE, incidentMigrations } from './migrations.js';
import type { IncidentListFilter, IncidentSeverity, IncidentStatus, PublicUpdateStatus, TimelineKind } from './types.js';

/** Playbook state as stored: the steps with who checked them off. */
export interface StoredPlaybook {
  readonly name: string;
  readonly steps: { readonly title: string; readonly action?: string; readonly done_by?: string; readonly done_at?: number }[];
}

/** An incident row (times in ms since the epoch). */
export interface IncidentRow {
  id: string;
  group_key: string | null;
  title: string;
  summary: string;
  severity: IncidentSeverity;
  severity_manual: boolean;
  status: IncidentStatus;
  service: string;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  /** When every alert of the incident had resolved (latest endsAt); null while one fires. */
  alerts_clear_at: number | null;
  is_public: boolean;
  playbook: StoredPlaybook | null;
  links: { runbook_url?: string; dashboard_url?: string };
  escalation_chain: string[] | null;
  escalation_after_ms: number | null;
  escalation_level: number;
  escalation_next_at: number | null;
  updated_at: number;
}

/** An alert linked to an incident. */
export interface IncidentAlertRow {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  starts_at: number;
  ends_at: number | null;
}

/** A timeline entry as stored. */
export interface TimelineRow {
  seq: number;
  at: number;
  actor: string;
  kind: TimelineKind;
  text: string;
  data: Record<string, unknown> | null;
}

/** A public update as stored. */
export interface PublicUpdateRow {
  at: number;
  status: PublicUpdateStatus;
  text: string;
}

/** One (service, severity) aggregate over a period. */
export interface StatsRow {
  service: string;
  severity: IncidentSeverity;
  count: number;
  mtta_ms: number | null;
  mttr_ms: number | null;
}

const COLS = [
  'id', 'group_key', 'title', 'summary', 'severity', 'severity_manual', 'status', 'service', 'opened_at', 'acknowledged_at', 'acknowledged_by',
  'resolved_at', 'alerts_clear_at', 'is_public', 'playbook', 'links', 'escalation_chain', 'escalation_after_ms', 'escalation_level', 'escalation_next_at', 'updated_at',
] as const;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown): T | null => (typeof v === 'string' && v !== '' ? (JSON.parse(v) as T) : null);

function fromRow(r: Row): IncidentRow {
  return {
    id: String(r.id),
    group_key: (r.group_key as string | null) ?? null,
    title: String(r.title),
    summary: String(r.summary),
    severity: r.severity as IncidentSeverity,
    severity_manual: Number(r.severity_manual) === 1,
    status: r.status as IncidentStatus,
    service: String(r.service),
    opened_at: Number(r.opened_at),
    acknowledged_at: num(r.acknowledged_at),
    acknowledged_by: (r.acknowledged_by as string | null) ?? null,
    resolved_at: num(r.resolved_at),
    alerts_clear_at: num(r.alerts_clear_at),
    is_public: Number(r.is_public) === 1,
    playbook: json<StoredPlaybook>(r.playbook),
    links: json<IncidentRow['links']>(r.links) ?? {},
    escalation_chain: json<string[]>(r.escalation_chain),
    escalation_after_ms: num(r.escalation_after_ms),
    escalation_level: Number(r.escalation_level),
    escalation_next_at: num(r.escalation_next_at),
    updated_at: Number(r.updated_at),
  };
}

function toParams(i: IncidentRow): unknown[] {
  return [
    i.id, i.group_key, i.title, i.summary, i.severity, i.severity_manual ? 1 : 0, i.status, i.service, i.opened_at, i.acknowledged_at, i.acknowledged_by,
    i.resolved_at, i.alerts_clear_at, i.is_public ? 1 : 0, i.playbook ? JSON.stringify(i.playbook) : null, JSON.stringify(i.links),
    i.escalation_chain ? JSON.stringify(i.escalation_chain) : null, i.escalation_after_ms, i.escalation_level, i.escalation_next_at, i.updated_at,
  ];
}

const SELECT = `SELECT ${COLS.join(', ')} FROM incidents`;
const INSERT = `INSERT INTO incidents (${COLS.join(', ')}) VALUES (${COLS.map((_, i) => `$${i + 1}`).join(', ')})`;
const UPDATE = `UPDATE incidents SET ${COLS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`;

/**
 * The incident tables behind the incident service: every read and write is SQL that runs on both
 * SQLite and PostgreSQL (`$n` placeholders, no dialect-specific functions).
 */
export interface IncidentRepository {
  readonly store: StateStore;
  insert(tx: StateQueryable, row: IncidentRow): Promise<void>;
  update(tx: StateQueryable, row: IncidentRow): Promise<void>;
  /**
   * Updates the row only if nobody changed it since it was read (its `updated_at` is still
   * `readAt`): replicas sharing PostgreSQL race for escalations and auto-resolves, one wins.
   */
  updateIfUnchanged(tx: StateQueryable, row: IncidentRow, readAt: number): Promise<boolean>;
  get(id: string, tx?: StateQueryable): Promise<IncidentRow | undefined>;
  /** The unresolved incident of an alert group. */
  activeForGroup(groupKey: string, tx?: StateQueryable): Promise<IncidentRow | undefined>;
  /** The most recently opened incident of an alert group, resolved or not. */
  latestForGroup(groupKey: string, tx?: StateQueryable): Promise<IncidentRow | undefined>;
  list(filter: IncidentListFilter): Promise<IncidentRow[]>;
  /** Public incidents unresolved or resolved since `since`, newest first. */
  publicSince(since: number): Promise<IncidentRow[]>;
  /** Alert-group incidents unresolved or resolved since `since`, oldest first (the latest per group last). */
  groupHeads(since: number): Promise<IncidentRow[]>;
  /** Unresolved incidents with a pending escalation or auto-resolve deadline (to re-arm timers). */
  withDeadlines(): Promise<IncidentRow[]>;
  alerts(id: string, tx?: StateQueryable): Promise<IncidentAlertRow[]>;
  alertCounts(ids: readonly string[]): Promise<Map<string, number>>;
  upsertAlert(tx: StateQueryable, id: string, a: IncidentAlertRow): Promise<void>;
  timeline(id: string): Promise<TimelineRow[]>;
  addTimeline(tx: StateQueryable, id: string, e: Omit<TimelineRow, 'seq'>): Promise<void>;
  publicUpdates(id: string): Promise<PublicUpdateRow[]>;
  addPublicUpdate(tx: StateQueryable, id: string, u: PublicUpdateRow): Promise<void>;
  /** MTTA/MTTR per service and severity of the incidents opened in [from, to]. */
  stats(from: number, to: number): Promise<StatsRow[]>;
  /** Number of unresolved incidents per severity. */
  openCounts(): Promise<Map<IncidentSeverity, number>>;
}

/** Applies the `incidents` migrations and returns the repository on `store`. */
export async function createIncidentRepository(store: StateStore): Promise<IncidentRepository> {
  await store.migrate(INCIDENTS_NAMESPACE, incidentMigrations);
  const one = async (sql: string, params: unknown[], tx: StateQueryable = store) => {
    const rows = await tx.query(sql, params);
    return rows[0] ? fromRow(rows[0]) : undefined;
  };
  return {
    store,
    insert: async (tx, row) => void (await tx.execute(INSERT, toParams(row))),
    update: async (tx, row) => void (await tx.execute(UPDATE, toParams(row))),
    updateIfUnchanged: async (tx, row, readAt) => (await tx.execute(`${UPDATE} AND updated_at = $${COLS.length + 1}`, [...toParams(row), readAt])) === 1,
    get: (id, tx) => one(`${SELECT} WHERE id = $1`, [id], tx),
    activeForGroup: (groupKey, tx) => one(`${SELECT} WHERE group_key = $1 AND resolved_at IS NULL`, [groupKey], tx),
    latestForGroup: (groupKey, tx) => one(`${SELECT} WHERE group_key = $1 ORDER BY opened_at DESC, id DESC LIMIT 1`, [groupKey], tx),
    async list(f) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.status) where.push(`status = $${params.push(f.status)}`);
      if (f.service !== undefined) where.push(`service = $${params.push(f.service)}`);
      if (f.severity) where.push(`severity = $${params.push(f.severity)}`);
      const limit = Math.min(Math.max(1, f.limit ?? 100), 1000);
      const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC LIMIT ${limit}`;
      return (await store.query(sql, params)).map(fromRow);
    },
    async publicSince(since) {
      return (await store.query(`${SELECT} WHERE is_public = 1 AND (resolved_at IS NULL OR resolved_at >= $1) ORDER BY opened_at DESC, id DESC LIMIT 200`, [since])).map(fromRow);
    },
    async groupHeads(since) {
      return (await store.query(`${SELECT} WHERE group_key IS NOT NULL AND (resolved_at IS NULL OR resolved_at >= $1) ORDER BY opened_at, id`, [since])).map(fromRow);
    },
    async withDeadlines() {
      return (await store.query(`${SELECT} WHERE resolved_at IS NULL AND (escalation_next_at IS NOT NULL OR alerts_clear_at IS NOT NULL)`)).map(fromRow);
    },
    async alerts(id, tx = store) {
      const rows = await tx.query('SELECT fingerprint, labels, annotations, status, starts_at, ends_at FROM incident_alerts WHERE incident_id = $1 ORDER BY starts_at, fingerprint', [id]);
      return rows.map((r) => ({
        fingerprint: String(r.fingerprint),
        labels: JSON.parse(String(r.labels)) as Record<string, string>,
        annotations: JSON.parse(String(r.annotations)) as Record<string, string>,
        status: r.status as 'firing' | 'resolved',
        starts_at: Number(r.starts_at),
        ends_at: num(r.ends_at),
      }));
    },
    async alertCounts(ids) {
      const out = new Map<string, number>();
      if (ids.length === 0) return out;
      const rows = await store.query(`SELECT incident_id, COUNT(*) AS n FROM incident_alerts WHERE incident_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) GROUP BY incident_id`, ids);
      for (const r of rows) out.set(String(r.incident_id), Number(r.n));
      return out;
    },
    async upsertAlert(tx, id, a) {
      const params = [id, a.fingerprint, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.status, a.starts_at, a.ends_at];
      const n = await tx.execute('UPDATE incident_alerts SET labels = $3, annotations = $4, status = $5, starts_at = $6, ends_at = $7 WHERE incident_id = $1 AND fingerprint = $2', params);
      if (n === 0) await tx.execute('INSERT INTO incident_alerts (incident_id, fingerprint, labels, annotations, status, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', params);
    },
    async timeline(id) {
      const rows = await store.query('SELECT seq, at, actor, kind, text, data FROM incident_timeline WHERE incident_id = $1 ORDER BY seq', [id]);
      return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.at), actor: String(r.actor), kind: r.kind as TimelineKind, text: String(r.text), data: json<Record<string, unknown>>(r.data) }));
    },
    async addTimeline(tx, id, e) {
      await tx.execute(
        'INSERT INTO incident_timeline (incident_id, seq, at, actor, kind, text, data) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6 FROM incident_timeline WHERE incident_id = $1',
        [id, e.at, e.actor, e.kind, e.text, e.data ? JSON.stringify(e.data) : null],
      );
    },
    async publicUpdates(id) {
      const rows = await store.query('SELECT at, status, text FROM incident_public_updates WHERE incident_id = $1 ORDER BY seq', [id]);
      return rows.map((r) => ({ at: Number(r.at), status: r.status as PublicUpdateStatus, text: String(r.text) }));
    },
    async addPublicUpdate(tx, id, u) {
      await tx.execute(
        'INSERT INTO incident_public_updates (incident_id, seq, at, status, text) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM incident_public_updates WHERE incident_id = $1',
        [id, u.at, u.status, u.text],
      );
    },
    async stats(from, to) {
      const rows = await store.query(
        `SELECT service, severity, COUNT(*) AS n,
           AVG(CASE WHEN acknowledged_at IS NOT NULL THEN acknowledged_at - opened_at END) AS mtta,
           AVG(CASE WHEN resolved_at IS NOT NULL THEN resolved_at - opened_at END) AS mttr
         FROM incidents WHERE opened_at >= $1 AND opened_at <= $2 GROUP BY service, severity ORDER BY service, severity`,
        [from, to],
      );
      return rows.map((r) => ({ service: String(r.service), severity: r.severity as IncidentSeverity, count: Number(r.n), mtta_ms: num(r.mtta), mttr_ms: num(r.mttr) }));
    },
    async openCounts() {
      const rows = await store.query('SELECT severity, COUNT(*) AS n FROM incidents WHERE resolved_at IS NULL GROUP BY severity');
      return new Map(rows.map((r) => [r.severity as IncidentSeverity, Number(r.n)]));
    },
  };
}
