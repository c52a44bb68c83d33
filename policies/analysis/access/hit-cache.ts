/**
 * Statement hits reused across the requests of one caller. A statement's verdict depends on the
 * request's action and resource and on the context keys it reads (its condition keys and policy
 * variables), nothing else; a statement whose Principal cannot name the caller never applies and
 * reads nothing. So a document's hits are keyed by the action, the resource and the values of the
 * keys its statements that may apply read: requests that differ only in other keys (the instant,
 * for a bucket policy's denies; the network path, for identity policies) share them.
 */
import { asArray, isRecord } from '../../engine/cfn/template';
import type { Statement } from '../../engine/iam';
import { candidates, docHits, type Hit } from './evaluate';
import { principalMatches } from './statement';
import type { Doc, Principal, Request } from './types';

const VARIABLE = /\$\{([^}]+)\}/g;
/** Context keys (lower case) that carry the instant of a request. */
const TIME_KEYS: ReadonlySet<string> = new Set(['aws:currenttime', 'aws:epochtime']);
const statementReads = new WeakMap<Statement, readonly string[]>();

/** The context keys (lower case) a statement can read: condition keys and policy variables. */
function readsOfStatement(s: Statement): readonly string[] {
  let reads = statementReads.get(s);
  if (reads) return reads;
  const out = new Set<string>();
  const variables = (v: unknown) => {
    for (const x of asArray(v))
      if (typeof x === 'string' && x.includes('${'))
        for (const m of x.matchAll(VARIABLE)) out.add(m[1].toLowerCase());
  };
  variables(s.Resource);
  variables(s.NotResource);
  if (isRecord(s.Condition))
    for (const block of Object.values(s.Condition)) {
      if (!isRecord(block)) continue;
      for (const [key, values] of Object.entries(block)) {
        out.add(key.toLowerCase());
        variables(values);
      }
    }
  reads = [...out].sort();
  statementReads.set(s, reads);
  return reads;
}

/**
 * A trie over the values of the keys a slot reads, one level per key: a single value (the common
 * case) is looked up as it is, several as their JSON, an absent key apart; no key string is built.
 * A level's maps are made when first needed (most levels have one child, and no list value).
 */
interface Level {
  single?: Map<string, Level>;
  multi?: Map<string, Level>;
  absent?: Level;
  hits?: Hit[];
}

const level = (): Level => ({});

function child(l: Level, v: readonly string[] | undefined): Level {
  if (v === undefined) return (l.absent ??= level());
  const m = v.length === 1 ? (l.single ??= new Map()) : (l.multi ??= new Map());
  const k = v.length === 1 ? v[0] : JSON.stringify(v);
  let c = m.get(k);
  if (!c) m.set(k, (c = level()));
  return c;
}

interface Slot {
  readonly reads: readonly string[];
  /** Some of `reads` is a time key (the decision may change with the instant). */
  readonly readsTime: boolean;
  /** By resource, then by the value of each read key. */
  readonly hits: Map<string, Level>;
}

/** One caller's cache (its principal's requests only; others are evaluated afresh). */
export class HitCache {
  /** By document, then action, then how it is read (resource policy, denies only: an index of 4). */
  private readonly slots = new Map<Doc, Map<string, Array<Slot | undefined>>>();

  constructor(readonly principal: Principal) {}

  /**
   * Whether the statements of `d` which may apply to this caller for `action` read a time key
   * (`aws:CurrentTime`, `aws:EpochTime`): a statement the action rules out, an Allow under
   * `onlyDeny`, or, in a resource policy, a statement whose Principal cannot name the caller is
   * never asked its conditions.
   */
  readsTime(d: Doc, action: string, resourcePolicy: boolean, onlyDeny: boolean): boolean {
    return this.slot(d, action, resourcePolicy, onlyDeny).readsTime;
  }

  of(d: Doc, req: Request, resourcePolicy: boolean, onlyDeny: boolean): Hit[] {
    if (req.principal !== this.principal) return docHits(d, req, resourcePolicy, onlyDeny, []);
    const slot = this.slot(d, req.action, resourcePolicy, onlyDeny);
    let l = slot.hits.get(req.resource);
    if (!l) slot.hits.set(req.resource, (l = level()));
    for (const k of slot.reads) l = child(l, req.context.get(k));
    return (l.hits ??= docHits(d, req, resourcePolicy, onlyDeny, []));
  }

  private slot(d: Doc, action: string, resourcePolicy: boolean, onlyDeny: boolean): Slot {
    let byAction = this.slots.get(d);
    if (!byAction) this.slots.set(d, (byAction = new Map()));
    let ways = byAction.get(action);
    if (!ways) byAction.set(action, (ways = [undefined, undefined, undefined, undefined]));
    const way = (resourcePolicy ? 2 : 0) + (onlyDeny ? 1 : 0);
    let slot = ways[way];
    if (!slot) {
      const reads = resourcePolicy
        ? readsOf(d, action, onlyDeny, this.principal)
        : identityReadsOf(d, action, onlyDeny);
      ways[way] = slot = { reads, readsTime: reads.some((k) => TIME_KEYS.has(k)), hits: new Map() };
    }
    return slot;
  }
}

/**
 * The context keys (sorted) that the statements of `d` which may apply for `action` read: not an
 * Allow under `onlyDeny`, and, for a caller in a resource policy, not a statement whose Principal
 * cannot name it.
 */
function readsOf(d: Doc, action: string, onlyDeny: boolean, caller?: Principal): readonly string[] {
  const reads = new Set<string>();
  for (const i of candidates(d, action)) {
    const s = d.statements[i];
    if (onlyDeny && s.Effect === 'Allow') continue;
    if (caller && principalMatches(s, caller) === false) continue;
    for (const r of readsOfStatement(s)) reads.add(r);
  }
  return [...reads].sort();
}

const identityReads = new WeakMap<Doc, Map<string, readonly string[]>>();

/** readsOf for an identity policy, whose statements name no caller: the same for every caller, made once. */
function identityReadsOf(d: Doc, action: string, onlyDeny: boolean): readonly string[] {
  let byAction = identityReads.get(d);
  if (!byAction) identityReads.set(d, (byAction = new Map()));
  const key = onlyDeny ? `deny ${action}` : action;
  let reads = byAction.get(key);
  if (!reads) byAction.set(key, (reads = readsOf(d, action, onlyDeny)));
  return reads;
}
