import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

const maxSheetNameLength = 31;
const forbiddenInSheetName = /[:\\/?*[\]]/;

/** Excel refuses a workbook with such a sheet name, so the option fails before any row. */
export function assertSheetName(name: string): void {
  if (
    name.length === 0 ||
    name.length > maxSheetNameLength ||
    forbiddenInSheetName.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'") ||
    name.toLowerCase() === 'history'
  ) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`xlsx.sheetName\` must be 1 to ${maxSheetNameLength} characters, none of : \\ / ? * [ ], not starting or ending with ' and not History, got ${describeValue(name)}`,
    );
  }
}

/** The name of the sheet at zero-based `index`: `Sheet1`, `Sheet2`, … or `Trades`, `Trades (2)`, …. */
export function sheetNameAt(base: string | undefined, index: number): string {
  if (base === undefined) return `Sheet${index + 1}`;
  if (index === 0) return base;
  const suffix = ` (${index + 1})`;
  return `${base.slice(0, maxSheetNameLength - suffix.length).replace(/'+$/, '')}${suffix}`;
}
