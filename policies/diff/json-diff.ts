/**
 * Property-by-property difference of two JSON values, as JSON paths with before and after.
 *
 * Arrays are matched so that inserting one element does not show every later element as changed:
 * objects with an identity field (Sid, name, Key, ...) pair by it; scalar lists compare as sets
 * (`path[]` with the value added or removed); other elements pair when equal, and the rest by
 * order. Everything is indexed by key or by its canonical text: linear in the size of the values.
 */
import { isDeepStrictEqual } from 'node:util';
import { isRecord } from '../../infra/util/records';
import { stableJson } from '../../infra/util/stable-json';
import type { PropertyChange } from './types';

/** Fields that name an element of a list, in order of preference. */
const IDENTITY_FIELDS = [
  'Sid',
  'name',
  'Name',
  'Key',
  'id',
  'Id',
  'PolicyName',
  'DeviceName',
  'Field',
  'mountPath',
] as const;

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

function keyPath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) {
    if (s.startsWith('[')) out += s;
    else out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
  }
  return out;
}

function emit(out: PropertyChange[], segments: readonly string[], before: unknown, after: unknown): void {
  out.push({
    path: keyPath(segments),
    segments: [...segments],
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}

/** The identity field shared by every element of both lists, with unique values, if any. */
function identityField(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every(isRecord)) return undefined;
  for (const f of IDENTITY_FIELDS) {
    const ok = [a, b].every((list) => {
      const seen = new Set<string>();
      for (const e of list as Record<string, unknown>[]) {
        const v = e[f];
        if (typeof v !== 'string' || seen.has(v)) return false;
        seen.add(v);
      }
      return true;
    });
    if (ok) return f;
  }
  return undefined;
}

function diffScalarSets(
  out: PropertyChange[],
  segments: readonly string[],
  a: readonly unknown[],
  b: readonly unknown[],
): void {
  const inA = new Set(a.map((v) => stableJson(v)));
  const inB = new Set(b.map((v) => stableJson(v)));
  const marker = [...segments, '[]'];
  for (const v of a) if (!inB.has(stableJson(v))) emit(out, marker, v, undefined);
  for (const v of b) if (!inA.has(stableJson(v))) emit(out, marker, undefined, v);
}

/** An identity with its digits masked: `ReadXUntil20270630Key` and `ReadXUntil20270930Key` are one statement, re-dated. */
const shapeOf = (id: string): string => id.replace(/\d+/g, '#');

/** Elements paired by identity; those left over pair by their identity's shape where that is unique on both sides. */
function diffById(
  out: PropertyChange[],
  segments: readonly string[],
  a: Record<string, unknown>[],
  b: Record<string, unknown>[],
  field: string,
): void {
  const byId = new Map(a.map((e) => [e[field] as string, e]));
  const inB = new Set(b.map((e) => e[field] as string));
  const goneByShape = new Map<string, string[]>();
  for (const id of byId.keys())
    if (!inB.has(id)) goneByShape.set(shapeOf(id), [...(goneByShape.get(shapeOf(id)) ?? []), id]);
  const newByShape = new Map<string, number>();
  for (const e of b)
    if (!byId.has(e[field] as string))
      newByShape.set(shapeOf(e[field] as string), (newByShape.get(shapeOf(e[field] as string)) ?? 0) + 1);
  const paired = new Set<string>();
  for (const e of b) {
    const id = e[field] as string;
    let old = byId.get(id);
    const shape = shapeOf(id);
    const gone = goneByShape.get(shape);
    if (!old && gone?.length === 1 && newByShape.get(shape) === 1) {
      old = byId.get(gone[0]);
      paired.add(gone[0]);
    }
    diffValues(out, [...segments, `[${field}=${id}]`], old, e);
  }
  for (const [id, e] of byId)
    if (!inB.has(id) && !paired.has(id)) emit(out, [...segments, `[${field}=${id}]`], e, undefined);
}

function diffArrays(
  out: PropertyChange[],
  segments: readonly string[],
  a: readonly unknown[],
  b: readonly unknown[],
): void {
  if (a.every(isScalar) && b.every(isScalar)) return diffScalarSets(out, segments, a, b);
  const field = identityField(a, b);
  if (field)
    return diffById(out, segments, a as Record<string, unknown>[], b as Record<string, unknown>[], field);
  // Equal elements pair first (by canonical text); the rest pair by order, extra ones are added or removed.
  const pool = new Map<string, number[]>();
  a.forEach((v, i) => {
    const k = stableJson(v);
    pool.set(k, [...(pool.get(k) ?? []), i]);
  });
  const usedA = new Set<number>();
  const unmatchedB: number[] = [];
  b.forEach((v, j) => {
    const free = pool.get(stableJson(v));
    const i = free?.shift();
    if (i === undefined) unmatchedB.push(j);
    else usedA.add(i);
  });
  const unmatchedA = a.map((_, i) => i).filter((i) => !usedA.has(i));
  const paired = Math.min(unmatchedA.length, unmatchedB.length);
  for (let k = 0; k < paired; k++)
    diffValues(out, [...segments, `[${unmatchedB[k]}]`], a[unmatchedA[k]], b[unmatchedB[k]]);
  for (const i of unmatchedA.slice(paired)) emit(out, [...segments, `[${i}]`], a[i], undefined);
  for (const j of unmatchedB.slice(paired)) emit(out, [...segments, `[${j}]`], undefined, b[j]);
}

/** Appends the changes from `a` to `b` below `segments` to `out`. */
export function diffValues(out: PropertyChange[], segments: readonly string[], a: unknown, b: unknown): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined) return emit(out, segments, a, b);
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(out, segments, a, b);
  if (isRecord(a) && isRecord(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diffValues(out, [...segments, k], a[k], b[k]);
    return;
  }
  if (!isDeepStrictEqual(a, b)) emit(out, segments, a, b);
}

/** The property changes from `a` to `b`, in a stable order. */
export function diffJson(a: unknown, b: unknown): PropertyChange[] {
  const out: PropertyChange[] = [];
  diffValues(out, [], a, b);
  return out;
}
