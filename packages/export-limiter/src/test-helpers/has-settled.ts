// Taken at import, before a test installs fake timers, so it always reaches the real event loop.
const realSetImmediate = setImmediate;

/** Whether the promise settles once every pending microtask has run. */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const markSettled = () => {
    settled = true;
  };
  promise.then(markSettled, markSettled);
  await new Promise((resolve) => realSetImmediate(resolve));
  return settled;
}
