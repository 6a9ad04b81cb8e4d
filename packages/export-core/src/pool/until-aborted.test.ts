import { describe, expect, it } from 'vitest';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { untilAborted } from './until-aborted.js';

async function* stalledAfter(count: number) {
  for (let index = 0; index < count; index += 1) yield index;
  await new Promise(() => {});
}

async function collect(records: AsyncIterable<number>, into: number[]): Promise<void> {
  for await (const record of records) into.push(record);
}

describe('untilAborted', () => {
  it('passes every record through when the signal never aborts', async () => {
    const records: number[] = [];
    async function* three() {
      yield* [1, 2, 3];
    }
    await collect(untilAborted(three(), new AbortController().signal), records);
    expect(records).toEqual([1, 2, 3]);
  });

  it('ends with EXPORT_ABORTED while the source waits for its next record', async () => {
    const controller = new AbortController();
    const records: number[] = [];
    setTimeout(() => controller.abort(), 20);
    const error = await exportRejectionOf(() =>
      collect(untilAborted(stalledAfter(2), controller.signal), records),
    );
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(records).toEqual([0, 1]);
  });

  it('reads nothing for a signal that is already aborted', async () => {
    const records: number[] = [];
    const error = await exportRejectionOf(() =>
      collect(untilAborted(stalledAfter(2), AbortSignal.abort()), records),
    );
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(records).toEqual([]);
  });

  it('holds nothing per record: a million records pass in flat memory', async () => {
    async function* many() {
      for (let index = 0; index < 1_000_000; index += 1) yield index;
    }
    const heapBefore = process.memoryUsage().heapUsed;
    let count = 0;
    let heapPeak = heapBefore;
    for await (const _ of untilAborted(many(), new AbortController().signal)) {
      count += 1;
      if (count % 100_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(1_000_000);
    // Racing each record against one long-lived promise kept ~200 bytes a record (~200 MB here).
    expect(heapPeak - heapBefore).toBeLessThan(48 * 1024 * 1024);
  });
});
