import { ExportError } from '../errors.js';

/** The ExportError that `action` throws; any other outcome fails the test. */
export function exportErrorOf(action: () => unknown): ExportError {
  try {
    action();
  } catch (error) {
    if (error instanceof ExportError) return error;
    throw error;
  }
  throw new Error('expected an ExportError');
}

/** The ExportError that `action` rejects with; any other outcome fails the test. */
export async function exportRejectionOf(action: () => Promise<unknown>): Promise<ExportError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ExportError) return error;
    throw error;
  }
  throw new Error('expected a rejection with an ExportError');
}
