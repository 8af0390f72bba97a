import { VigilError } from '../errors.js';

/** Error thrown by the health registry for misuse (duplicate or unknown check names, bad options); `code` is stable. */
export class HealthConfigError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_HEALTH_CONFIG', message, options);
  }
}

/** Error a check run fails with when its timeout elapses; `code` is `VIGIL_ERR_HEALTH_TIMEOUT`. */
export class HealthTimeoutError extends VigilError {
  constructor(timeoutMs: number) {
    super('VIGIL_ERR_HEALTH_TIMEOUT', `timed out after ${timeoutMs} ms`);
  }
}

/** Error thrown when an optional peer dependency (pg, ioredis) is needed but not installed. */
export class HealthPeerMissingError extends VigilError {
  constructor(peer: string, options?: { cause?: unknown }) {
    super(
      'VIGIL_ERR_HEALTH_PEER_MISSING',
      `optional peer dependency "${peer}" is not installed; install it or pass a client instance`,
      options,
    );
  }
}
