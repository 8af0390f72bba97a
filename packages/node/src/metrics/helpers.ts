// The module binding, not the global: `globalThis.performance` is an accessor, read again on every call.
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The counts a pg `Pool` exposes (`totalCount`, `idleCount`, `waitingCount`). */
export interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Registers `db_connection_pool_size{state}` for a pg Pool, read at scrape time: `state` is `active`, `idle`,
 * `waiting` (queued clients) or `total`. Several pools: pass `pool` label values via `name` (adds `pool="<name>"`).
 */
export function createPgPoolMetrics(options: { registry: Registry; pool: PgPoolStats; name?: string }): void {
  const { pool, name } = options;
  new Gauge({
    name: 'db_connection_pool_size',
    help: 'Database connection pool size by state (active, idle, waiting, total).',
    labelNames: name ? ['state', 'pool'] : ['state'],
    registers: [options.registry],
    collect() {
      const extra = name ? { pool: name } : {};
      this.set({ state: 'active', ...extra }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle', ...extra }, pool.idleCount);
      this.set({ state: 'waiting', ...extra }, pool.waitingCount);
      this.set({ state: 'total', ...extra }, pool.totalCount);
    },
  });
}

/** Cache operation recorder from {@link createCacheMetrics}. */
export interface CacheMetrics {
  /** Counts one operation, e.g. `record('get', 'hit')`, `record('set', 'success')`. */
  record(operation: string, status: string): void;
  /** Shorthand for a get that found the key. */
  hit(): void;
  /** Shorthand for a get that missed. */
  miss(): void;
}

/**
 * Registers `cache_operations_total{operation,status}` and `cache_hit_ratio` (hits / (hits + misses) of `get`
 * since start, 0 before any). Operation and status names should come from a small fixed set.
 */
export function createCacheMetrics(options: { registry: Registry }): CacheMetrics {
  const ops = new Counter({ name: 'cache_operations_total', help: 'Cache operations by operation (get, set, delete) and status (hit, miss, success, error).', labelNames: ['operation', 'status'], registers: [options.registry] });
  let hits = 0;
  let misses = 0;
  new Gauge({
    name: 'cache_hit_ratio',
    help: 'Share of cache gets that were hits since start (0..1).',
    registers: [options.registry],
    collect() {
      this.set(hits + misses > 0 ? hits / (hits + misses) : 0);
    },
  });
  const record = (operation: string, status: string) => {
    if (operation === 'get' && status === 'hit') hits++;
    if (operation === 'get' && status === 'miss') misses++;
    ops.inc({ operation, status });
  };
  return { record, hit: () => record('get', 'hit'), miss: () => record('get', 'miss') };
}

/** Wraps functions so each call's duration and outcome is recorded (guide 000's `measure_performance`). */
export type Measure = <A extends unknown[], R>(operation: string, fn: (...args: A) => R) => (...args: A) => R;

/**
 * Creates `measure(operation, fn)`: the returned function calls `fn` and records `operation_duration_seconds
 * {operation,status}` (status `success` or `error`; promises are timed until they settle). Errors are rethrown.
 *
 * @example
 * const measure = createMeasure({ registry });
 * const assess = measure('ai_assessment', runAssessment);
 */
export function createMeasure(options: { registry: Registry; buckets?: readonly number[] }): Measure {
  const hist = new Histogram({
    name: 'operation_duration_seconds',
    help: 'Duration of measured operations in seconds, by operation and outcome.',
    labelNames: ['operation', 'status'],
    buckets: options.buckets ? [...options.buckets] : [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [options.registry],
  });
  return (operation, fn) =>
    (...args) => {
      const start = performance.now();
      const record = (status: string) => hist.observe({ operation, status }, (performance.now() - start) / 1000);
      let result;
      try {
        result = fn(...args);
      } catch (err) {
        record('error');
        throw err;
      }
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        (result as unknown as Promise<unknown>).then(() => record('success'), () => record('error'));
      } else {
        record('success');
      }
      return result;
    };
}

/** A counter whose label names are checked by the type system. */
export interface TypedCounter<L extends string> {
  inc(labels: Record<L, string>, value?: number): void;
}

/** A gauge whose label names are checked by the type system. */
export interface TypedGauge<L extends string> {
  set(labels: Record<L, string>, value: number): void;
  inc(labels: Record<L, string>, value?: number): void;
  dec(labels: Record<L, string>, value?: number): void;
}

/**
 * Declares a business counter once, with typed label names (`payments_total{provider,status}`); a name that does
 * not end with `_total` gets it appended, as Prometheus conventions require.
 */
export function defineCounter<L extends string = never>(options: { registry: Registry; name: string; help: string; labelNames?: readonly L[] }): TypedCounter<L> {
  const name = options.name.endsWith('_total') ? options.name : `${options.name}_total`;
  const c = new Counter({ name, help: options.help, labelNames: (options.labelNames ?? []) as L[], registers: [options.registry] });
  return { inc: (labels, value = 1) => c.inc(labels as never, value) };
}

/** Declares a business gauge once, with typed label names (`processing_queue_size{queue}`). */
export function defineGauge<L extends string = never>(options: { registry: Registry; name: string; help: string; labelNames?: readonly L[] }): TypedGauge<L> {
  const g = new Gauge({ name: options.name, help: options.help, labelNames: (options.labelNames ?? []) as L[], registers: [options.registry] });
  return {
    set: (labels, value) => g.set(labels as never, value),
    inc: (labels, value = 1) => g.inc(labels as never, value),
    dec: (labels, value = 1) => g.dec(labels as never, value),
  };
}
