import nodemailer from 'nodemailer';
import type { Integration } from './contract.js';
import type { NotifyFailureReason } from './contract.js';
import { parseAddressList } from './email-address.js';
import { renderer, resolveSecret, withExternalURL, type ResolvedDeps } from './integration-deps.js';
import { NotifyError } from './notify-errors.js';
import type { EmailIntegrationConfig } from './receiver-config.js';
import { scrubSecrets } from './secret.js';

/** Default Subject header template (Alertmanager's `email.default.subject`). */
export const DEFAULT_EMAIL_SUBJECT = '{{ template "email.default.subject" . }}';

function classifySmtp(err: unknown): { reason: NotifyFailureReason; retryable: boolean } {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'ETIMEDOUT') return { reason: 'timeout', retryable: true };
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EDNS' || e.code === 'ECONNREFUSED') return { reason: 'connection', retryable: true };
  if (e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'EENVELOPE') {
    // 4xx replies are transient by SMTP's definition, 5xx permanent.
    if (e.responseCode && e.responseCode >= 400 && e.responseCode < 500) return { reason: 'serverError', retryable: true };
    return { reason: 'clientError', retryable: false };
  }
  if (e.responseCode && e.responseCode >= 500) return { reason: 'clientError', retryable: false };
  if (e.responseCode && e.responseCode >= 400) return { reason: 'serverError', retryable: true };
  return { reason: 'other', retryable: true };
}

/**
 * Creates the email integration: renders Subject (default `[FIRING:n] …` like Alertmanager), the
 * configured headers, an HTML body (HTML-escaped templating) and an optional text body, and sends
 * them with nodemailer to `smarthost` (implicit TLS on port 465, STARTTLS when `require_tls`).
 */
export function createEmailIntegration(cfg: EmailIntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `email[${cfg.index}]`;
  return {
    name: 'email',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input, signal) {
      const data = withExternalURL(input, deps);
      const r = renderer(what, deps, data);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(cfg.headers)) headers[k] = r.text(v);
      const subject = headers.Subject ?? r.text(DEFAULT_EMAIL_SUBJECT);
      const from = headers.From ?? r.text(cfg.from);
      const to = headers.To ?? r.text(cfg.to);
      delete headers.Subject;
      delete headers.From;
      delete headers.To;
      const fromList = parseAddressList(from);
      const toList = parseAddressList(r.text(cfg.to));
      const bad = fromList.error ?? toList.error;
      if (bad || fromList.mailboxes.length !== 1) {
        throw new NotifyError(`${what}: invalid address: ${bad ?? 'From must be exactly one address'}`, { retryable: false, reason: 'clientError' });
      }
      const html = cfg.html ? r.html(cfg.html) : '';
      const text = cfg.text ? r.text(cfg.text) : '';
      const password = cfg.authPassword || cfg.authPasswordFile ? await resolveSecret(what, cfg.authPassword, cfg.authPasswordFile, deps) : undefined;
      const secret = cfg.authSecret?.reveal();
      const secure = cfg.smarthost.port === 465;
      const transport = nodemailer.createTransport({
        host: cfg.smarthost.host,
        port: cfg.smarthost.port,
        secure,
        requireTLS: !secure && cfg.requireTLS,
        ignoreTLS: !secure && !cfg.requireTLS,
        name: cfg.hello,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
        tls: { rejectUnauthorized: !cfg.tls.insecureSkipVerify, ...(cfg.tls.serverName ? { servername: cfg.tls.serverName } : {}) },
        ...(cfg.authUsername
          ? {
              auth: secret && !password
                ? { user: cfg.authUsername, pass: secret, method: 'CRAM-MD5' }
                : { user: cfg.authUsername, pass: password ?? '' },
            }
          : {}),
      });
      const onAbort = (): void => transport.close();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (signal?.aborted) throw signal.reason;
        await transport.sendMail({
          from,
          to,
          subject,
          headers,
          date: new Date(deps.clock.now()),
          envelope: { from: fromList.mailboxes[0]!.address, to: toList.mailboxes.map((m) => m.address) },
          ...(html ? { html } : {}),
          ...(text ? { text } : {}),
        });
      } catch (err) {
        const aborted = signal?.aborted === true;
        const why = signal?.reason as { name?: string } | undefined;
        const c = aborted ? (why?.name === 'TimeoutError' ? { reason: 'timeout' as const, retryable: true } : { reason: 'other' as const, retryable: false }) : classifySmtp(err);
        const msg = aborted ? 'aborted' : ((err as Error).message ?? String(err));
        const status = (err as { responseCode?: number }).responseCode;
        throw new NotifyError(scrubSecrets(`${what}: sending mail failed: ${msg}`, [password, secret]), { ...c, ...(status ? { status } : {}) });
      } finally {
        signal?.removeEventListener('abort', onAbort);
        transport.close();
      }
    },
  };
}
