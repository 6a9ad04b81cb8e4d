import { availableParallelism } from 'node:os';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/** What a caller passes to `createExportPool`. */
export interface ExportPoolOptions {
  /** Worker threads, started at once and kept. Default `os.availableParallelism()`. */
  size?: number;
  /**
   * Each worker's heap cap in MB (V8's old generation). An export that needs more fails with
   * EXPORT_WORKER_OUT_OF_MEMORY, and its worker is replaced. Default 512.
   */
  maxHeapMb?: number;
}

export interface NormalizedExportPoolOptions {
  readonly size: number;
  readonly maxHeapMb: number;
}

export const exportPoolDefaults = Object.freeze({ maxHeapMb: 512 });

// Below this a worker cannot even load the PDF writer and its fonts.
const minHeapMb = 16;

export function normalizePoolOptions(options: ExportPoolOptions = {}): NormalizedExportPoolOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`options must be an object, got ${describeValue(options)}`);
  }
  const size = options.size ?? availableParallelism();
  if (!(Number.isSafeInteger(size) && size >= 1 && size <= 1024)) {
    throw invalid(`option \`size\` must be an integer from 1 to 1024, got ${describeValue(size)}`);
  }
  const maxHeapMb = options.maxHeapMb ?? exportPoolDefaults.maxHeapMb;
  if (!(Number.isSafeInteger(maxHeapMb) && maxHeapMb >= minHeapMb)) {
    throw invalid(
      `option \`maxHeapMb\` must be an integer >= ${minHeapMb}, got ${describeValue(maxHeapMb)}`,
    );
  }
  return Object.freeze({ size, maxHeapMb });
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
