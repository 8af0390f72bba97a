import { spawn } from 'node:child_process';
import type { AutomationConfig } from './config.js';
import { excerpt, redactIncidentText } from './redact.js';

/** Most characters of output (body, stdout, stderr) kept in the timeline per stream. */
export const AUTOMATION_OUTPUT_LIMIT = 2048;

/** What an automation run did, for the incident timeline. */
export interface AutomationResult {
  readonly name: string;
  readonly kind: 'webhook' | 'command';
  readonly ok: boolean;
  /** One line for the timeline. */
  readonly text: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What an automation receives about the incident. */
export interface AutomationContext {
  readonly incident: { readonly id: string; readonly title: string; readonly severity: string; readonly service: string; readonly url: string };
  /** JSON body posted to a webhook (the incident summary and its alerts). */
  readonly payload: unknown;
}

/** Collects at most `limit` characters of a stream, counting the rest. */
function collector(limit: number) {
  let text = '';
  let dropped = 0;
  return {
    push(chunk: Buffer | string) {
      const s = chunk.toString();
      const room = limit - text.length;
      if (room > 0) text += s.slice(0, room);
      dropped += Math.max(0, s.length - Math.max(0, room));
    },
    value: () => (dropped > 0 ? `${text}… (${dropped} more characters)` : text),
  };
}

async function runWebhook(a: AutomationConfig & { webhook: NonNullable<AutomationConfig['webhook']> }, ctx: AutomationContext, secrets: readonly string[]): Promise<AutomationResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${a.timeout_ms} ms`)), a.timeout_ms);
  timer.unref?.();
  // The URL may carry a token in its query or userinfo: only its origin and path go in the timeline.
  const u = new URL(a.webhook.url);
  const where = `${u.origin}${u.pathname}`;
  try {
    const res = await fetch(a.webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vigil-incidents', ...a.webhook.headers },
      body: JSON.stringify(ctx.payload),
      signal: controller.signal,
    });
    const out = collector(AUTOMATION_OUTPUT_LIMIT);
    const reader = res.body?.getReader();
    if (reader) {
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        out.push(Buffer.from(value));
        // Enough for the excerpt: stop reading a large body.
        if (total > AUTOMATION_OUTPUT_LIMIT * 4) {
          await reader.cancel().catch(() => undefined);
          out.push('…');
          break;
        }
      }
    }
    const body = redactIncidentText(out.value(), secrets);
    const ok = res.status >= 200 && res.status < 300;
    return { name: a.name, kind: 'webhook', ok, text: `automation ${a.name}: webhook ${where} answered ${res.status}`, data: { url: where, status_code: res.status, body } };
  } catch (err) {
    const reason = redactIncidentText(controller.signal.aborted ? `timed out after ${a.timeout_ms} ms` : (err as Error).message, secrets);
    return { name: a.name, kind: 'webhook', ok: false, text: `automation ${a.name}: webhook ${where} failed: ${reason}`, data: { url: where, error: reason } };
  } finally {
    clearTimeout(timer);
  }
}

function runCommand(a: AutomationConfig & { command: readonly string[] }, ctx: AutomationContext, secrets: readonly string[]): Promise<AutomationResult> {
  return new Promise((resolve) => {
    const [file, ...args] = a.command;
    const stdout = collector(AUTOMATION_OUTPUT_LIMIT);
    const stderr = collector(AUTOMATION_OUTPUT_LIMIT);
    let timedOut = false;
    let settled = false;
    const finish = (code: number | null, signal: string | null, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const out = redactIncidentText(stdout.value(), secrets);
      const err = redactIncidentText(stderr.value(), secrets);
      const how = error ? `could not start: ${redactIncidentText(error, secrets)}` : timedOut ? `killed after its ${a.timeout_ms} ms timeout` : code !== null ? `exited with code ${code}` : `ended by signal ${signal}`;
      resolve({
        name: a.name,
        kind: 'command',
        ok: !error && !timedOut && code === 0,
        text: `automation ${a.name}: ${file} ${how}`,
        data: { command: a.command, exit_code: code, ...(signal ? { signal } : {}), timed_out: timedOut, stdout: out, stderr: err, ...(error ? { error: redactIncidentText(error, secrets) } : {}) },
      });
    };
    let child: ReturnType<typeof spawn>;
    try {
      // No shell; its own process group so a timeout kills whatever it started too.
      child = spawn(file!, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: {
          ...process.env,
          VIGIL_INCIDENT_ID: ctx.incident.id,
          VIGIL_INCIDENT_TITLE: ctx.incident.title,
          VIGIL_INCIDENT_SEVERITY: ctx.incident.severity,
          VIGIL_INCIDENT_SERVICE: ctx.incident.service,
          VIGIL_INCIDENT_URL: ctx.incident.url,
        },
      });
    } catch (err) {
      finish(null, null, (err as Error).message);
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, a.timeout_ms);
    timer.unref?.();
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    child.once('error', (err) => finish(null, null, err.message));
    child.once('close', (code, signal) => finish(code, signal));
  });
}

/**
 * Runs one automated response (guide 004's AutomatedResponse): POSTs the incident to a webhook, or
 * runs a command (argv, no shell, `VIGIL_INCIDENT_*` in its environment) killed with its process
 * group at the timeout. Never rejects: failures, timeouts and bad exits come back as a result whose
 * output excerpts are bounded ({@link AUTOMATION_OUTPUT_LIMIT}) and redacted.
 */
export async function runAutomation(a: AutomationConfig, ctx: AutomationContext, secrets: readonly string[] = []): Promise<AutomationResult> {
  try {
    if (a.webhook) return await runWebhook({ ...a, webhook: a.webhook }, ctx, secrets);
    if (a.command) return await runCommand({ ...a, command: a.command }, ctx, secrets);
    return { name: a.name, kind: 'command', ok: false, text: `automation ${a.name}: nothing to run`, data: {} };
  } catch (err) {
    return { name: a.name, kind: a.webhook ? 'webhook' : 'command', ok: false, text: `automation ${a.name} failed: ${excerpt(redactIncidentText((err as Error).message, secrets), 300)}`, data: {} };
  }
}
