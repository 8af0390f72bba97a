import { describe, expect, it } from 'vitest';
import type { RelabelConfig } from '../config/types.js';
import { relabel } from './relabel.js';

const rc = (c: Partial<RelabelConfig>): RelabelConfig => ({ source_labels: [], separator: ';', target_label: '', regex: '(.*)', modulus: 0, replacement: '$1', action: 'replace', ...c });
const base = { __address__: 'web-1:8080', job: 'api', __meta_env: 'Prod', team: 'core' };

describe('relabel', () => {
  it('replace with capture groups, ${n} and named groups; an empty result deletes the label', () => {
    expect(relabel(base, [rc({ source_labels: ['__address__'], regex: '([^:]+):(\\d+)', target_label: 'host', replacement: '${1}-$2' })])).toMatchObject({ host: 'web-1-8080' });
    expect(relabel(base, [rc({ source_labels: ['job', 'team'], regex: '(?<j>.*);(.*)', target_label: 'x', replacement: '$j/$2' })])).toMatchObject({ x: 'api/core' });
    expect(relabel(base, [rc({ source_labels: ['nope'], target_label: 'team' })])).not.toHaveProperty('team');
    // No match leaves labels untouched.
    expect(relabel(base, [rc({ source_labels: ['job'], regex: 'web', target_label: 'job', replacement: 'x' })])).toMatchObject({ job: 'api' });
  });

  it('keep, drop, keepequal, dropequal', () => {
    expect(relabel(base, [rc({ source_labels: ['job'], regex: 'api|web', action: 'keep' })])).toBeDefined();
    expect(relabel(base, [rc({ source_labels: ['job'], regex: 'ap', action: 'keep' })])).toBeUndefined(); // anchored
    expect(relabel(base, [rc({ source_labels: ['team'], regex: 'core', action: 'drop' })])).toBeUndefined();
    expect(relabel({ a: 'x', b: 'x' }, [rc({ source_labels: ['a'], target_label: 'b', action: 'keepequal' })])).toBeDefined();
    expect(relabel({ a: 'x', b: 'y' }, [rc({ source_labels: ['a'], target_label: 'b', action: 'keepequal' })])).toBeUndefined();
    expect(relabel({ a: 'x', b: 'x' }, [rc({ source_labels: ['a'], target_label: 'b', action: 'dropequal' })])).toBeUndefined();
  });

  it('labelmap, labeldrop, labelkeep, lowercase, uppercase', () => {
    expect(relabel(base, [rc({ regex: '__meta_(.+)', action: 'labelmap' })])).toMatchObject({ env: 'Prod' });
    expect(Object.keys(relabel(base, [rc({ regex: 'team|job', action: 'labeldrop' })])!)).toEqual(['__address__', '__meta_env']);
    expect(Object.keys(relabel(base, [rc({ regex: 'team|job', action: 'labelkeep' })])!)).toEqual(['job', 'team']);
    expect(relabel(base, [rc({ source_labels: ['__meta_env'], target_label: 'env', action: 'lowercase' })])).toMatchObject({ env: 'prod' });
    expect(relabel(base, [rc({ source_labels: ['__meta_env'], target_label: 'env', action: 'uppercase' })])).toMatchObject({ env: 'PROD' });
  });

  it('hashmod matches Prometheus (md5, last 8 bytes big-endian, mod N)', () => {
    // Values computed with Prometheus's relabel.Process for these inputs.
    const out = relabel({ a: 'foo' }, [rc({ source_labels: ['a'], target_label: 'shard', modulus: 1000, action: 'hashmod' })]);
    // md5("foo") = acbd18db4cc2f85cedef654fccc4a4d8; last 8 bytes 0xedef654fccc4a4d8 % 1000
    expect(out!.shard).toBe(String(0xedef654fccc4a4d8n % 1000n));
  });
});
