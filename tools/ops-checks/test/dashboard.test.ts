import { describe, expect, it } from 'vitest';
import { allPanels, queryPanels, readDashboard } from '../src/dashboard.js';
import { opsPaths } from '../src/ops-files.js';

const dashboard = readDashboard(opsPaths.dashboard);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
const datasourceVariable = '${datasource}';

describe('the Grafana dashboard', () => {
  it('is Export@Scale with a fixed uid and a current schema version', () => {
    expect(dashboard.title).toBe('Export@Scale');
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('asks for a Prometheus data source on import', () => {
    expect(dashboard.__inputs).toContainEqual(
      expect.objectContaining({ type: 'datasource', pluginId: 'prometheus' }),
    );
  });

  it('has a datasource variable of type prometheus', () => {
    const variable = dashboard.templating?.list.find((entry) => entry.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('queries through the datasource variable in every panel, target and query variable', () => {
    const elsewhere: string[] = [];
    for (const panel of queryPanels(dashboard)) {
      if (panel.datasource?.uid !== datasourceVariable) elsewhere.push(`panel ${panel.title}`);
      for (const target of panel.targets ?? []) {
        if (target.datasource && target.datasource.uid !== datasourceVariable) {
          elsewhere.push(`panel ${panel.title}, target ${target.refId}`);
        }
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type === 'query' && variable.datasource?.uid !== datasourceVariable) {
        elsewhere.push(`variable ${variable.name}`);
      }
    }
    expect(elsewhere).toEqual([]);
  });

  it('gives every panel a unique id', () => {
    const ids = allPanels(dashboard).map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every panel at least one target with an expression and unique refIds', () => {
    for (const panel of queryPanels(dashboard)) {
      const targets = panel.targets ?? [];
      expect(targets.length, panel.title).toBeGreaterThan(0);
      expect(
        targets.every((target) => (target.expr ?? '').trim() !== ''),
        panel.title,
      ).toBe(true);
      const refIds = targets.map((target) => target.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
  });

  it('lays every panel out inside the 24-column grid', () => {
    for (const panel of allPanels(dashboard)) {
      const { x = -1, w = 0, h = 0 } = panel.gridPos ?? {};
      expect(x >= 0 && w > 0 && h > 0 && x + w <= 24, panel.title).toBe(true);
    }
  });

  it.each([
    'Requests by outcome',
    'Success ratio',
    'Export duration p50 / p95 / p99',
    'Rows per second',
    'Bytes per second',
    'Running exports vs limit',
    'Queue depth vs capacity',
    'Queue wait p95',
    'Memory while exporting',
    'Failures by reason',
    'Cluster running vs limit',
    'Cluster queue depth vs capacity',
    'Cluster state read failures',
  ])('has the panel "%s"', (title) => {
    expect(queryPanels(dashboard).map((panel) => panel.title)).toContain(title);
  });
});
