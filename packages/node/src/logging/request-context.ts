import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request fields carried through async code and added to every log line written while handling the request. */
export interface RequestContext {
  /** From `X-Request-Id` or a generated UUID; echoed back in the response header. */
  request_id: string;
  /** Set by the app once the user is known (`context.setUserId()`). */
  user_id?: string;
  /** Trace and span id of the active span, when tracing is on. */
  trace_id?: string;
  span_id?: string;
}

/** An AsyncLocalStorage-backed holder of the current {@link RequestContext}; one per app, passed to the logger and adapters. */
export interface RequestContextStore {
  /** Runs `fn` with `context` as the current request context. */
  run<T>(context: RequestContext, fn: () => T): T;
  /** The current request context, or `undefined` outside a request. */
  get(): RequestContext | undefined;
  /** Sets `user_id` on the current request context (no-op outside a request). */
  setUserId(userId: string): void;
}

/**
 * Creates a request-context store (an AsyncLocalStorage underneath). Vigil keeps no global instance: create one, and
 * give the same store to `createLogger()` and the HTTP adapters.
 */
export function createRequestContextStore(): RequestContextStore {
  const als = new AsyncLocalStorage<RequestContext>();
  return {
    run: (context, fn) => als.run(context, fn),
    get: () => als.getStore(),
    setUserId(userId) {
      const ctx = als.getStore();
      if (ctx) ctx.user_id = userId;
    },
  };
}
