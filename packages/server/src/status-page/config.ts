import { z } from 'zod';

/** A scrape target a status-page service follows: every target of `job`, or one `job/instance`. */
export interface StatusTargetRef {
  readonly job: string;
  readonly instance?: string;
}

/** One service shown on the public status page and what decides its state. */
export interface StatusServiceConfig {
  /** Public name (the only label-like value the page ever shows). */
  readonly name: string;
  readonly description?: string;
  /** Names of probes (`probes:` in vigil.yml) whose results count for this service. */
  readonly probes: readonly string[];
  /** Scrape targets whose `up` counts for this service. */
  readonly targets: readonly StatusTargetRef[];
}

/** `status_page:` of vigil.yml, validated, with the default service list filled in. */
export interface StatusPageConfig {
  /** Whether `/status`, `/api/public/status` and the feed are served (default true). */
  readonly enabled: boolean;
  readonly title: string;
  readonly description?: string;
  /** Consecutive failed checks before a probe counts as down (default 2: one failure never flips the page). */
  readonly confirm_failures: number;
  readonly services: readonly StatusServiceConfig[];
  /** True when `services` was not written and was derived from the probes' `service` labels. */
  readonly default_services: boolean;
}

/** Default page title. */
export const DEFAULT_STATUS_TITLE = 'Service status';

const targetRef = z.string().regex(/^[^/\s]+(\/[^\s]+)?$/, 'target must be "job" or "job/instance"');

/** zod schema of the `status_page:` section as written. */
export const statusPageSchema = z.strictObject({
  enabled: z.boolean().default(true),
  title: z.string().min(1).max(200).default(DEFAULT_STATUS_TITLE),
  description: z.string().max(2000).optional(),
  confirm_failures: z.number().int().min(1).max(20).default(2),
  services: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        description: z.string().max(1000).optional(),
        probes: z.array(z.string().min(1)).default([]),
        targets: z.array(targetRef).default([]),
      }),
    )
    .optional(),
});

/** The `status_page:` section after zod, before references are checked. */
export type RawStatusPageConfig = z.output<typeof statusPageSchema>;

/** Reports a problem at a path inside `status_page` (the loader turns it into a file:line:column error). */
export type StatusConfigFail = (path: readonly (string | number)[], message: string) => never;

/**
 * Resolves the `status_page:` section against the configured probes: checks that every listed probe
 * exists and names are unique, and, when no services are listed, makes one service per `service`
 * label of the probes (a probe without that label becomes a service of its own name).
 */
export function resolveStatusPageConfig(
  raw: RawStatusPageConfig | undefined,
  probes: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[],
  fail: StatusConfigFail,
): StatusPageConfig {
  const base = {
    enabled: raw?.enabled ?? true,
    title: raw?.title ?? DEFAULT_STATUS_TITLE,
    ...(raw?.description !== undefined ? { description: raw.description } : {}),
    confirm_failures: raw?.confirm_failures ?? 2,
  };
  if (!raw?.services) {
    const byName = new Map<string, string[]>();
    for (const p of probes) {
      const name = p.labels['service'] || p.name;
      const list = byName.get(name) ?? [];
      list.push(p.name);
      byName.set(name, list);
    }
    const services = [...byName].map(([name, list]) => ({ name, probes: list, targets: [] }));
    return { ...base, services, default_services: true };
  }
  const known = new Set(probes.map((p) => p.name));
  const seen = new Set<string>();
  const services = raw.services.map((s, i): StatusServiceConfig => {
    if (seen.has(s.name)) fail(['services', i, 'name'], `duplicate service name "${s.name}"`);
    seen.add(s.name);
    if (s.probes.length === 0 && s.targets.length === 0) fail(['services', i], `service "${s.name}" lists no probes and no targets`);
    s.probes.forEach((p, j) => {
      if (!known.has(p)) fail(['services', i, 'probes', j], `unknown probe "${p}" (not in probes:)`);
    });
    const targets = s.targets.map((t) => {
      const slash = t.indexOf('/');
      return slash < 0 ? { job: t } : { job: t.slice(0, slash), instance: t.slice(slash + 1) };
    });
    return { name: s.name, ...(s.description !== undefined ? { description: s.description } : {}), probes: s.probes, targets };
  });
  return { ...base, services, default_services: false };
}
