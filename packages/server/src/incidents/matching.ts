import { parseMatchers } from '../alerting/matchers/parse.js';
import { matchesAll, type Matcher } from '../alerting/matchers/matcher.js';
import type { AutomationConfig, EscalationConfig, IncidentPolicyConfig, PlaybookConfig } from './config.js';

type Labels = Readonly<Record<string, string>>;

/** Compiles matcher strings (each one matcher or a `{a="b", c=~"d"}` list) into one conjunction. */
export function compileMatchers(list: readonly string[]): Matcher[] {
  return list.flatMap((m) => parseMatchers(m));
}

/** A compiled opening policy. */
export interface CompiledPolicy {
  readonly matchers: readonly Matcher[];
  readonly escalation?: EscalationConfig;
  readonly public: boolean;
}

/** Compiles the `open_when` policies. */
export function compilePolicies(list: readonly IncidentPolicyConfig[]): CompiledPolicy[] {
  return list.map((p) => ({ matchers: compileMatchers(p.match), ...(p.escalation ? { escalation: p.escalation } : {}), public: p.public ?? false }));
}

/** The first policy that one of the firing alerts' label sets matches, or undefined. */
export function matchingPolicy(policies: readonly CompiledPolicy[], firing: readonly Labels[]): CompiledPolicy | undefined {
  for (const p of policies) if (firing.some((l) => matchesAll(p.matchers, l))) return p;
  return undefined;
}

/**
 * Alert names of a guide-000 trigger: `"HighErrorRate alert"` → HighErrorRate;
 * `"DatabaseConnectionHigh/Critical alert"` → DatabaseConnectionHigh, DatabaseConnectionCritical
 * (a short part after `/` replaces the last CamelCase word of the first name), and the part itself.
 */
export function triggerAlertNames(trigger: string): string[] {
  const text = trigger.trim().replace(/\s+alerts?$/i, '').trim();
  const parts = text.split(/\s*(?:\/|,|\bor\b)\s*/).filter(Boolean);
  if (parts.length === 0) return [];
  const first = parts[0]!;
  const out = new Set<string>([first]);
  const stem = /^(.*?)([A-Z][a-z0-9]*)$/.exec(first)?.[1];
  for (const p of parts.slice(1)) {
    out.add(p);
    if (stem && /^[A-Z][a-z0-9]*$/.test(p)) out.add(stem + p);
  }
  return [...out];
}

/** A compiled playbook trigger. */
export interface CompiledPlaybook {
  readonly playbook: PlaybookConfig;
  matches(labels: Labels): boolean;
}

/** Compiles playbook triggers: a string with `=` in it is a matcher list, else alert names as in guide 000. */
export function compilePlaybooks(list: readonly PlaybookConfig[]): CompiledPlaybook[] {
  return list.map((playbook) => {
    const t = playbook.trigger;
    if (typeof t !== 'string' || /[=~]/.test(t)) {
      const ms = compileMatchers(typeof t === 'string' ? [t] : t);
      return { playbook, matches: (l: Labels) => matchesAll(ms, l) };
    }
    const names = new Set(triggerAlertNames(t));
    return { playbook, matches: (l: Labels) => l.alertname !== undefined && names.has(l.alertname) };
  });
}

/** The first playbook whose trigger one of the label sets matches. */
export function matchingPlaybook(list: readonly CompiledPlaybook[], labels: readonly Labels[]): PlaybookConfig | undefined {
  for (const p of list) if (labels.some((l) => p.matches(l))) return p.playbook;
  return undefined;
}

/** A compiled automation. */
export interface CompiledAutomation {
  readonly automation: AutomationConfig;
  readonly matchers: readonly Matcher[];
}

/** Compiles automations' `when` matchers. */
export function compileAutomations(list: readonly AutomationConfig[]): CompiledAutomation[] {
  return list.map((automation) => ({ automation, matchers: compileMatchers(automation.when) }));
}

/** The automations one of the label sets matches (an empty `when` matches every incident). */
export function matchingAutomations(list: readonly CompiledAutomation[], labels: readonly Labels[]): AutomationConfig[] {
  return list.filter((a) => labels.some((l) => matchesAll(a.matchers, l))).map((a) => a.automation);
}
