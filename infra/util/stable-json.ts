/**
 * Deterministic JSON: object keys sorted at every depth, two-space indent, trailing newline.
 * JSON.stringify keeps insertion order, which depends on how an object was built; artifacts must
 * not, so that the same spec gives byte-identical files.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // defineProperty keeps a "__proto__" key a plain property instead of a prototype.
      if (v !== undefined)
        Object.defineProperty(out, key, {
          value: sortKeysDeep(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}
