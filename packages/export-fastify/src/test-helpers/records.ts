import { setImmediate as nextTurn } from 'node:timers/promises';

export const trades = [
  { id: 1, symbol: 'ACME', qty: 10 },
  { id: 2, symbol: 'İNİT', qty: -3 },
];

export interface EndlessTrades {
  records: AsyncGenerator<{ id: number; note: string }>;
  /** Resolves once the export stopped reading, however it stopped. */
  stopped: Promise<void>;
}

/** Records until the export stops asking: only an abort or a cut ends it. */
export function endlessTrades(): EndlessTrades {
  let markStopped = () => {};
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  async function* records() {
    try {
      for (let id = 0; ; id += 1) {
        yield { id, note: 'x'.repeat(100) };
        // Other work (the client's hang-up) gets a turn, as it would between database pages.
        if (id % 200 === 0) await nextTurn();
      }
    } finally {
      markStopped();
    }
  }
  return { records: records(), stopped };
}

/** `count` records, then the source fails, as a database connection that drops midway. */
export async function* failingAfter(count: number, error: Error) {
  for (let id = 0; id < count; id += 1) yield { id, note: 'x'.repeat(100) };
  // Long enough for the first bytes to reach the client before the failure.
  await new Promise((resolve) => setTimeout(resolve, 100));
  throw error;
}
