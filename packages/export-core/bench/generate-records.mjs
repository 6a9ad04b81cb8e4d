// The earlier system's record shape, generated lazily and deterministically.
const baseTime = Date.UTC(2026, 0, 1);

export function* generateRecords(count) {
  let seed = 42;
  for (let id = 1; id <= count; id += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield {
      id,
      timestamp: new Date(baseTime + id * 1000).toISOString(),
      value: Math.round((seed / 2_147_483_648) * 1_000_000) / 100,
      category: `category_${id % 10}`,
      status: id % 3 === 0 ? 'inactive' : 'active',
    };
  }
}
