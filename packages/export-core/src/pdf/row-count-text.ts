/** The line under the table: "0 rows", "1 row", "1,234 rows". */
export function rowCountText(rowCount: number): string {
  // Grouped by hand: the first toLocaleString call loads ICU data, about 20 ms.
  const digits = String(rowCount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${digits} ${rowCount === 1 ? 'row' : 'rows'}`;
}
