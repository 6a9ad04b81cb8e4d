import { describe, expect, it } from 'vitest';
import { KeyCounts } from './key-counts.js';

describe('KeyCounts', () => {
  it('counts entries by key', () => {
    const counts = new KeyCounts();
    counts.add('alice');
    counts.add('alice');
    counts.add('bob');
    expect([counts.of('alice'), counts.of('bob'), counts.of('carol')]).toEqual([2, 1, 0]);
  });

  it('forgets a key whose count falls to 0', () => {
    const counts = new KeyCounts();
    counts.add('alice');
    counts.remove('alice');
    counts.remove('alice');
    expect([counts.of('alice'), counts.size]).toEqual([0, 0]);
  });

  it('ignores entries without a key', () => {
    const counts = new KeyCounts();
    counts.add(undefined);
    counts.remove(undefined);
    expect([counts.of(undefined), counts.size]).toEqual([0, 0]);
  });
});
