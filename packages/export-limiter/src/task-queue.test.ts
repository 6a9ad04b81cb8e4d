import { describe, expect, it } from 'vitest';
import { TaskQueue } from './task-queue.js';

interface Entry {
  key: string | undefined;
  name: string;
}

function queueOf(...entries: Entry[]): TaskQueue<Entry> {
  const queue = new TaskQueue<Entry>();
  for (const entry of entries) queue.push(entry);
  return queue;
}

const a1 = { key: 'a', name: 'a1' };
const a2 = { key: 'a', name: 'a2' };
const b1 = { key: 'b', name: 'b1' };
const free = { key: undefined, name: 'free' };

describe('TaskQueue', () => {
  it('hands out entries oldest first when every key may start', () => {
    const queue = queueOf(a1, b1, a2);
    const names = [queue.shift(), queue.shift(), queue.shift()].map((entry) => entry?.name);
    expect(names).toEqual(['a1', 'b1', 'a2']);
    expect(queue.size).toBe(0);
  });

  it('skips the entries of a key that may not start, keeping them in place', () => {
    const queue = queueOf(a1, a2, b1, free);
    expect(queue.takeNext((key) => key !== 'a')?.name).toBe('b1');
    expect(queue.takeNext(() => true)?.name).toBe('a1');
  });

  it('returns undefined when no entry may start', () => {
    const queue = queueOf(a1, a2);
    expect(queue.takeNext(() => false)).toBeUndefined();
    expect(queue.size).toBe(2);
  });

  it('asks about each key once per scan', () => {
    const queue = queueOf(a1, a2, { key: 'a', name: 'a3' }, b1);
    const asked: (string | undefined)[] = [];
    queue.takeNext((key) => {
      asked.push(key);
      return key === 'b';
    });
    expect(asked).toEqual(['a', 'b']);
  });

  it('removes an entry from the middle', () => {
    const queue = queueOf(a1, b1, a2);
    expect(queue.delete(b1)).toBe(true);
    expect([queue.shift()?.name, queue.shift()?.name]).toEqual(['a1', 'a2']);
  });

  it('reports whether the entry was there when deleting', () => {
    const queue = queueOf(a1);
    expect(queue.delete(b1)).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('counts the entries of each key as they come and go', () => {
    const queue = queueOf(a1, a2, b1, free);
    queue.delete(a1);
    queue.takeNext((key) => key === 'b');
    expect([queue.sizeOf('a'), queue.sizeOf('b'), queue.sizeOf(undefined)]).toEqual([1, 0, 0]);
    queue.shift();
    expect(queue.sizeOf('a')).toBe(0);
  });
});
