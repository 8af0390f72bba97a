import { describe, expect, it } from 'vitest';
import { createPromqlEngine } from '../promql/engine.js';
import { createSeriesStore } from '../storage/index.js';
import { isStaleNaN } from '../model/samples.js';
import { parseRuleFile } from './rule-file.js';
import { createRuleGroupEvaluator } from './group-evaluator.js';

const M = 60_000;
const engine = createPromqlEngine();

function group(yaml: string) {
  return parseRuleFile('t.yml', yaml).groups[0]!;
}

const ALERT = `groups:
- name: g
  rules:
  - alert: Down
    expr: up == 0
    for: 2m
    labels: {severity: page, instance: "{{ $labels.instance }}-x"}
    annotations:
      summary: "{{ $labels.instance }} down, value {{ $value }}, {{ $externalLabels.dc }}"
`;

describe('rule group evaluator: alert state machine', () => {
  it('goes pending → firing → inactive, keeps resolved alerts 15m, and writes ALERTS', () => {
    const store = createSeriesStore();
    // down from 0 to 5m, up from 6m
    for (let i = 0; i <= 30; i++)
      store.append({ __name__: 'up', instance: 'a' }, i * M, i <= 5 ? 0 : 1);
    const ev = createRuleGroupEvaluator(group(ALERT), { engine, externalLabels: { dc: 'eu' } });
    let r = ev.evaluate(store, 0, store);
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({
      state: 'pending',
      activeAt: 0,
      labels: { alertname: 'Down', instance: 'a-x', severity: 'page' },
      annotations: { summary: 'a down, value 0, eu' },
    });
    expect(r.samples.map((s) => [s.labels['__name__'], s.labels['alertstate'], s.v])).toEqual([
      ['ALERTS', 'pending', 1],
      ['ALERTS_FOR_STATE', undefined, 0],
    ]);
    r = ev.evaluate(store, M, store);
    expect(r.alerts[0]!.state).toBe('pending');
    r = ev.evaluate(store, 2 * M, store);
    expect(r.alerts[0]).toMatchObject({ state: 'firing', firedAt: 2 * M });
    expect(r.ruleResults).toEqual([
      expect.objectContaining({ name: 'Down', health: 'ok', samples: 2 }),
    ]);
    for (let t = 3; t <= 5; t++) ev.evaluate(store, t * M, store);
    r = ev.evaluate(store, 6 * M, store);
    expect(r.alerts[0]).toMatchObject({ state: 'inactive', resolvedAt: 6 * M });
    // ALERTS series went stale
    expect(r.samples.every((s) => isStaleNaN(s.v))).toBe(true);
    expect(r.samples).toHaveLength(2);
    r = ev.evaluate(store, 21 * M, store);
    expect(r.alerts).toHaveLength(1);
    r = ev.evaluate(store, 22 * M, store);
    expect(r.alerts).toHaveLength(0);
  });

  it('drops a pending alert as soon as its condition clears', () => {
    const store = createSeriesStore();
    store.append({ __name__: 'up', instance: 'a' }, 0, 0);
    store.append({ __name__: 'up', instance: 'a' }, M, 1);
    const ev = createRuleGroupEvaluator(group(ALERT), { engine });
    expect(ev.evaluate(store, 0).alerts).toHaveLength(1);
    expect(ev.evaluate(store, M).alerts).toHaveLength(0);
  });

  it('keeps firing for keep_firing_for after the condition clears', () => {
    const g = group(`groups:
- name: g
  rules:
  - alert: Hot
    expr: temp > 50
    keep_firing_for: 2m
`);
    const store = createSeriesStore();
    for (let i = 0; i <= 10; i++) store.append({ __name__: 'temp' }, i * M, i < 2 ? 60 : 10);
    const ev = createRuleGroupEvaluator(g, { engine });
    expect(ev.evaluate(store, 0).alerts[0]!.state).toBe('firing');
    ev.evaluate(store, M);
    expect(ev.evaluate(store, 2 * M).alerts[0]).toMatchObject({
      state: 'firing',
      keepFiringSince: 2 * M,
    });
    expect(ev.evaluate(store, 3 * M).alerts[0]!.state).toBe('firing');
    expect(ev.evaluate(store, 4 * M).alerts[0]).toMatchObject({
      state: 'inactive',
      resolvedAt: 4 * M,
    });
  });

  it('fails the rule when the group limit is exceeded, or labels collide', () => {
    const store = createSeriesStore();
    for (const i of ['a', 'b', 'c']) store.append({ __name__: 'up', instance: i }, 0, 0);
    const limited = createRuleGroupEvaluator(
      group(ALERT.replace('- name: g', '- name: g\n  limit: 2')),
      { engine },
    );
    const r = limited.evaluate(store, 0);
    expect(r.ruleResults[0]).toMatchObject({
      health: 'err',
      lastError: 'exceeded limit of 2 with 3 alerts',
    });
    expect(r.alerts).toHaveLength(0);
    const collide = createRuleGroupEvaluator(
      group(
        'groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up == 0\n    labels: {instance: same}\n',
      ),
      { engine },
    );
    expect(collide.evaluate(store, 0).ruleResults[0]!.lastError).toBe(
      'vector contains metrics with the same labelset after applying alert labels',
    );
  });

  it('renders template errors into the annotation instead of failing', () => {
    const store = createSeriesStore();
    store.append({ __name__: 'up', instance: 'a' }, 0, 0);
    const g = group(
      'groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up == 0\n    annotations: {a: "{{ gt $value 1 }}"}\n',
    );
    const r = createRuleGroupEvaluator(g, { engine }).evaluate(store, 0);
    expect(r.alerts[0]!.annotations['a']).toMatch(
      /^<error expanding template: error executing template __alert_X: template: __alert_X:1:\d+: executing "__alert_X" at <gt \$value 1>: error calling gt: incompatible types for comparison>$/,
    );
  });

  it('restores activeAt from ALERTS_FOR_STATE after a restart', () => {
    const store = createSeriesStore();
    const labels = { alertname: 'Down', instance: 'a-x', severity: 'page' };
    // the previous process saw the alert go active at 100s and wrote ALERTS_FOR_STATE until 160s
    store.append({ __name__: 'ALERTS_FOR_STATE', ...labels }, 160_000, 100);
    store.append({ __name__: 'up', instance: 'a' }, 200_000, 0);
    const ev = createRuleGroupEvaluator(group(ALERT), {
      engine,
      restoreForState: true,
      forGracePeriodMs: 0,
    });
    const r = ev.evaluate(store, 220_000, store);
    // down for 60s of a 120s `for`: the 60s of outage do not count
    expect(r.alerts[0]!.activeAt).toBe(100_000 + (220_000 - 160_000));
    // not restored yet during the first evaluation: no ALERTS samples, like Prometheus
    expect(r.samples).toHaveLength(0);
    expect(ev.evaluate(store, 240_000, store).samples).toHaveLength(2);
  });

  it('gives the alerts to send with Prometheus endsAt, resending after resendDelay', () => {
    const store = createSeriesStore();
    for (let i = 0; i <= 10; i++)
      store.append({ __name__: 'up', instance: 'a' }, i * M, i < 5 ? 0 : 1);
    const ev = createRuleGroupEvaluator(group(ALERT), {
      engine,
      externalLabels: { dc: 'eu' },
      externalURL: 'http://vigil:9090',
    });
    for (let t = 0; t <= 2; t++) ev.evaluate(store, t * M);
    const sent = ev.alertsToSend(2 * M, { intervalMs: M });
    expect(sent).toEqual([
      {
        labels: { dc: 'eu', alertname: 'Down', instance: 'a-x', severity: 'page' },
        annotations: { summary: 'a down, value 0, eu' },
        startsAt: new Date(2 * M).toISOString(),
        endsAt: new Date(2 * M + 4 * M).toISOString(),
        generatorURL: 'http://vigil:9090/graph?g0.expr=up%20%3D%3D%200&g0.tab=1',
      },
    ]);
    expect(ev.alertsToSend(2 * M + 30_000, { intervalMs: M })).toEqual([]);
    for (let t = 3; t <= 5; t++) ev.evaluate(store, t * M);
    const resolved = ev.alertsToSend(5 * M, { intervalMs: M });
    expect(resolved[0]!.endsAt).toBe(new Date(5 * M).toISOString());
  });
});

describe('rule group evaluator: recording rules', () => {
  it('records with rule and group labels, lets later rules read earlier output, marks vanished series stale', () => {
    const g = group(`groups:
- name: g
  labels: {team: core}
  rules:
  - record: job:x:sum
    expr: sum by (job) (x)
    labels: {source: rule}
  - record: job:x:double
    expr: job:x:sum * 2
`);
    const store = createSeriesStore();
    store.append({ __name__: 'x', job: 'a' }, 0, 1);
    store.append({ __name__: 'x', job: 'a', i: '2' }, 0, 2);
    store.append({ __name__: 'x', job: 'b' }, 0, 5);
    const ev = createRuleGroupEvaluator(g, { engine });
    let r = ev.evaluate(store, M, store);
    expect(r.samples.map((s) => [s.labels, s.t, s.v])).toEqual([
      [{ __name__: 'job:x:sum', job: 'a', team: 'core', source: 'rule' }, M, 3],
      [{ __name__: 'job:x:sum', job: 'b', team: 'core', source: 'rule' }, M, 5],
      [{ __name__: 'job:x:double', job: 'a', team: 'core', source: 'rule' }, M, 6],
      [{ __name__: 'job:x:double', job: 'b', team: 'core', source: 'rule' }, M, 10],
    ]);
    // x{job="b"} goes stale; its recorded series get stale markers
    store.append({ __name__: 'x', job: 'a' }, 9 * M, 1);
    store.append({ __name__: 'x', job: 'a', i: '2' }, 9 * M, 2);
    r = ev.evaluate(store, 10 * M, store);
    const stale = r.samples
      .filter((s) => isStaleNaN(s.v))
      .map((s) => s.labels['__name__'] + '/' + s.labels['job']);
    expect(stale).toEqual(['job:x:sum/b', 'job:x:double/b']);
  });

  it('queries query_offset before the evaluation time', () => {
    const store = createSeriesStore();
    store.append({ __name__: 'x' }, 0, 1);
    store.append({ __name__: 'x' }, M, 100);
    const g = group(
      'groups:\n- name: g\n  query_offset: 1m\n  rules:\n  - record: y\n    expr: x\n',
    );
    expect(createRuleGroupEvaluator(g, { engine }).evaluate(store, M).samples).toEqual([
      { labels: { __name__: 'y' }, t: M, v: 1 },
    ]);
  });

  it('reports errors like Prometheus: limit, non-vector results', () => {
    const store = createSeriesStore();
    store.append({ __name__: 'x', job: 'a' }, 0, 1);
    store.append({ __name__: 'x', job: 'b' }, 0, 1);
    const limited = createRuleGroupEvaluator(
      group('groups:\n- name: g\n  limit: 1\n  rules:\n  - record: y\n    expr: x\n'),
      { engine },
    );
    expect(limited.evaluate(store, 0).ruleResults[0]!.lastError).toBe(
      'exceeded limit of 1 with 2 series',
    );
    const matrix = createRuleGroupEvaluator(
      group('groups:\n- name: g\n  rules:\n  - record: y\n    expr: x[5m]\n'),
      { engine },
    );
    expect(matrix.evaluate(store, 0).ruleResults[0]!.lastError).toBe(
      'rule result is not a vector or scalar',
    );
    const scalar = createRuleGroupEvaluator(
      group('groups:\n- name: g\n  rules:\n  - record: y\n    expr: "3"\n'),
      { engine },
    );
    expect(scalar.evaluate(store, 0).samples).toEqual([{ labels: { __name__: 'y' }, t: 0, v: 3 }]);
  });
});
