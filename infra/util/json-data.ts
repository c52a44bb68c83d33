/**
 * The JSON text of plain JSON data, which names its YAML exactly; undefined for anything JSON
 * would write alike while YAML does not (-0, NaN, undefined, a Date or other class instance).
 * Synthesized Kubernetes objects are plain JSON data (cdk8s `toJson`): for them, equal text means
 * equal YAML, and the YAML reads back as the same data.
 */
export function jsonKey(o: unknown): string | undefined {
  let plain = true;
  const key = JSON.stringify(o, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = k === '' ? o : this[k];
    if (typeof raw === 'number') plain &&= Number.isFinite(raw) && !Object.is(raw, -0);
    else if (
      raw === undefined ||
      typeof raw === 'function' ||
      typeof raw === 'bigint' ||
      typeof raw === 'symbol'
    )
      plain = false;
    else if (raw !== null && typeof raw === 'object') {
      const proto = Object.getPrototypeOf(raw) as unknown;
      plain &&= proto === Object.prototype || proto === Array.prototype || proto === null;
    }
    return v;
  });
  return plain ? key : undefined;
}

/**
 * Whether `o` is plain JSON data, as {@link jsonKey} judges it, without writing its text; objects
 * without a prototype are not (a YAML reader gives them one).
 */
export function isJsonData(o: unknown): boolean {
  switch (typeof o) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(o) && !Object.is(o, -0);
    case 'object': {
      if (o === null) return true;
      const proto = Object.getPrototypeOf(o) as unknown;
      if (proto === Array.prototype) return (o as unknown[]).every(isJsonData);
      if (proto !== Object.prototype) return false;
      for (const key in o) if (!isJsonData((o as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
