/** Narrowing of parsed JSON and YAML values, shared by every layer that reads them. */

/** A plain object (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value as a record; an empty one when it is not (defensive reading of edited files). */
export const asRecord = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** The value's items as records; an empty list when it is not a list. */
export const records = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);

/** The value's string items; an empty list when it is not a list. */
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
