/**
 * Whether `o` is plain JSON data, a tree of it: strings, finite numbers (not -0), booleans, null,
 * arrays without holes or other properties, and objects with the usual prototype whose own
 * properties are all enumerable values under string keys. What a YAML or JSON writer writes of
 * such a value reads back as the value; anything else (a getter, a hidden or symbol-keyed
 * property, a hole, an object met twice, which a writer may write as an alias or not at all) is
 * not plain.
 */
export function isJsonData(o: unknown): boolean {
  return isTree(o, new Set());
}

function isTree(o: unknown, seen: Set<object>): boolean {
  switch (typeof o) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(o) && !Object.is(o, -0);
    case 'object': {
      if (o === null) return true;
      if (seen.has(o)) return false;
      seen.add(o);
      if (Object.getOwnPropertySymbols(o).length > 0) return false;
      const proto = Object.getPrototypeOf(o) as unknown;
      const names = Object.getOwnPropertyNames(o);
      if (proto === Array.prototype) {
        const a = o as unknown[];
        // the indexes and `length`, nothing else: no holes, no named properties
        if (names.length !== a.length + 1) return false;
        for (let i = 0; i < a.length; i++) if (!(i in a) || !isTree(a[i], seen)) return false;
        return true;
      }
      if (proto !== Object.prototype) return false;
      for (const name of names) {
        const d = Object.getOwnPropertyDescriptor(o, name) as PropertyDescriptor;
        if (!d.enumerable || !('value' in d) || !isTree(d.value, seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
