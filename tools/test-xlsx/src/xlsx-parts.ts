import { strFromU8, unzipSync } from 'fflate';

/** Every part of the workbook's zip, by name, as text. */
export function xlsxParts(bytes: Uint8Array): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const [name, content] of Object.entries(unzipSync(bytes))) parts[name] = strFromU8(content);
  return parts;
}
