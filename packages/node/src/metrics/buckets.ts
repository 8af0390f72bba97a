/**
 * OpenTelemetry's recommended bucket boundaries for `http.server.request.duration`, in seconds: the default buckets
 * of `http_request_duration_seconds`.
 */
export const OTEL_HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Default buckets of the opt-in request/response size histograms, in bytes (powers of 4 from 64 B to 16 MiB). */
export const SIZE_BUCKETS: readonly number[] = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
