// Names in every script the PDF writer must handle: Latin, Turkish, Greek, Cyrillic, Polish.
const traders = [
  'Ada Lovelace',
  'Şükrü Öztürk',
  'Αλέξανδρος Παππάς',
  'Дмитрий Иванов',
  'Łucja Żak',
];
const symbols = ['ACME', 'INIT', 'GLOBX', 'NRTH', 'ZETA', '00123'];

export interface TradeRecord {
  id: number;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  trader: string;
  executedAt: string;
  note: string;
}

const epoch = Date.UTC(2026, 0, 2, 9, 0, 0);

/** Trade number `index` (from 1): the same index always gives the same record. */
export function tradeRecord(index: number): TradeRecord {
  return {
    id: index,
    symbol: symbols[index % symbols.length] as string,
    side: index % 3 === 0 ? 'sell' : 'buy',
    quantity: ((index * 7919) % 1000) + 1,
    price: Math.round(((index * 104_729) % 100_000) + 100) / 100,
    trader: traders[index % traders.length] as string,
    executedAt: new Date(epoch + index * 1000).toISOString(),
    // Every 97th note starts like a formula: the CSV must neutralize it.
    note: index % 97 === 0 ? '=HYPERLINK("http://example.invalid")' : `order ${index}, "limit"`,
  };
}

const recordsPerChunk = 500;

/** NDJSON in chunks of a few hundred lines: the client never holds more than one chunk. */
export async function* ndjsonChunks(rows: number): AsyncGenerator<string> {
  for (let first = 1; first <= rows; first += recordsPerChunk) {
    const last = Math.min(first + recordsPerChunk - 1, rows);
    let chunk = '';
    for (let index = first; index <= last; index += 1) {
      chunk += `${JSON.stringify(tradeRecord(index))}\n`;
    }
    yield chunk;
  }
}

/** A JSON body `{ format, title, data: [...] }`, produced in chunks like the NDJSON. */
export async function* jsonBodyChunks(
  rows: number,
  options: { format: string; title: string },
): AsyncGenerator<string> {
  yield `{"format":${JSON.stringify(options.format)},"title":${JSON.stringify(options.title)},"data":[`;
  for (let first = 1; first <= rows; first += recordsPerChunk) {
    const last = Math.min(first + recordsPerChunk - 1, rows);
    const lines: string[] = [];
    for (let index = first; index <= last; index += 1) {
      lines.push(JSON.stringify(tradeRecord(index)));
    }
    yield (first === 1 ? '' : ',') + lines.join(',');
  }
  yield ']}';
}
