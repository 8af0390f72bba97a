import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alert, sampleData } from '../../test/notify-support.js';
import { escapeHtml, templateData } from './template-data.js';
import { loadTemplateFiles } from './template-files.js';

describe('templateData', () => {
  it('exposes Alertmanager fields and KV/alert-list methods without making them enumerable', () => {
    const d = templateData(
      sampleData({
        alerts: [alert({ labels: { alertname: 'A', b: '2' } }), alert({ labels: { alertname: 'A', b: '3' }, status: 'resolved' })],
        commonLabels: { alertname: 'A', zone: 'eu', env: 'prod' },
      }),
    );
    expect(d.Status).toBe('firing');
    expect(d.Alerts).toHaveLength(2);
    expect(d.Alerts.Firing().map((a) => a.Labels.b)).toEqual(['2']);
    expect(d.Alerts.Resolved().map((a) => a.Labels.b)).toEqual(['3']);
    expect(Object.keys(d.CommonLabels)).toEqual(['alertname', 'env', 'zone']);
    expect(d.CommonLabels.SortedPairs().map((p) => `${p.Name}=${p.Value}`)).toEqual(['alertname=A', 'env=prod', 'zone=eu']);
    expect(d.CommonLabels.SortedPairs().Values()).toEqual(['A', 'prod', 'eu']);
    expect(d.CommonLabels.Remove(d.GroupLabels.Names()).Values()).toEqual(['prod', 'eu']);
    expect(Object.keys(d.Alerts)).toEqual(['0', '1']);
  });

  it('HTML-escapes every alert-derived value when asked', () => {
    const d = templateData(sampleData({ commonAnnotations: { summary: '<b>"x" & y</b>' } }), escapeHtml);
    expect(d.CommonAnnotations.summary).toBe('&lt;b&gt;&#34;x&#34; &amp; y&lt;/b&gt;');
  });
});

describe('loadTemplateFiles', () => {
  it('expands globs relative to the config directory, in name order, and fails on a missing named file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tmpl-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'b.tmpl'), '{{ define "b" }}B{{ end }}');
    writeFileSync(join(dir, 'templates', 'a.tmpl'), '{{ define "a" }}A{{ end }}');
    writeFileSync(join(dir, 'templates', 'c.txt'), 'not a template');
    const files = await loadTemplateFiles(['templates/*.tmpl', 'nothing/*.tmpl'], dir);
    expect(files.map((f) => f.name)).toEqual([join(dir, 'templates', 'a.tmpl'), join(dir, 'templates', 'b.tmpl')]);
    expect(files[0]!.text).toContain('define "a"');
    await expect(loadTemplateFiles(['missing.tmpl'], dir)).rejects.toThrow();
  });
});
