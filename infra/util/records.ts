/** Narrowing of parsed JSON and YAML values, shared by every layer that reads them. */

/** A plain object (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
