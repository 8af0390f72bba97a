import { readFile } from 'node:fs/promises';
import type { NotificationData } from './contract.js';
import type { FetchLike } from './http-post.js';
import { NotifyError } from './notify-errors.js';
import type { HttpClientSettings } from './receiver-config.js';
import type { Secret } from './secret.js';

/** Minimal structured logger (pino-compatible) the notifiers log through; never given secrets. */
export interface NotifyLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/**
 * Renders Alertmanager-compatible notification templates against a notification. `text` is Go
 * text/template semantics; `html` escapes interpolated values for HTML (Go html/template), used
 * for email bodies. Both throw on a template error.
 */
export interface NotificationTemplates {
  text(template: string, data: NotificationData): string;
  html(template: string, data: NotificationData): string;
}

/** What integrations need from their environment; everything but `externalURL` has a default. */
export interface IntegrationDeps {
  /** HTTP client (default: global fetch). */
  readonly fetch?: FetchLike;
  readonly logger?: NotifyLogger;
  /** Template renderer (default: the built-in Alertmanager-compatible defaults only). */
  readonly templates?: NotificationTemplates;
  /** Vigil's external URL, used when a notification does not carry one. */
  readonly externalURL: string;
  /** Wall clock in ms (Retry-After dates, email Date header). */
  readonly clock?: { now(): number };
  /** Reads `*_file` secrets (default: fs.readFile as UTF-8); read at send time so rotation works. */
  readonly readFile?: (path: string) => Promise<string>;
  /** Where the console integration writes (default: stdout). */
  readonly write?: (line: string) => void;
}

/** Resolved dependencies with defaults filled in. */
export interface ResolvedDeps extends Required<Omit<IntegrationDeps, 'logger' | 'fetch'>> {
  readonly logger?: NotifyLogger;
  readonly fetch?: FetchLike;
}

/** Reads a secret given inline or through a `*_file` option, trimming surrounding whitespace from files. */
export async function resolveSecret(what: string, inline: Secret | undefined, file: string | undefined, deps: ResolvedDeps): Promise<string> {
  if (inline) return inline.reveal();
  if (file) {
    try {
      return (await deps.readFile(file)).trim();
    } catch (err) {
      // The file name is not secret, its content is; the fs error names only the path.
      throw new NotifyError(`${what}: cannot read ${file}: ${(err as { code?: string }).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }
  throw new NotifyError(`${what}: no URL or key configured`, { retryable: false, reason: 'other' });
}

/** Authorization headers for an `http_config`, plus the secret values used (for scrubbing). */
export async function authHeaders(what: string, http: HttpClientSettings, deps: ResolvedDeps): Promise<{ headers: Record<string, string>; secrets: string[] }> {
  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  if (http.authorization) {
    const cred = http.authorization.credentials || http.authorization.credentialsFile ? await resolveSecret(what, http.authorization.credentials, http.authorization.credentialsFile, deps) : '';
    headers.authorization = `${http.authorization.type} ${cred}`.trim();
    secrets.push(cred);
  }
  if (http.basicAuth) {
    const pw = http.basicAuth.password || http.basicAuth.passwordFile ? await resolveSecret(what, http.basicAuth.password, http.basicAuth.passwordFile, deps) : '';
    headers.authorization = `Basic ${Buffer.from(`${http.basicAuth.username}:${pw}`).toString('base64')}`;
    secrets.push(pw, headers.authorization);
  }
  return { headers, secrets };
}

/** Runs template rendering, turning a template failure into a non-retryable NotifyError. */
export function renderer(what: string, deps: ResolvedDeps, data: NotificationData): { text(t: string): string; html(t: string): string } {
  const wrap = (f: (t: string, d: NotificationData) => string) => (t: string): string => {
    if (!t.includes('{{')) return t;
    try {
      return f(t, data);
    } catch (err) {
      throw new NotifyError(`${what}: template failed: ${(err as Error).message}`, { retryable: false, reason: 'other', code: 'VIGIL_ERR_NOTIFY_TEMPLATE' });
    }
  };
  return { text: wrap((t, d) => deps.templates.text(t, d)), html: wrap((t, d) => deps.templates.html(t, d)) };
}

/** Returns `data` with the deps' external URL filled in when the notification lacks one. */
export function withExternalURL(data: NotificationData, deps: ResolvedDeps): NotificationData {
  return data.externalURL ? data : { ...data, externalURL: deps.externalURL };
}

/** Default `readFile`. */
export const readUtf8 = (path: string): Promise<string> => readFile(path, 'utf8');
