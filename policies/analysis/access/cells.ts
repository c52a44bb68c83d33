/** Cells of the access matrix, and the instants at which access can change. */
import { asArray, isRecord } from '../../engine/cfn/template';
import { timeOf } from './conditions';
import type { Doc, Tri, Witness } from './types';

/** What a principal can do to a data store. */
export type Verb = 'read' | 'list' | 'write' | 'delete';
export const VERBS: readonly Verb[] = ['read', 'list', 'write', 'delete'];

/** Verbs a declared grant gives. */
export const grantVerbs = (access: string): Verb[] =>
  access === 'write' ? ['read', 'list', 'write', 'delete'] : access === 'read' ? ['read', 'list'] : [];

export type Side = 'effective' | 'identity' | 'bucket' | 'key';

/** The verdict at one instant, through one path. */
export interface Sample {
  readonly at: number;
  readonly allowed: Tri;
  readonly witnesses: readonly Witness[];
  readonly reason?: string;
}

/** One cell: a principal, a store, a verb, through each path, over time. */
export interface Cell {
  readonly target: 'aws' | 'k8s';
  readonly principal: string;
  /** The tenants the principal acts for (empty for platform principals and outsiders). */
  readonly tenants: readonly string[];
  readonly principalKind: string;
  readonly store: {
    readonly kind: 'dataset' | 'storage';
    readonly id: string;
    readonly resource: string;
    readonly file: string;
  };
  readonly verb: Verb;
  /**
   * `effective`: what happens. One layer alone, for defence in depth: `identity` (the caller's
   * policies and boundary), `bucket` and `key` (whether that policy's own denies keep the caller out).
   */
  readonly side: Side;
  /** Path label (enclave id, `public-endpoint`, or `cluster <site>/<cluster>`) -> samples, first at `now`. */
  readonly paths: ReadonlyMap<string, readonly Sample[]>;
}

const docTimes = new WeakMap<Doc, readonly number[]>();

/** The instants (ms) a document's time conditions name (read once per document). */
function timesOf(d: Doc): readonly number[] {
  let out = docTimes.get(d);
  if (out) return out;
  const found: number[] = [];
  for (const s of d.statements) {
    if (!isRecord(s.Condition)) continue;
    for (const [op, block] of Object.entries(s.Condition)) {
      if (!/Date/.test(op) || !isRecord(block)) continue;
      for (const [key, v] of Object.entries(block)) {
        if (!/^aws:(currenttime|epochtime)$/i.test(key)) continue;
        for (const x of asArray(v)) {
          const t = typeof x === 'string' || typeof x === 'number' ? timeOf(String(x)) : NaN;
          if (!Number.isNaN(t)) found.push(t);
        }
      }
    }
  }
  docTimes.set(d, (out = found));
  return out;
}

/** Instants (ms) at which a time condition in the documents flips, after `now`. */
export function boundaries(docs: readonly Doc[], now: number): number[] {
  const out = new Set<number>();
  for (const d of docs) for (const t of timesOf(d)) if (t > now) out.add(t);
  return [...out].sort((a, b) => a - b);
}

/** Sample instants: now, and each boundary and the second after it. */
export const sampleTimes = (now: number, bounds: readonly number[]): number[] =>
  [now, ...bounds.flatMap((b) => [b, b + 1000])]
    .filter((t, i, a) => a.indexOf(t) === i)
    .sort((a, b) => a - b);

export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Summary of a cell's samples through one path: allowed now, until when, and whether it reopens. */
export function summarise(samples: readonly Sample[]): { now: Tri; until?: number; later: boolean } {
  const first = samples[0];
  if (!first) return { now: false, later: false };
  let until: number | undefined;
  let later = false;
  for (const s of samples.slice(1)) {
    if (first.allowed === true && until === undefined && s.allowed !== true) until = s.at;
    if (first.allowed !== true && s.allowed === true) later = true;
    if (until !== undefined && s.allowed === true) later = true;
  }
  return { now: first.allowed, until, later };
}
