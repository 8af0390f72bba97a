/** The logging the alerting pipeline needs (pino's signature: fields object first). */
export interface AlertingLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** A logger that discards everything. */
export const silentLogger: AlertingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
