import { VigilError } from '../errors.js';

/** Codes of the errors the auth layer returns or throws; stable, documented in docs/auth.md. */
export const AuthErrorCode = {
  unauthenticated: 'VIGIL_ERR_UNAUTHENTICATED',
  forbidden: 'VIGIL_ERR_FORBIDDEN',
  csrf: 'VIGIL_ERR_CSRF',
  rateLimited: 'VIGIL_ERR_RATE_LIMITED',
  invalidCredentials: 'VIGIL_ERR_INVALID_CREDENTIALS',
  invalidInput: 'VIGIL_ERR_AUTH_INVALID_INPUT',
  userExists: 'VIGIL_ERR_USER_EXISTS',
  userNotFound: 'VIGIL_ERR_USER_NOT_FOUND',
  tokenNotFound: 'VIGIL_ERR_TOKEN_NOT_FOUND',
  unavailable: 'VIGIL_ERR_AUTH_UNAVAILABLE',
} as const;

/** HTTP status for each auth error code. */
const statusOf: Record<string, number> = {
  [AuthErrorCode.unauthenticated]: 401,
  [AuthErrorCode.forbidden]: 403,
  [AuthErrorCode.csrf]: 403,
  [AuthErrorCode.rateLimited]: 429,
  [AuthErrorCode.invalidCredentials]: 401,
  [AuthErrorCode.invalidInput]: 400,
  [AuthErrorCode.userExists]: 409,
  [AuthErrorCode.userNotFound]: 404,
  [AuthErrorCode.tokenNotFound]: 404,
  [AuthErrorCode.unavailable]: 503,
};

/**
 * An authentication or authorization failure, or a rejected user/token operation. Its message is
 * safe to return to the client: it never contains a password, token, or session id.
 */
export class AuthError extends VigilError {
  /** HTTP status this error maps to (400, 401, 403, 404, 409, 429, 503). */
  readonly status: number;
  constructor(code: (typeof AuthErrorCode)[keyof typeof AuthErrorCode], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = statusOf[code] ?? 400;
  }
}
