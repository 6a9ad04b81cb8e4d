/**
 * The key order of an object as its source text had it. JavaScript lists integer-like keys
 * ("2024") before the others whatever the order they were written in, so a parser that sees a
 * different order records it here; objects it did not record keep `Object.keys` order.
 */
const keyOrders = new WeakMap<object, readonly string[]>();

export function rememberKeyOrder(object: object, keys: readonly string[]): void {
  keyOrders.set(object, keys);
}

/** The own keys of `object`, in source order when a parser recorded it. */
export function keysInSourceOrder(object: object): readonly string[] {
  return keyOrders.get(object) ?? Object.keys(object);
}
