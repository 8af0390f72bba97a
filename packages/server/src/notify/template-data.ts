import type { NotificationAlert, NotificationData } from './contract.js';

/*
 * The Go-shaped data Alertmanager's templates see. Methods (`SortedPairs`, `Names`, `Firing`, …)
 * are non-enumerable own properties: templates can call them, while `range` and `len` over a
 * label set or alert list see only the labels / alerts themselves.
 */

function method<T extends object>(target: T, name: string, fn: (...args: never[]) => unknown): void {
  Object.defineProperty(target, name, { value: fn, enumerable: false, writable: false, configurable: false });
}

/** One `{Name, Value}` pair of a label set. */
export interface TemplatePair {
  readonly Name: string;
  readonly Value: string;
}

/** A list of pairs with `.Names` and `.Values`. */
export type TemplatePairs = TemplatePair[] & { Names(): string[]; Values(): string[] };

/** A label or annotation set with Alertmanager's KV methods. */
export type TemplateKV = Record<string, string> & {
  SortedPairs(): TemplatePairs;
  Names(): string[];
  Values(): string[];
  Remove(keys: readonly string[]): TemplateKV;
};

/** One alert as templates see it (`.Labels`, `.Annotations`, `.StartsAt`, …). */
export interface TemplateAlert {
  readonly Status: string;
  readonly Labels: TemplateKV;
  readonly Annotations: TemplateKV;
  readonly StartsAt: string;
  readonly EndsAt: string;
  readonly GeneratorURL: string;
  readonly Fingerprint: string;
}

/** The alert list with `.Firing` and `.Resolved`. */
export type TemplateAlerts = TemplateAlert[] & { Firing(): TemplateAlerts; Resolved(): TemplateAlerts };

/** The root data of a notification template (`.Receiver`, `.Status`, `.Alerts`, …). */
export interface TemplateData {
  readonly Receiver: string;
  readonly Status: string;
  readonly Alerts: TemplateAlerts;
  readonly GroupLabels: TemplateKV;
  readonly CommonLabels: TemplateKV;
  readonly CommonAnnotations: TemplateKV;
  readonly ExternalURL: string;
}

function pairs(list: TemplatePair[]): TemplatePairs {
  const p = list as TemplatePairs;
  method(p, 'Names', () => list.map((x) => x.Name));
  method(p, 'Values', () => list.map((x) => x.Value));
  return p;
}

/** Wraps a label map as a {@link TemplateKV}; `esc` transforms every value (HTML escaping for email bodies). */
export function templateKV(m: Readonly<Record<string, string>>, esc: (s: string) => string = (s) => s): TemplateKV {
  const kv = {} as TemplateKV;
  const keys = Object.keys(m).sort();
  for (const k of keys) (kv as Record<string, string>)[k] = esc(m[k]!);
  method(kv, 'SortedPairs', () => pairs(keys.map((k) => ({ Name: k, Value: kv[k]! }))));
  method(kv, 'Names', () => [...keys]);
  method(kv, 'Values', () => keys.map((k) => kv[k]!));
  method(kv, 'Remove', (drop: readonly string[]) => {
    const rest: Record<string, string> = {};
    for (const k of keys) if (!drop.includes(k)) rest[k] = kv[k]!;
    return templateKV(rest);
  });
  return kv;
}

function alerts(list: TemplateAlert[]): TemplateAlerts {
  const a = list as TemplateAlerts;
  method(a, 'Firing', () => alerts(list.filter((x) => x.Status === 'firing')));
  method(a, 'Resolved', () => alerts(list.filter((x) => x.Status === 'resolved')));
  return a;
}

function alert(x: NotificationAlert, esc: (s: string) => string): TemplateAlert {
  return {
    Status: x.status,
    Labels: templateKV(x.labels, esc),
    Annotations: templateKV(x.annotations, esc),
    StartsAt: x.startsAt,
    EndsAt: x.endsAt,
    GeneratorURL: esc(x.generatorURL),
    Fingerprint: x.fingerprint,
  };
}

/**
 * Builds the template data of a notification. With `esc` (HTML escaping), every value that comes
 * from alerts is escaped, which gives email HTML bodies the safety of Go's html/template for the
 * values they interpolate; `safeHtml` output is not escaped again.
 */
export function templateData(d: NotificationData, esc: (s: string) => string = (s) => s): TemplateData {
  return {
    Receiver: esc(d.receiver),
    Status: d.status,
    Alerts: alerts(d.alerts.map((a) => alert(a, esc))),
    GroupLabels: templateKV(d.groupLabels, esc),
    CommonLabels: templateKV(d.commonLabels, esc),
    CommonAnnotations: templateKV(d.commonAnnotations, esc),
    ExternalURL: esc(d.externalURL),
  };
}

/** Escapes `& < > " '` for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}
