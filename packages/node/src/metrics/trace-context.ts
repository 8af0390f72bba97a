import { createRequire } from 'node:module';

/** Ids of the active trace span. */
export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** Returns the ids of the span active in the current async context, or `undefined` when none is. */
export type TraceContextProvider = () => TraceIds | undefined;

interface OtelApiLike {
  trace: { getActiveSpan(): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined };
}

const INVALID_TRACE = '00000000000000000000000000000000';

/**
 * Returns a {@link TraceContextProvider} backed by `@opentelemetry/api` when that package is installed (an optional
 * peer: Vigil never requires it), or `undefined` when it is not. The provider reads the active span of the
 * current context, so it sees spans of whatever tracer and context manager the app registered.
 */
export function openTelemetryTraceContext(): TraceContextProvider | undefined {
  let api: OtelApiLike;
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApiLike;
  } catch {
    return undefined;
  }
  return () => {
    const span = api.trace.getActiveSpan();
    if (!span) return undefined;
    const ctx = span.spanContext();
    if (!ctx.traceId || ctx.traceId === INVALID_TRACE) return undefined;
    return { traceId: ctx.traceId, spanId: ctx.spanId };
  };
}
