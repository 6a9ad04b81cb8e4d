import { KeyUnion } from './key-union.js';

/**
 * Every field of every record, in the order first seen: the columns of an input that is known
 * in full before it is written, so that no field is dropped. Array records give their positions.
 * Returns `undefined` for no records or a record that is not an object, so the writer's own rule
 * (and its error) applies.
 */
export async function unionOfKeys(records: AsyncIterable<unknown>): Promise<string[] | undefined> {
  const union = new KeyUnion();
  let row = 0;
  for await (const record of records) {
    if (record === null || typeof record !== 'object') return undefined;
    union.add(record, row);
    row += 1;
  }
  const { keys } = union;
  return keys.length === 0 ? undefined : keys;
}
