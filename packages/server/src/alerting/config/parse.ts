import fs from 'node:fs/promises';
import type { Node } from 'yaml';
import { createMatcher, type Matcher } from '../matchers/matcher.js';
import { parseMatchers } from '../matchers/parse.js';
import { MatcherError } from '../errors.js';
import { parseDuration } from './duration.js';
import { parseTimeIntervalList } from './time-intervals.js';
import { YamlSource } from './yaml-source.js';
import type { AlertmanagerConfig, GlobalConfig, InhibitRuleConfig, ReceiverConfig, RouteConfig } from './types.js';
import type { TimeInterval } from '../timeinterval/time-interval.js';
import { parseReceiverIntegrations } from '../../notify/index.js';
import { isMap, isScalar, isSeq } from 'yaml';

/** Validates one receiver's `*_configs` (the notifiers' parser); throws with file:line:col on error. */
export type ReceiverValidator = (receiverYaml: Record<string, unknown>, global: GlobalConfig, source: string) => unknown;

/** Options of {@link parseAlertmanagerConfig}. */
export interface ParseAlertmanagerConfigOptions {
  /**
   * Validates each receiver's integration configs; default: the notifiers' `parseReceiverIntegrations`
   * (its result lands in `ReceiverConfig.integrations`). Pass `null` to accept them as written.
   */
  readonly validateReceiver?: ReceiverValidator | null;
  /**
   * Where the text starts in its file, for errors: e.g. `{ line: 12, column: 4 }` for a block
   * embedded in vigil.yml whose first line is the file's line 13, indented by 4.
   */
  readonly offset?: { readonly line: number; readonly column: number };
}

const topFields = new Set(['global', 'route', 'inhibit_rules', 'receivers', 'templates', 'mute_time_intervals', 'time_intervals']);
const globalFields = new Set([
  'resolve_timeout', 'http_config', 'smtp_from', 'smtp_hello', 'smtp_smarthost', 'smtp_auth_username', 'smtp_auth_password',
  'smtp_auth_password_file', 'smtp_auth_secret', 'smtp_auth_identity', 'smtp_require_tls', 'slack_api_url', 'slack_api_url_file',
  'pagerduty_url', 'opsgenie_api_url', 'opsgenie_api_key', 'opsgenie_api_key_file', 'wechat_api_url', 'wechat_api_secret',
  'wechat_api_corp_id', 'victorops_api_url', 'victorops_api_key', 'victorops_api_key_file', 'telegram_api_url', 'webex_api_url',
]);
const routeFields = new Set([
  'receiver', 'group_by', 'match', 'match_re', 'matchers', 'continue', 'routes', 'group_wait', 'group_interval', 'repeat_interval',
  'mute_time_intervals', 'active_time_intervals',
]);
const inhibitFields = new Set(['source_match', 'source_match_re', 'source_matchers', 'target_match', 'target_match_re', 'target_matchers', 'equal']);
const receiverFields = new Set([
  'name', 'email_configs', 'pagerduty_configs', 'slack_configs', 'webhook_configs', 'opsgenie_configs', 'wechat_configs',
  'pushover_configs', 'victorops_configs', 'sns_configs', 'telegram_configs', 'webex_configs', 'discord_configs', 'msteams_configs',
  'msteamsv2_configs', 'console_configs',
]);
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const globalDefaults: Record<string, unknown> = {
  resolve_timeout: '5m',
  smtp_hello: 'localhost',
  smtp_require_tls: true,
  pagerduty_url: 'https://events.pagerduty.com/v2/enqueue',
  opsgenie_api_url: 'https://api.opsgenie.com/',
  wechat_api_url: 'https://qyapi.weixin.qq.com/cgi-bin/',
  victorops_api_url: 'https://alert.victorops.com/integrations/generic/20131114/alert/',
  telegram_api_url: 'https://api.telegram.org',
  webex_api_url: 'https://webexapis.com/v1/messages',
};

interface RawRoute {
  node: Node;
  receiver?: string;
  receiverNode?: Node;
  groupBy?: string[];
  groupByAll?: boolean;
  groupWaitMs?: number;
  groupIntervalMs?: number;
  repeatIntervalMs?: number;
  matchers: Matcher[];
  hasMatchers: boolean;
  continue: boolean;
  mute: { name: string; node: Node }[];
  active: { name: string; node: Node }[];
  routes: RawRoute[];
}

/**
 * Parses and validates an Alertmanager configuration (alertmanager.yml text) the way Alertmanager
 * 0.25 does: unknown fields, bad durations, undefined or duplicate receivers, a root route without
 * a receiver or with matchers, undefined time intervals… are rejected with an AlertingConfigError
 * whose message starts with `sourceName:line:column:`.
 *
 * @example
 * const cfg = parseAlertmanagerConfig(fs.readFileSync('alertmanager.yml', 'utf8'), 'alertmanager.yml');
 */
export function parseAlertmanagerConfig(text: string, sourceName: string, options: ParseAlertmanagerConfigOptions = {}): AlertmanagerConfig {
  const y = new YamlSource(text, sourceName, options.offset);
  const top = y.mapEntries(y.root, 'config.plain', topFields);

  const global = parseGlobal(y, top.get('global')?.value ?? null);

  const timeIntervals = new Map<string, readonly TimeInterval[]>();
  for (const section of ['mute_time_intervals', 'time_intervals']) {
    for (const item of y.seqItems(top.get(section)?.value, section)) {
      const m = y.mapEntries(item, 'config.TimeInterval', new Set(['name', 'time_intervals']));
      const nameNode = m.get('name')?.value ?? null;
      const name = y.str(nameNode, 'name');
      if (name === '') y.fail(item, 'missing name in time interval');
      if (timeIntervals.has(name)) y.fail(nameNode, `time interval ${JSON.stringify(name)} is not unique`);
      timeIntervals.set(name, parseTimeIntervalList(y, m.get('time_intervals')?.value ?? null));
    }
  }

  const receivers: ReceiverConfig[] = [];
  const receiverNames = new Set<string>();
  for (const item of y.seqItems(top.get('receivers')?.value, 'receivers')) {
    const m = y.mapEntries(item, 'config.plain', receiverFields);
    const nameNode = m.get('name')?.value ?? null;
    const name = y.str(nameNode, 'name');
    if (name === '') y.fail(item, 'missing name in receiver');
    if (receiverNames.has(name)) y.fail(nameNode, `notification config name ${JSON.stringify(name)} is not unique`);
    receiverNames.add(name);
    for (const [k, v] of m) if (k !== 'name') y.seqItems(v.value, k);
    const raw = (y.toJS(item) ?? {}) as Record<string, unknown>;
    const integrations =
      options.validateReceiver === null
        ? undefined
        : options.validateReceiver
          ? options.validateReceiver(raw, global, sourceName)
          : parseReceiverIntegrations(raw, global.values, { file: sourceName, lineOf: (path) => lineOf(y, item, path) });
    receivers.push(integrations === undefined ? { name, raw } : { name, raw, integrations });
  }

  const routeEntry = top.get('route');
  const routeNode = routeEntry?.value ?? null;
  if (routeNode === null) return y.fail(routeEntry?.key ?? y.root, 'no route provided in config');
  const rawRoot = parseRawRoute(y, routeNode);
  const rootReceiver = rawRoot.receiver;
  if (!rootReceiver) return y.fail(routeNode, 'root route must specify a default receiver');
  if (rawRoot.hasMatchers) y.fail(routeNode, 'root route must not have any matchers');
  if (rawRoot.mute.length > 0) y.fail(rawRoot.mute[0]!.node, 'root route must not have any mute time intervals');
  if (rawRoot.active.length > 0) y.fail(rawRoot.active[0]!.node, 'root route must not have any active time intervals');
  checkRouteRefs(y, rawRoot, receiverNames, timeIntervals);
  const route = resolveRoute(rawRoot, {
    receiver: rootReceiver,
    groupBy: [],
    groupByAll: false,
    groupWaitMs: 30_000,
    groupIntervalMs: 300_000,
    repeatIntervalMs: 4 * 3_600_000,
  });

  const inhibitRules: InhibitRuleConfig[] = [];
  for (const item of y.seqItems(top.get('inhibit_rules')?.value, 'inhibit_rules')) inhibitRules.push(parseInhibitRule(y, item));

  const templates: string[] = [];
  for (const item of y.seqItems(top.get('templates')?.value, 'templates')) templates.push(y.str(item, 'templates'));

  return { source: sourceName, original: text, global, route, inhibitRules, receivers, timeIntervals, templates };
}

/** Reads and parses an alertmanager.yml file; errors name the file path. */
export async function loadAlertmanagerConfig(path: string, options: ParseAlertmanagerConfigOptions = {}): Promise<AlertmanagerConfig> {
  const text = await fs.readFile(path, 'utf8');
  return parseAlertmanagerConfig(text, path, options);
}

function duration(y: YamlSource, node: Node | null, what: string): number {
  const s = y.str(node, what);
  const ms = parseDuration(s);
  if (ms === undefined) y.fail(node, `invalid duration ${JSON.stringify(s)} in ${what}: not a valid duration string`);
  return ms;
}

function parseGlobal(y: YamlSource, node: Node | null): GlobalConfig {
  const m = y.mapEntries(node, 'config.GlobalConfig', globalFields);
  const values: Record<string, unknown> = { ...globalDefaults };
  for (const [k, v] of m) values[k] = y.toJS(v.value);
  let resolveTimeoutMs = 300_000;
  const rt = m.get('resolve_timeout');
  if (rt) {
    resolveTimeoutMs = duration(y, rt.value, 'resolve_timeout');
  }
  for (const k of ['slack_api_url', 'pagerduty_url', 'opsgenie_api_url', 'wechat_api_url', 'victorops_api_url', 'telegram_api_url', 'webex_api_url']) {
    const e = m.get(k);
    if (e && e.value !== null) {
      const s = y.str(e.value, k);
      try {
        const u = new URL(s);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      } catch {
        y.fail(e.value, `unsupported scheme or invalid URL in ${k}`);
      }
    }
  }
  if (m.get('smtp_require_tls')) y.bool(m.get('smtp_require_tls')!.value, 'smtp_require_tls');
  return { resolveTimeoutMs, values };
}

function legacyMatchers(y: YamlSource, node: Node | null, what: string, regex: boolean): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, v] of y.mapEntries(node, what)) {
    if (!labelName.test(k)) y.fail(v.key, `invalid label name ${JSON.stringify(k)} in ${what}`);
    const value = y.str(v.value, `${what}.${k}`);
    try {
      out.push(createMatcher(k, regex ? '=~' : '=', value));
    } catch (err) {
      y.fail(v.value, `${what}.${k}: ${(err as Error).message}`);
    }
  }
  return out;
}

function matcherList(y: YamlSource, node: Node | null, what: string): Matcher[] {
  const out: Matcher[] = [];
  for (const item of y.seqItems(node, what)) {
    const s = y.str(item, what);
    try {
      out.push(...parseMatchers(s));
    } catch (err) {
      if (err instanceof MatcherError) y.fail(item, `${what}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

function parseRawRoute(y: YamlSource, node: Node): RawRoute {
  const m = y.mapEntries(node, 'config.Route', routeFields);
  const r: RawRoute = { node, matchers: [], hasMatchers: false, continue: false, mute: [], active: [], routes: [] };
  const recv = m.get('receiver');
  if (recv && recv.value !== null) {
    r.receiver = y.str(recv.value, 'receiver');
    r.receiverNode = recv.value;
  }
  const gb = m.get('group_by');
  if (gb) {
    const labels: string[] = [];
    const seen = new Set<string>();
    for (const item of y.seqItems(gb.value, 'group_by')) {
      const l = y.str(item, 'group_by');
      if (l === '...') {
        r.groupByAll = true;
      } else {
        if (!labelName.test(l)) y.fail(item, `invalid label name ${JSON.stringify(l)} in group_by list`);
        if (seen.has(l)) y.fail(item, `duplicated label ${JSON.stringify(l)} in group_by`);
        seen.add(l);
        labels.push(l);
      }
    }
    if (r.groupByAll && labels.length > 0) y.fail(gb.value, 'cannot have wildcard group_by (`...`) and other other labels at the same time');
    r.groupBy = labels;
    r.groupByAll ??= false;
  }
  for (const [key, field] of [['group_wait', 'groupWaitMs'], ['group_interval', 'groupIntervalMs'], ['repeat_interval', 'repeatIntervalMs']] as const) {
    const e = m.get(key);
    if (e && e.value !== null) {
      const ms = duration(y, e.value, key);
      if (ms === 0 && key !== 'group_wait') y.fail(e.value, `${key} cannot be zero`);
      r[field] = ms;
    }
  }
  const match = m.get('match');
  const matchRe = m.get('match_re');
  const matchers = m.get('matchers');
  if (match) r.matchers.push(...legacyMatchers(y, match.value, 'match', false));
  if (matchRe) r.matchers.push(...legacyMatchers(y, matchRe.value, 'match_re', true));
  if (matchers) r.matchers.push(...matcherList(y, matchers.value, 'matchers'));
  r.hasMatchers = r.matchers.length > 0;
  if (m.get('continue')) r.continue = y.bool(m.get('continue')!.value, 'continue');
  for (const [key, list] of [['mute_time_intervals', r.mute], ['active_time_intervals', r.active]] as const) {
    for (const item of y.seqItems(m.get(key)?.value, key)) list.push({ name: y.str(item, key), node: item });
  }
  for (const child of y.seqItems(m.get('routes')?.value, 'routes')) r.routes.push(parseRawRoute(y, child));
  return r;
}

function checkRouteRefs(y: YamlSource, r: RawRoute, receivers: ReadonlySet<string>, intervals: ReadonlyMap<string, unknown>): void {
  if (r.receiver !== undefined && !receivers.has(r.receiver)) y.fail(r.receiverNode ?? r.node, `undefined receiver ${JSON.stringify(r.receiver)} used in route`);
  for (const t of [...r.mute, ...r.active]) {
    if (!intervals.has(t.name)) y.fail(t.node, `undefined time interval ${JSON.stringify(t.name)} used in route`);
  }
  for (const c of r.routes) checkRouteRefs(y, c, receivers, intervals);
}

interface Inherited {
  receiver: string;
  groupBy: readonly string[];
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

function resolveRoute(r: RawRoute, parent: Inherited): RouteConfig {
  const own: Inherited = {
    receiver: r.receiver ?? parent.receiver,
    groupBy: r.groupBy ?? parent.groupBy,
    groupByAll: r.groupBy !== undefined ? (r.groupByAll ?? false) : parent.groupByAll,
    groupWaitMs: r.groupWaitMs ?? parent.groupWaitMs,
    groupIntervalMs: r.groupIntervalMs ?? parent.groupIntervalMs,
    repeatIntervalMs: r.repeatIntervalMs ?? parent.repeatIntervalMs,
  };
  return {
    ...own,
    matchers: r.matchers,
    continue: r.continue,
    muteTimeIntervals: r.mute.map((t) => t.name),
    activeTimeIntervals: r.active.map((t) => t.name),
    routes: r.routes.map((c) => resolveRoute(c, own)),
  };
}

function parseInhibitRule(y: YamlSource, node: Node): InhibitRuleConfig {
  const m = y.mapEntries(node, 'config.InhibitRule', inhibitFields);
  const side = (prefix: 'source' | 'target'): Matcher[] => [
    ...legacyMatchers(y, m.get(`${prefix}_match`)?.value ?? null, `${prefix}_match`, false),
    ...legacyMatchers(y, m.get(`${prefix}_match_re`)?.value ?? null, `${prefix}_match_re`, true),
    ...matcherList(y, m.get(`${prefix}_matchers`)?.value ?? null, `${prefix}_matchers`),
  ];
  const equal: string[] = [];
  for (const item of y.seqItems(m.get('equal')?.value, 'equal')) {
    const l = y.str(item, 'equal');
    if (!labelName.test(l)) y.fail(item, `invalid label name ${JSON.stringify(l)} in equal list`);
    equal.push(l);
  }
  return { sourceMatchers: side('source'), targetMatchers: side('target'), equal };
}

/** Position of the node at `path` under `node` (a mapping entry's key, a sequence's item). */
function lineOf(y: YamlSource, node: Node, path: readonly (string | number)[]): { line: number; col: number } | undefined {
  let cur: Node | null = node;
  let at: Node | null = node;
  for (const seg of path) {
    if (cur && isMap(cur)) {
      const pair: { key: unknown; value: unknown } | undefined = (cur.items as { key: unknown; value: unknown }[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return undefined;
      at = pair.key as Node;
      cur = (pair.value as Node | null) ?? null;
    } else if (cur && isSeq(cur) && typeof seg === 'number') {
      const item = cur.items[seg] as Node | undefined;
      if (!item) return undefined;
      at = item;
      cur = item;
    } else {
      return undefined;
    }
  }
  const off = at?.range?.[0];
  return off === undefined ? undefined : y.linePos(off);
}
