/**
 * Whether `value` has containers nested deeper than `maxDepth` (`{}` and `[]` are 1 deep). It
 * stops at the first container past the limit, so it recurses at most `maxDepth + 1` deep
 * whatever the value.
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  if (maxDepth === Number.POSITIVE_INFINITY) return false;
  return deeperThan(value, maxDepth);
}

function deeperThan(value: unknown, levelsLeft: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levelsLeft === 0) return true;
  if (Array.isArray(value)) {
    for (const element of value) if (deeperThan(element, levelsLeft - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (deeperThan((value as Record<string, unknown>)[key], levelsLeft - 1)) return true;
  }
  return false;
}
