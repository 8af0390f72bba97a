import { VigilError } from '../errors.js';

/** Error a cleanup hook is reported with when it exceeds its timeout; `code` is `VIGIL_ERR_SHUTDOWN_HOOK_TIMEOUT`. */
export class ShutdownHookTimeoutError extends VigilError {
  constructor(name: string, timeoutMs: number) {
    super(
      'VIGIL_ERR_SHUTDOWN_HOOK_TIMEOUT',
      `shutdown hook "${name}" did not finish within ${timeoutMs} ms`,
    );
  }
}
