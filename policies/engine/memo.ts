/**
 * Indexes built once per artifact set and shared by every rule of a check run.
 *
 * A rule that looks something up for each resource it visits (the bucket policies of a bucket, the
 * policies of a role, the quotas of a namespace) must not scan the whole assembly for each one:
 * with a thousand tenants that makes the check grow with the square of the tenant count. The
 * helpers of the engine build their index here on first use, keyed by the artifact set (held
 * weakly, so an index lives as long as the artifacts it describes), and answer each lookup from it.
 * The artifacts are read-only, so an index never goes stale.
 */
import type { ArtifactSet } from './types';

const caches = new WeakMap<ArtifactSet, Map<string, unknown>>();

/** The value `build` computes for these artifacts under `key`, computed once. */
export function memo<T>(artifacts: ArtifactSet, key: string, build: () => T): T {
  let cache = caches.get(artifacts);
  if (!cache) {
    cache = new Map();
    caches.set(artifacts, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = build();
  cache.set(key, value);
  return value;
}

/** Groups values by a key, keeping their order within each group. */
export function groupBy<T, K>(values: Iterable<T>, keyOf: (value: T) => K | readonly K[]): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const v of values) {
    const keys = keyOf(v);
    for (const k of (Array.isArray(keys) ? keys : [keys]) as K[]) {
      const list = out.get(k);
      if (list) {
        if (list[list.length - 1] !== v) list.push(v);
      } else out.set(k, [v]);
    }
  }
  return out;
}

/**
 * An index key of string parts, or undefined when a part is not a string: values a search compares
 * with `===` share a key only if they are the same strings, so a search for a non-string part must
 * still scan (it is rare: names and namespaces are strings).
 */
export const stringKey = (...parts: readonly unknown[]): string | undefined =>
  parts.every((p) => typeof p === 'string') ? JSON.stringify(parts) : undefined;

/** The first value of each key, in the values' order (values without a key are left out). */
export function firstBy<T>(values: Iterable<T>, keyOf: (value: T) => string | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const v of values) {
    const k = keyOf(v);
    if (k !== undefined && !out.has(k)) out.set(k, v);
  }
  return out;
}
