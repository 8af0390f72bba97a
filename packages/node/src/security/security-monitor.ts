import { Counter, type Registry } from 'prom-client';
import { createSeriesGuard } from '../metrics/series-guard.js';
import { createMemorySecurityStore, type SecurityStore } from './security-store.js';

/** Where the monitor logs (a pino logger or `createSecurityLogger()`'s underlying logger). */
export interface SecurityEventLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** A threshold crossing or block, given to `onAlert`. */
export interface SecurityAlert {
  type: 'failed_login_threshold' | 'client_error_pattern' | 'rate_limit_pattern' | 'ip_blocked';
  /** `ip` or `username`. */
  subject: 'ip' | 'username';
  value: string;
  count?: number;
  windowMs?: number;
  blockedUntil?: number;
}

/** A windowed threshold: more than `threshold` events within `windowMs`. */
export interface WindowThreshold {
  threshold: number;
  windowMs: number;
}

/** Options of {@link createSecurityMonitor}. */
export interface SecurityMonitorOptions {
  /** Registry for `authentication_attempts_total{status}` and `security_events_total{type}`; omit for no metrics. */
  registry?: Registry;
  /** Counter and block storage. Default in-memory; use `createRedisSecurityStore()` to share across instances. */
  store?: SecurityStore;
  /** Security log lines (`log_type: "security"`) go here. */
  logger?: SecurityEventLogger;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Failed logins per IP and per username: alert when more than `threshold` in `windowMs`. Default 10 per hour (guide 004). */
  failedLogins?: Partial<WindowThreshold>;
  /** 4xx responses per IP. Default more than 100 per 5 minutes. */
  clientErrors?: Partial<WindowThreshold>;
  /** Rate-limited (429) responses per IP. Default more than 20 per 5 minutes. */
  rateLimits?: Partial<WindowThreshold>;
  /** Block an IP when one of its thresholds is crossed. Default true. */
  autoBlock?: boolean;
  /** Block duration in ms. Default 1 hour (guide 004's 60 minutes). */
  blockDurationMs?: number;
  /** Called on each threshold crossing and block (after logging); exceptions are ignored. */
  onAlert?: (alert: SecurityAlert) => void;
}

/** Outcome of {@link SecurityMonitor.recordLoginAttempt}. */
export interface LoginAttemptResult {
  /** Failed attempts of the IP in the window (0 after a success). */
  ipFailures: number;
  /** Failed attempts of the username in the window (0 after a success or without a username). */
  usernameFailures: number;
  /** True when this attempt crossed a threshold. */
  thresholdCrossed: boolean;
  /** True when the IP is blocked now. */
  blocked: boolean;
}

/** The security monitor: failed-login tracking, 4xx/rate-limit patterns, temporary IP blocks. */
export interface SecurityMonitor {
  /** Records an authentication attempt; failures count towards the per-IP and per-username windows, a success clears them. */
  recordLoginAttempt(attempt: { ip: string; username?: string; success: boolean }): Promise<LoginAttemptResult>;
  /** Records a 4xx response of an IP (429 counts as a rate-limit hit). Other statuses are ignored. */
  recordClientError(ip: string, statusCode: number): Promise<void>;
  /** Records a suspicious-activity event (`security_events_total{type}` + a security log line). */
  recordEvent(type: string, details?: Record<string, unknown>): void;
  /** Blocks an IP for `durationMs` (default `blockDurationMs`). */
  block(ip: string, durationMs?: number, reason?: string): Promise<number>;
  /** Lifts a block. */
  unblock(ip: string): Promise<void>;
  /** Epoch ms until which the IP is blocked, or `undefined`. */
  blockedUntil(ip: string): Promise<number | undefined>;
}

const DEFAULT_HOUR = 3_600_000;

/**
 * Creates a security monitor (guide 004's SecurityMonitor): counts failed logins per IP and per username in a
 * sliding window and alerts — security log line, `security_events_total{type="failed_login_threshold"}`,
 * `onAlert` — when more than the threshold (default 10 per hour) occur; optionally blocks the IP for an hour;
 * tracks 4xx and 429 patterns per IP the same way. Pair with `createIpBlockMiddleware()` to answer blocked IPs 429.
 */
export function createSecurityMonitor(options: SecurityMonitorOptions = {}): SecurityMonitor {
  const store = options.store ?? createMemorySecurityStore();
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const login: WindowThreshold = { threshold: 10, windowMs: DEFAULT_HOUR, ...options.failedLogins };
  const clientErrors: WindowThreshold = { threshold: 100, windowMs: 300_000, ...options.clientErrors };
  const rateLimits: WindowThreshold = { threshold: 20, windowMs: 300_000, ...options.rateLimits };
  const autoBlock = options.autoBlock ?? true;
  const blockMs = options.blockDurationMs ?? DEFAULT_HOUR;
  const registry = options.registry;
  const attempts = registry
    ? new Counter({ name: 'authentication_attempts_total', help: 'Authentication attempts by outcome (success, failed).', labelNames: ['status'], registers: [registry] })
    : undefined;
  const events = registry
    ? new Counter({ name: 'security_events_total', help: 'Security events by type (failed_login_threshold, ip_blocked, blocked_request, client_error_pattern, rate_limit_pattern, custom types).', labelNames: ['type'], registers: [registry] })
    : undefined;
  const typeGuard = createSeriesGuard('security_events_total', 100, logger);

  const emit = (type: string, details: Record<string, unknown>, message: string) => {
    events?.inc({ type: typeGuard.admit(type) ? type : 'other' });
    logger?.warn({ log_type: 'security', event_type: type, ...details }, message);
  };
  const alert = (a: SecurityAlert) => {
    try {
      options.onAlert?.(a);
    } catch {
      // A faulty alert hook must not break request handling.
    }
  };
  const block = async (ip: string, durationMs = blockMs, reason = 'manual'): Promise<number> => {
    const t = now();
    const until = t + durationMs;
    await store.block(`ip:${ip}`, until, t);
    emit('ip_blocked', { ip_address: ip, reason, blocked_until: new Date(until).toISOString(), duration_ms: durationMs }, `IP ${ip} blocked for ${Math.round(durationMs / 60000)} minutes`);
    alert({ type: 'ip_blocked', subject: 'ip', value: ip, blockedUntil: until });
    return until;
  };
  const windowed = async (key: string, w: WindowThreshold): Promise<{ count: number; crossed: boolean }> => {
    const count = await store.hit(key, now(), w.windowMs);
    return { count, crossed: count === w.threshold + 1 };
  };

  return {
    async recordLoginAttempt({ ip, username, success }) {
      attempts?.inc({ status: success ? 'success' : 'failed' });
      if (success) {
        await Promise.all([store.clear(`login:ip:${ip}`), username ? store.clear(`login:user:${username}`) : undefined]);
        return { ipFailures: 0, usernameFailures: 0, thresholdCrossed: false, blocked: (await store.blockedUntil(`ip:${ip}`, now())) !== undefined };
      }
      const [byIp, byUser] = await Promise.all([
        windowed(`login:ip:${ip}`, login),
        username ? windowed(`login:user:${username}`, login) : Promise.resolve({ count: 0, crossed: false }),
      ]);
      let blocked = false;
      if (byIp.crossed) {
        emit('failed_login_threshold', { ip_address: ip, subject: 'ip', count: byIp.count, window_ms: login.windowMs }, `Multiple failed login attempts from ${ip}`);
        alert({ type: 'failed_login_threshold', subject: 'ip', value: ip, count: byIp.count, windowMs: login.windowMs });
        if (autoBlock) {
          await block(ip, blockMs, 'failed_logins');
          blocked = true;
        }
      }
      if (byUser.crossed && username) {
        emit('failed_login_threshold', { username, subject: 'username', count: byUser.count, window_ms: login.windowMs }, `Multiple failed login attempts for user ${username}`);
        alert({ type: 'failed_login_threshold', subject: 'username', value: username, count: byUser.count, windowMs: login.windowMs });
      }
      if (!blocked) blocked = (await store.blockedUntil(`ip:${ip}`, now())) !== undefined;
      return { ipFailures: byIp.count, usernameFailures: byUser.count, thresholdCrossed: byIp.crossed || byUser.crossed, blocked };
    },
    async recordClientError(ip, statusCode) {
      if (statusCode < 400 || statusCode > 499) return;
      const rate = statusCode === 429;
      const w = rate ? rateLimits : clientErrors;
      const type = rate ? 'rate_limit_pattern' : 'client_error_pattern';
      const r = await windowed(`${rate ? 'rl' : '4xx'}:ip:${ip}`, w);
      if (!r.crossed) return;
      emit(type, { ip_address: ip, count: r.count, window_ms: w.windowMs }, `Suspicious ${rate ? 'rate-limit' : '4xx'} pattern from ${ip}`);
      alert({ type, subject: 'ip', value: ip, count: r.count, windowMs: w.windowMs });
      if (autoBlock) await block(ip, blockMs, type);
    },
    recordEvent(type, details = {}) {
      emit(type, details, `Suspicious activity: ${type}`);
    },
    block,
    unblock: (ip) => store.unblock(`ip:${ip}`),
    blockedUntil: (ip) => store.blockedUntil(`ip:${ip}`, now()),
  };
}
