// One EventSource for the whole app (GET /api/vigil/stream): pages subscribe to event names and
// get every pushed update; the connection is re-opened after errors with a growing delay.
import { useEffect, useRef, useState } from 'preact/hooks';

type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const statusListeners = new Set<(s: LiveStatus) => void>();
let source: EventSource | undefined;
let retryMs = 1000;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let status: LiveStatus = 'connecting';
let firstConnect = true;

/** State of the live connection, shown in the header. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

const EVENTS = ['overview', 'alerts', 'targets', 'incidents'];

function setStatus(s: LiveStatus): void {
  status = s;
  for (const l of statusListeners) l(s);
}

/** Opens the stream (idempotent). */
export function connectLive(): void {
  if (source) return;
  setStatus('connecting');
  // The pages load their data over HTTP first: no snapshot needed on the first connect. After a
  // drop, the snapshot brings them up to date.
  const es = new EventSource(firstConnect ? '/api/vigil/stream?initial=0' : '/api/vigil/stream');
  firstConnect = false;
  source = es;
  es.onopen = () => {
    retryMs = 1000;
    setStatus('live');
  };
  es.onerror = () => {
    // EventSource retries by itself while CONNECTING; once CLOSED (e.g. a 401) we re-open it.
    if (es.readyState === EventSource.CLOSED) {
      source = undefined;
      setStatus('offline');
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connectLive, retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    } else setStatus('connecting');
  };
  for (const name of EVENTS) {
    es.addEventListener(name, (e) => {
      let data: unknown;
      try {
        data = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners.get(name) ?? []) l(data);
    });
  }
}

/** Closes the stream (on logout). */
export function disconnectLive(): void {
  clearTimeout(retryTimer);
  source?.close();
  source = undefined;
  setStatus('offline');
}

/** Calls `fn` with every `event` pushed while the component is mounted. */
export function useLiveEvent<T>(event: string, fn: (data: T) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const l: Listener = (d) => ref.current(d as T);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(l);
    return () => {
      set!.delete(l);
    };
  }, [event]);
}

/** The live connection status. */
export function useLiveStatus(): LiveStatus {
  const [s, setS] = useState(status);
  useEffect(() => {
    statusListeners.add(setS);
    return () => {
      statusListeners.delete(setS);
    };
  }, []);
  return s;
}
