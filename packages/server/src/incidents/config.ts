import { z } from 'zod';
import { parseConfigDuration } from '../config/duration.js';
import { parseMatchers } from '../alerting/matchers/parse.js';

const duration = z.string().refine((s) => parseConfigDuration(s) !== undefined, { message: 'not a valid duration (e.g. 15s, 1m, 200ms)' }).transform((s) => parseConfigDuration(s)!);
const matcherText = z.string().refine(
  (s) => {
    try {
      parseMatchers(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid Alertmanager matcher (e.g. severity="critical")' },
);
// Shapes are normalised before validation (no unions), so errors point at the offending field.
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const matcherList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(matcherText));

const escalation = z.strictObject({
  after: duration.refine((ms) => ms > 0, { message: 'must be greater than 0' }),
  chain: z.array(z.string().min(1)).min(1),
});

const policy = z.preprocess(
  (v) => (typeof v === 'string' ? { match: [v] } : v),
  z.strictObject({ match: matcherList, escalation: escalation.optional(), public: z.boolean().optional() }),
);

const step = z.preprocess((v) => (typeof v === 'string' ? { title: v } : v), z.strictObject({ title: z.string().min(1), action: z.string().optional() }));
// Guide 000 numbers steps (`1: "..."`): a map with numeric keys becomes the list in key order.
const steps = z.preprocess(
  (v) => (isPlainObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k)) ? Object.entries(v).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, x]) => x) : v),
  z.array(step, { error: 'expected a list of steps or a map of numbered steps (1: "...")' }).min(1),
);
const trigger = z.preprocess((v) => (typeof v === 'string' && !/[=~]/.test(v) ? v : typeof v === 'string' ? [v] : v), z.union([z.string().min(1), z.array(matcherText).min(1)]));
const namedPlaybook = z.strictObject({ name: z.string().min(1), trigger, steps, description: z.string().optional() });

/** zod schema of a `playbooks:` value: guide 000's map (name → {trigger, steps}) or a list of {name, trigger, steps}. */
export const playbooksSchema = z.preprocess(
  (v) => (isPlainObject(v) ? Object.entries(v).map(([name, p]) => (isPlainObject(p) ? { name, ...p } : p)) : v),
  z.array(namedPlaybook),
);

/** zod schema of a playbooks file (guide 000's `incident-response-playbooks.yaml`, read unchanged). */
export const playbooksFileSchema = z.object({ playbooks: playbooksSchema });

const automation = z
  .strictObject({
    name: z.string().min(1),
    when: matcherList.default([]),
    webhook: z.strictObject({ url: z.string().url(), headers: z.record(z.string(), z.string()).default({}) }).optional(),
    command: z.array(z.string()).min(1).optional(),
    timeout: duration.default(10_000),
  })
  .superRefine((a, ctx) => {
    if ((a.webhook === undefined) === (a.command === undefined)) ctx.addIssue({ code: 'custom', message: 'set exactly one of webhook, command', path: ['name'] });
  });

/** zod schema of vigil.yml's `incidents:` section (see docs/incidents.md). */
export const incidentsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  open_when: z.array(policy).default([{ match: ['severity="critical"'] }]),
  resolve_grace: duration.default(300_000),
  reopen_window: duration.default(3_600_000),
  escalation: escalation.optional(),
  playbooks: playbooksSchema.default([]),
  playbooks_file: z.string().optional(),
  automations: z.array(automation).default([]),
});

/** zod schema of vigil.yml's `state:` section: where durable state lives. */
export const stateConfigSchema = z.strictObject({
  /** PostgreSQL connection string (a secret: never printed). */
  postgres_url: z.string().min(1).optional(),
  schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid schema name').optional(),
});

/** Escalation: notify the next receiver of `chain` every `after_ms` until the incident is acknowledged. */
export interface EscalationConfig {
  readonly after_ms: number;
  readonly chain: readonly string[];
}

/** One opening policy: alerts matching all of `match` (matcher strings) open an incident. */
export interface IncidentPolicyConfig {
  readonly match: readonly string[];
  readonly escalation?: EscalationConfig;
  /** Incidents opened by this policy are public (status page) from the start. */
  readonly public?: boolean;
}

/** One playbook: `trigger` is alert names (`"HighErrorRate alert"`, `"A/B alert"`) or a list of matchers. */
export interface PlaybookConfig {
  readonly name: string;
  readonly trigger: string | readonly string[];
  readonly steps: readonly { readonly title: string; readonly action?: string }[];
}

/** One automated response run when a matching incident opens. */
export interface AutomationConfig {
  readonly name: string;
  readonly when: readonly string[];
  readonly webhook?: { readonly url: string; readonly headers: Readonly<Record<string, string>> };
  readonly command?: readonly string[];
  readonly timeout_ms: number;
}

/** The `incidents:` section of vigil.yml, validated, durations in ms, the playbooks file merged in. */
export interface IncidentsConfig {
  readonly enabled: boolean;
  readonly open_when: readonly IncidentPolicyConfig[];
  readonly resolve_grace_ms: number;
  readonly reopen_window_ms: number;
  readonly escalation?: EscalationConfig;
  readonly playbooks: readonly PlaybookConfig[];
  readonly automations: readonly AutomationConfig[];
}

/** The `state:` section of vigil.yml. */
export interface StateConfig {
  readonly postgres_url?: string;
  readonly schema?: string;
}

/** Defaults: incidents on, `severity="critical"` opens, 5 m grace, 1 h reopen window. */
export const DEFAULT_INCIDENTS_CONFIG: IncidentsConfig = {
  enabled: true,
  open_when: [{ match: ['severity="critical"'] }],
  resolve_grace_ms: 300_000,
  reopen_window_ms: 3_600_000,
  playbooks: [],
  automations: [],
};

type RawEscalation = z.output<typeof escalation>;
const esc = (e: RawEscalation | undefined): EscalationConfig | undefined => (e ? { after_ms: e.after, chain: e.chain } : undefined);

/** Converts the parsed `incidents:` section (plus playbooks read from `playbooks_file`) to {@link IncidentsConfig}. */
export function normalizeIncidentsConfig(raw: z.output<typeof incidentsConfigSchema> | undefined, filePlaybooks: readonly PlaybookConfig[] = []): IncidentsConfig {
  if (!raw) return DEFAULT_INCIDENTS_CONFIG;
  const escalationCfg = esc(raw.escalation);
  return {
    enabled: raw.enabled,
    open_when: raw.open_when.map((p) => {
      const e = esc(p.escalation);
      return { match: p.match, ...(e ? { escalation: e } : {}), ...(p.public !== undefined ? { public: p.public } : {}) };
    }),
    resolve_grace_ms: raw.resolve_grace,
    reopen_window_ms: raw.reopen_window,
    ...(escalationCfg ? { escalation: escalationCfg } : {}),
    playbooks: [...raw.playbooks.map(toPlaybook), ...filePlaybooks],
    automations: raw.automations.map((a) => ({
      name: a.name,
      when: a.when,
      ...(a.webhook ? { webhook: a.webhook } : {}),
      ...(a.command ? { command: a.command } : {}),
      timeout_ms: a.timeout,
    })),
  };
}

/** Converts one parsed playbook to {@link PlaybookConfig}. */
export function toPlaybook(p: z.output<typeof namedPlaybook>): PlaybookConfig {
  return { name: p.name, trigger: p.trigger, steps: p.steps.map((s) => ({ title: s.title, ...(s.action !== undefined ? { action: s.action } : {}) })) };
}
