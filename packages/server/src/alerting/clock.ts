/** A timer handle returned by {@link AlertingClock.setTimer}. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Time source and scheduler of the alerting pipeline: every timing decision (group_wait,
 * group_interval, repeat_interval, silence expiry, retries) goes through it, so tests drive it.
 */
export interface AlertingClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Resolves after `ms` (rejects when the signal aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A clock that tests move by hand. */
export interface ManualClock extends AlertingClock {
  /** Moves time forward by `ms`, firing due timers in time order and letting their async work settle. */
  advance(ms: number): Promise<void>;
  /** Number of timers not yet fired. */
  pending(): number;
}

function sleepWith(clock: Pick<AlertingClock, 'setTimer' | 'clearTimer'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clock.clearTimer(h);
      reject(signal?.reason);
    };
    const h = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and unref'd `setTimeout`s (they never keep the process alive). */
export function createSystemClock(): AlertingClock {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  const clock: AlertingClock = {
    now: () => Date.now(),
    setTimer(fn, ms) {
      const id = next++;
      const t = setTimeout(
        () => {
          timers.delete(id);
          fn();
        },
        Math.max(0, ms),
      );
      t.unref?.();
      timers.set(id, t);
      return { id };
    },
    clearTimer(h) {
      const t = timers.get(h.id);
      if (t) clearTimeout(t);
      timers.delete(h.id);
    },
    sleep: (ms, signal) => sleepWith(clock, ms, signal),
  };
  return clock;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Creates a {@link ManualClock} starting at `startMs` (default 2026-01-01T00:00:00Z). */
export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void; seq: number }>();
  const clock: ManualClock = {
    now: () => now,
    setTimer(fn, ms) {
      const id = next++;
      timers.set(id, { at: now + Math.max(0, ms), fn, seq: id });
      return { id };
    },
    clearTimer(h) {
      timers.delete(h.id);
    },
    sleep: (ms, signal) => sleepWith(clock, ms, signal),
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        let due: [number, { at: number; fn: () => void; seq: number }] | undefined;
        for (const e of timers) if (e[1].at <= target && (!due || e[1].at < due[1].at || (e[1].at === due[1].at && e[1].seq < due[1].seq))) due = e;
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
  return clock;
}
