import type { ExportFormat, ExportMode } from './send-export.js';

export interface Scenario {
  name: string;
  mode: ExportMode;
  format: ExportFormat;
  rows: number;
}

// The earlier system's five scenarios, one large export of each format, then XLSX at three sizes.
const batchSizes: ReadonlyArray<readonly [ExportFormat, number]> = [
  ['csv', 1_000],
  ['csv', 5_000],
  ['csv', 10_000],
  ['pdf', 1_000],
  ['pdf', 5_000],
  ['csv', 100_000],
  ['pdf', 50_000],
  ['xlsx', 1_000],
  ['xlsx', 10_000],
  ['xlsx', 100_000],
];

export function scenarioName(format: ExportFormat, rows: number, mode: ExportMode): string {
  const size = rows >= 1000 && rows % 1000 === 0 ? `${rows / 1000}k` : String(rows);
  return `${size} ${format} (${mode})`;
}

/** The batch, for each mode asked for, mode by mode. */
export function batchScenarios(modes: readonly ExportMode[]): Scenario[] {
  return modes.flatMap((mode) =>
    batchSizes.map(([format, rows]) => ({
      name: scenarioName(format, rows, mode),
      mode,
      format,
      rows,
    })),
  );
}
