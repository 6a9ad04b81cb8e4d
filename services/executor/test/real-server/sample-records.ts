export interface SampleRecord {
  id: number;
  timestamp: string;
  value: number;
  category: string;
  status: 'active' | 'inactive';
}

const firstTimestamp = Date.UTC(2024, 0, 1);

/** The record shape of the load tests, the same for the same id. */
export function sampleRecord(id: number): SampleRecord {
  return {
    id,
    timestamp: new Date(firstTimestamp + id * 1000).toISOString(),
    value: ((id * 7919) % 1_000_000) / 100 + 0.25,
    category: `category_${id % 10}`,
    status: id % 2 === 0 ? 'active' : 'inactive',
  };
}

/** Records with ids 1 to `count`, as a JSON body's `data` needs them. */
export function sampleRecords(count: number): SampleRecord[] {
  return Array.from({ length: count }, (_, index) => sampleRecord(index + 1));
}

/** NDJSON lines for ids `from` to `to` inclusive. */
export function ndjsonLines(from: number, to: number): string {
  let text = '';
  for (let id = from; id <= to; id += 1) text += `${JSON.stringify(sampleRecord(id))}\n`;
  return text;
}

/**
 * NDJSON lines for ids 1 to `count`, made lazily `rowsPerChunk` at a time: an upload of any
 * size holds at most one chunk on this side.
 */
export function* ndjsonChunks(count: number, rowsPerChunk = 1_000): Generator<string> {
  for (let first = 1; first <= count; first += rowsPerChunk) {
    yield ndjsonLines(first, Math.min(first + rowsPerChunk - 1, count));
  }
}
