import { finished } from 'node:stream/promises';
import { openAtomicFile } from '@org/export-core';

/**
 * Writes `value` as JSON so that the path holds the old file or the new one, never half of one:
 * a hidden `.partial` temp file, fsynced and renamed. A crash leaves at most a temp file, which
 * the boot sweep removes.
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const file = await openAtomicFile(path);
  try {
    file.stream.end(`${JSON.stringify(value, null, 2)}\n`);
    await finished(file.stream);
    await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  }
}
