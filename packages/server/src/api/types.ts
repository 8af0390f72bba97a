import type { Labels } from '@vigil/engine';

/** One alert as /api/v1/alerts and /api/v1/rules show it. */
export interface ApiAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

/** One rule as /api/v1/rules shows it. */
export type ApiRule =
  | {
      readonly type: 'alerting';
      readonly name: string;
      readonly query: string;
      readonly duration: number;
      readonly keepFiringFor: number;
      readonly labels: Labels;
      readonly annotations: Labels;
      readonly alerts: ApiAlert[];
      readonly health: 'ok' | 'err' | 'unknown';
      readonly lastError?: string;
      readonly evaluationTime: number;
      readonly lastEvaluation: string;
      readonly state: 'inactive' | 'pending' | 'firing';
    }
  | {
      readonly type: 'recording';
      readonly name: string;
      readonly query: string;
      readonly labels: Labels;
      readonly health: 'ok' | 'err' | 'unknown';
      readonly lastError?: string;
      readonly evaluationTime: number;
      readonly lastEvaluation: string;
    };

/** One rule group as /api/v1/rules shows it. */
export interface ApiRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly interval: number;
  readonly rules: ApiRule[];
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

/** Read access to the rule runtime that the API needs. */
export interface RulesView {
  groups(): ApiRuleGroup[];
  alerts(): ApiAlert[];
}
