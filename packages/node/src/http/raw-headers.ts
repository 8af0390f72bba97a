/** The request headers the request observer reads. */
export interface ObservedHeaderValues {
  requestId: string | undefined;
  userAgent: string | undefined;
  contentLength: string | undefined;
  forwardedFor: string | undefined;
}

/** True when `name` is `lowerTarget` in any letter case (`lowerTarget` is lower case). */
function sameHeaderName(name: string, lowerTarget: string): boolean {
  return name.length === lowerTarget.length && (name === lowerTarget || name.toLowerCase() === lowerTarget);
}

/**
 * Reads the request id header, User-Agent, Content-Length and X-Forwarded-For from a request's `rawHeaders` into
 * `out`, by Node's rules for repeated headers: User-Agent and Content-Length keep the first value, X-Forwarded-For
 * joins all with `, `; the request id keeps the first.
 *
 * Node builds `req.headers` lazily from `rawHeaders` on first access; a handler that never reads a header never pays
 * for it, and the observer should not make it pay either.
 */
export function readObservedHeaders(raw: readonly string[], requestIdHeader: string, out: ObservedHeaderValues): void {
  out.requestId = undefined;
  out.userAgent = undefined;
  out.contentLength = undefined;
  out.forwardedFor = undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (out.requestId === undefined && sameHeaderName(name, requestIdHeader)) out.requestId = raw[i + 1];
    else if (name.length === 10) {
      if (out.userAgent === undefined && sameHeaderName(name, 'user-agent')) out.userAgent = raw[i + 1];
    } else if (name.length === 14) {
      if (out.contentLength === undefined && sameHeaderName(name, 'content-length')) out.contentLength = raw[i + 1];
    } else if (name.length === 15 && sameHeaderName(name, 'x-forwarded-for')) {
      out.forwardedFor = out.forwardedFor === undefined ? raw[i + 1] : `${out.forwardedFor}, ${raw[i + 1]}`;
    }
  }
}
