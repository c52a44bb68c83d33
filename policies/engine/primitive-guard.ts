/**
 * Artifacts are data a hand may have edited, and a JSON or YAML object may hold a key named
 * `toString` or `valueOf`. As an own property it shadows Object.prototype's method, and then
 * `String(o)`, `Number(o)` and a template literal of `o` throw ("Cannot convert object to primitive
 * value"): a rule that formats or compares such a value would stop. Rather than guard each of the
 * hundreds of conversions in the rules, the loader gives each such object a `Symbol.toPrimitive`
 * that answers as an ordinary object does ('[object Object]'): conversions behave as for any
 * object, and the data is unchanged (no string key is added, so Object.keys, Object.entries and
 * JSON.stringify see what was parsed). The symbol is enumerable so that a copy by spread or
 * Object.assign (the template resolver copies objects) keeps the guard.
 */

const SHADOWING_KEYS = ['toString', 'valueOf'] as const;

/**
 * Whether a text may parse into an object that needs the guard (a quick test before a walk): it
 * spells one of the keys, or holds an escape that could spell one (JSON's `\u0074oString`, YAML's
 * `\x74oString`, or a double-quoted YAML key broken by an escaped line end).
 */
export const mayShadowPrimitives = (text: string): boolean =>
  text.includes('toString') || text.includes('valueOf') || /\\[uxU\r\n]/.test(text);

const asObject = (): string => '[object Object]';

/** Gives one object the guard. */
function guard(o: object): void {
  Object.defineProperty(o, Symbol.toPrimitive, {
    value: asObject,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

/**
 * Gives `copy` the guard if `source` has it: for a copy built key by key (the template resolver's),
 * which a spread's copy of the symbol does not reach.
 */
export function keepGuard(source: object, copy: object): void {
  if (Object.prototype.hasOwnProperty.call(source, Symbol.toPrimitive)) guard(copy);
}

/** Gives every object under `value` that shadows a conversion method the guard; returns `value`. */
export function guardPrimitives<T>(value: T): T {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (SHADOWING_KEYS.some((k) => Object.prototype.hasOwnProperty.call(v, k))) guard(v);
    for (const x of Object.values(v)) stack.push(x);
  }
  return value;
}
