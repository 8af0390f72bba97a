import type { RouteConfig } from '../config/types.js';
import { matchersToString, matchesAll } from '../matchers/matcher.js';
import type { LabelSet } from '../types.js';

/** A node of the routing tree with its Alertmanager key (`{}/{severity="critical"}`) and unique id. */
export interface RouteNode {
  readonly config: RouteConfig;
  /** Alertmanager's `Route.Key()`: parent key + "/" + matchers; used in group keys. */
  readonly key: string;
  /** Key plus the position among siblings: unique per node. */
  readonly id: string;
  readonly children: readonly RouteNode[];
}

/** Builds the routing tree of a parsed config. */
export function buildRouteTree(root: RouteConfig): RouteNode {
  const build = (cfg: RouteConfig, parentKey: string | undefined, parentId: string | undefined, index: number): RouteNode => {
    const own = matchersToString(cfg.matchers);
    const key = parentKey === undefined ? own : `${parentKey}/${own}`;
    const id = parentId === undefined ? own : `${parentId}/${own}/${index}`;
    return { config: cfg, key, id, children: cfg.routes.map((c, i) => build(c, key, id, i)) };
  };
  return build(root, undefined, undefined, 0);
}

/**
 * The routes an alert goes to (Alertmanager's `Route.Match`): depth-first, the first matching child
 * wins unless it has `continue: true`; a node whose children all miss takes the alert itself.
 */
export function matchRoutes(node: RouteNode, labels: LabelSet): RouteNode[] {
  if (!matchesAll(node.config.matchers, labels)) return [];
  const all: RouteNode[] = [];
  for (const child of node.children) {
    const m = matchRoutes(child, labels);
    all.push(...m);
    if (m.length > 0 && !child.config.continue) break;
  }
  if (all.length === 0) all.push(node);
  return all;
}

/** The label set an alert is grouped by on a route (all labels with `group_by: ['...']`). */
export function groupLabels(route: RouteConfig, labels: LabelSet): Record<string, string> {
  if (route.groupByAll) return { ...labels };
  const out: Record<string, string> = {};
  for (const l of route.groupBy) if (labels[l] !== undefined && labels[l] !== '') out[l] = labels[l];
  return out;
}

/** Renders a label set as Alertmanager does in group keys: `{a="b", c="d"}` with sorted names. */
export function labelSetString(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}

/** All nodes of the tree, depth-first. */
export function walkRoutes(node: RouteNode): RouteNode[] {
  return [node, ...node.children.flatMap(walkRoutes)];
}
