/** Options of {@link createLoginRateLimiter}. */
export interface LoginRateLimiterOptions {
  /** Failures allowed per key within the window (default 10). */
  readonly maxFailures?: number;
  /** Window in ms (default 15 minutes). */
  readonly windowMs?: number;
  /** Keys tracked at most; the oldest are dropped beyond it so a flood cannot exhaust memory (default 10000). */
  readonly maxKeys?: number;
  readonly now: () => number;
}

/** Counts failed logins per key (username + client address) and says when to refuse further tries. */
export interface LoginRateLimiter {
  /** Ms to wait before the next attempt is allowed, or 0 when allowed now. */
  retryAfter(key: string): number;
  /** Records a failed attempt. */
  fail(key: string): void;
  /** Forgets the failures of a key (after a successful login). */
  reset(key: string): void;
}

/**
 * Creates an in-process login rate limiter: after `maxFailures` failures within `windowMs`, the key is
 * blocked until the oldest of them leaves the window.
 */
export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  const max = options.maxFailures ?? 10;
  const window = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const t = options.now();
    const list = (failures.get(key) ?? []).filter((at) => at > t - window);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    retryAfter(key) {
      const list = recent(key);
      if (list.length < max) return 0;
      return Math.max(1, list[list.length - max]! + window - options.now());
    },
    fail(key) {
      const list = recent(key);
      list.push(options.now());
      failures.delete(key);
      failures.set(key, list);
      if (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
