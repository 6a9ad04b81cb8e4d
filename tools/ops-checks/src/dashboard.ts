import { readFileSync } from 'node:fs';

export interface DashboardDatasource {
  type?: string;
  uid?: string;
}

export interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: DashboardDatasource;
}

export interface DashboardPanel {
  id?: number;
  type: string;
  title?: string;
  datasource?: DashboardDatasource;
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: DashboardTarget[];
  /** The panels of a collapsed row. */
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  definition?: string;
  datasource?: DashboardDatasource;
  current?: { value?: unknown };
}

export interface Dashboard {
  __inputs?: { name: string; type: string; pluginId: string }[];
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels: DashboardPanel[];
  templating?: { list: DashboardVariable[] };
}

export function readDashboard(path: string): Dashboard {
  return JSON.parse(readFileSync(path, 'utf8')) as Dashboard;
}

/** Every panel, rows and the panels inside collapsed rows included. */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The panels that query: all but rows. */
export function queryPanels(dashboard: Dashboard): DashboardPanel[] {
  return allPanels(dashboard).filter((panel) => panel.type !== 'row');
}

/** Every PromQL expression of the dashboard: panel targets and query variables. */
export function dashboardExpressions(dashboard: Dashboard): string[] {
  const targets = queryPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? ''),
  );
  const variables = (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .flatMap((variable) => [
      typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''),
      variable.definition ?? '',
    ]);
  return [...targets, ...variables].filter((expression) => expression !== '');
}
