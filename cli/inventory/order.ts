/** Locale-independent ordering, so the inventory reads the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts by the keys in order: the first that differs decides. */
export function sortBy<T>(items: readonly T[], ...keys: ReadonlyArray<(item: T) => string | number>): T[] {
  return [...items].sort((x, y) => {
    for (const key of keys) {
      const [a, b] = [key(x), key(y)];
      const c = typeof a === 'number' && typeof b === 'number' ? a - b : compareStrings(String(a), String(b));
      if (c !== 0) return c;
    }
    return 0;
  });
}
