import type { InhibitRuleConfig } from '../config/types.js';
import { matchesAll } from '../matchers/matcher.js';
import { isResolved, type Alert, type LabelSet } from '../types.js';

interface RuleIndex {
  readonly rule: InhibitRuleConfig;
  /** equal-label values → source alerts (fingerprint → alert). */
  readonly sources: Map<string, Map<string, Alert>>;
  /** fingerprint → equal key it is indexed under. */
  readonly keyOf: Map<string, string>;
}

function equalKey(labels: LabelSet, equal: readonly string[]): string {
  return JSON.stringify(equal.map((l) => labels[l] ?? ''));
}

/**
 * Inhibition (Alertmanager's `inhibit.Inhibitor`): an alert matching a rule's target matchers is muted
 * while a firing alert matching its source matchers has the same values for the `equal` labels. An
 * alert matching both sides is not inhibited by a source that also matches the target side.
 */
export class Inhibitor {
  private readonly rules: RuleIndex[];

  constructor(rules: readonly InhibitRuleConfig[]) {
    this.rules = rules.map((rule) => ({ rule, sources: new Map(), keyOf: new Map() }));
  }

  /** Updates the source index with a new or changed alert. */
  observe(a: Alert): void {
    for (const r of this.rules) {
      const old = r.keyOf.get(a.fingerprint);
      if (old !== undefined) {
        r.sources.get(old)?.delete(a.fingerprint);
        r.keyOf.delete(a.fingerprint);
      }
      if (!matchesAll(r.rule.sourceMatchers, a.labels)) continue;
      const k = equalKey(a.labels, r.rule.equal);
      let m = r.sources.get(k);
      if (!m) r.sources.set(k, (m = new Map()));
      m.set(a.fingerprint, a);
      r.keyOf.set(a.fingerprint, k);
    }
  }

  /** Removes an alert from the source index. */
  forget(fp: string): void {
    for (const r of this.rules) {
      const old = r.keyOf.get(fp);
      if (old === undefined) continue;
      r.sources.get(old)?.delete(fp);
      r.keyOf.delete(fp);
    }
  }

  /** Fingerprints of the firing source alerts inhibiting `labels` at `now` (empty when not inhibited). */
  mutedBy(labels: LabelSet, fp: string, now: number): string[] {
    const out: string[] = [];
    for (const r of this.rules) {
      if (!matchesAll(r.rule.targetMatchers, labels)) continue;
      const sources = r.sources.get(equalKey(labels, r.rule.equal));
      if (!sources) continue;
      const twoSided = matchesAll(r.rule.sourceMatchers, labels);
      for (const s of sources.values()) {
        if (s.fingerprint === fp || isResolved(s, now)) continue;
        if (twoSided && matchesAll(r.rule.targetMatchers, s.labels)) continue;
        out.push(s.fingerprint);
        break;
      }
    }
    return out;
  }
}
