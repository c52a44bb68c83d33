/**
 * The IAM authorization decision for one request, as AWS documents it ("Policy evaluation
 * logic"): an explicit Deny in any policy wins; otherwise the identity policies (limited by a
 * permissions boundary) or a resource policy that names the caller must allow; a KMS key policy
 * must allow itself or delegate to IAM by naming the account; a VPC endpoint policy must allow what
 * passes through the endpoint; across accounts both sides must allow.
 *
 * Why our own evaluator: the IAM simulators on npm (@cloud-copilot/iam-simulate and the like) are
 * AGPL-3.0, which many federal and industry users of this project cannot take; AWS's own
 * simulator is an API call that needs credentials and the network. This one is small, permissive,
 * offline, and three-valued: what it cannot decide is reported, never passed.
 */
import type { HitCache } from './hit-cache';
import { actionMatches, applyStatement, type Applied } from './statement';
import { and, not, or, type Decision, type Doc, type Request, type Tri, type Witness } from './types';

/** The policies in play for one request. */
export interface Layers {
  /** Identity policies of the caller (inline, managed, attached by ARN). */
  readonly identity: readonly Doc[];
  /** The caller's identity policies are outside the artifacts and may allow anything (root user, other principals, other accounts). */
  readonly identityAll?: boolean;
  /** Permissions boundary of the caller; undefined when it has none. */
  readonly boundary?: readonly Doc[];
  /** Resource policy (bucket policy, file system policy, key policy); undefined when none. */
  readonly resource?: readonly Doc[];
  /** The resource is a KMS key: its key policy (`resource`) must allow, itself or by delegation to IAM. */
  readonly keyPolicy?: boolean;
  /** VPC endpoint policy when the request passes through an endpoint. */
  readonly endpoint?: readonly Doc[];
  /** The caller and the resource are in the same account. */
  readonly sameAccount: boolean;
  /**
   * One side only, for defence in depth: `identity` judges the caller's own policies and boundary
   * as if every resource-side policy allowed; `resource` judges the resource-side policies
   * (resource, key, endpoint) as if the caller's identity allowed everything; `deny-only` asks
   * whether the resource policy's own denies keep the caller out, whatever anything allows.
   */
  readonly side?: 'identity' | 'resource' | 'deny-only';
}

export interface Hit extends Applied {
  readonly witness: Witness;
}

const byAction = new WeakMap<Doc, Map<string, number[]>>();

/** Indices of a document's statements whose Action/NotAction may match an action (cached: the matrix asks few actions). */
export function candidates(d: Doc, action: string): number[] {
  let m = byAction.get(d);
  if (!m) byAction.set(d, (m = new Map()));
  let idx = m.get(action);
  if (!idx) {
    idx = [];
    for (let i = 0; i < d.statements.length; i++)
      if (
        actionMatches(d.statements[i], action) !== false ||
        (d.statements[i].Effect !== 'Allow' && d.statements[i].Effect !== 'Deny')
      )
        idx.push(i);
    m.set(action, idx);
  }
  return idx;
}

function hits(
  docs: readonly Doc[] | undefined,
  req: Request,
  resourcePolicy: boolean,
  onlyDeny = false,
  cache?: HitCache,
): Hit[] {
  const out: Hit[] = [];
  if (!docs) return out;
  for (const d of docs) {
    if (cache) out.push(...cache.of(d, req, resourcePolicy, onlyDeny));
    else docHits(d, req, resourcePolicy, onlyDeny, out);
  }
  return out;
}

/** The hits of one document's statements for a request (appended to `out`). */
export function docHits(d: Doc, req: Request, resourcePolicy: boolean, onlyDeny: boolean, out: Hit[]): Hit[] {
  for (const index of candidates(d, req.action)) {
    const s = d.statements[index];
    if (onlyDeny && s.Effect === 'Allow') continue;
    const a = applyStatement(s, req, resourcePolicy);
    if (a) out.push({ ...a, witness: witnessOf(d, index) });
  }
  return out;
}

const witnesses = new WeakMap<Doc, Witness[]>();

/** Where a document's statement is written (one object per statement, shared by its hits). */
function witnessOf(d: Doc, index: number): Witness {
  let ws = witnesses.get(d);
  if (!ws) witnesses.set(d, (ws = []));
  let w = ws[index];
  if (!w) {
    const s = d.statements[index];
    ws[index] = w = { ...d.witness, index, sid: typeof s.Sid === 'string' ? s.Sid : undefined };
  }
  return w;
}

/** Whether some hit of an effect (and `pick`) applies: true, else undecided if one may, else false. */
function anyOf(hs: readonly Hit[], effect: Hit['effect'], pick?: (h: Hit) => boolean): Tri {
  let out: Tri = false;
  for (const h of hs) {
    if (h.effect !== effect || (pick && !pick(h))) continue;
    if (h.applies === true) return true;
    if (h.applies === 'undecided') out = 'undecided';
  }
  return out;
}
const anyAllow = (hs: readonly Hit[], pick?: (h: Hit) => boolean): Tri => anyOf(hs, 'Allow', pick);
const anyDeny = (hs: readonly Hit[]): Tri => anyOf(hs, 'Deny');

const namesDirectly = (h: Hit): boolean => h.via === 'direct' || h.via === 'undecided';
const namesAccount = (h: Hit): boolean => h.via === 'account';

/** The decision on one request. */
export function authorize(req: Request, layers: Layers, cache?: HitCache): Decision {
  const p = req.principal;
  const side = layers.side;
  if (side === 'deny-only') {
    // the resource policy's denies alone: no other layer is read
    const rs = hits(layers.resource, req, true, true, cache);
    const open = not(anyDeny(rs));
    return {
      allowed: open,
      witnesses:
        open === false
          ? rs.filter((h) => h.effect === 'Deny' && h.applies === true).map((h) => h.witness)
          : rs.filter((h) => h.applies === 'undecided').map((h) => h.witness),
      reason: reasonOf(open, rs),
    };
  }
  const useIdentity = side !== 'resource';
  const useResource = side !== 'identity';
  const id = useIdentity ? hits(layers.identity, req, false, false, cache) : [];
  const bd = useIdentity ? hits(layers.boundary, req, false, false, cache) : [];
  const rs = useResource ? hits(layers.resource, req, true, false, cache) : [];
  const ep = useResource ? hits(layers.endpoint, req, true, false, cache) : [];
  const all = [...id, ...bd, ...rs, ...ep];
  const deny = anyDeny(all);

  const identityFree = !useIdentity || p.kind === 'root' || layers.identityAll === true;
  const idAllow: Tri = identityFree ? true : p.kind === 'role' ? anyAllow(id) : false;
  const bAllow: Tri =
    !useIdentity || layers.boundary === undefined || p.kind !== 'role' ? true : anyAllow(bd);
  const direct = anyAllow(rs, namesDirectly);
  const delegated = anyAllow(rs, namesAccount);
  const epAllow: Tri = !useResource || layers.endpoint === undefined ? true : anyAllow(ep);

  let allowed: Tri;
  if (!useResource) allowed = and(idAllow, bAllow);
  else if (p.kind === 'anonymous' || p.kind === 'service') allowed = direct;
  else if (layers.keyPolicy) {
    const viaKey = and(direct, bAllow);
    const viaIam = and(delegated, idAllow, bAllow);
    allowed = layers.sameAccount ? or(viaKey, viaIam) : and(or(direct, delegated), idAllow);
  } else if (!layers.sameAccount) allowed = and(idAllow, or(direct, delegated));
  else
    allowed =
      layers.resource === undefined ? and(idAllow, bAllow) : or(and(idAllow, bAllow), and(direct, bAllow));

  const result = and(not(deny), allowed, epAllow);
  return { allowed: result, witnesses: witnessesOf(result, all, deny), reason: reasonOf(result, all) };
}

function witnessesOf(result: Tri, all: readonly Hit[], deny: Tri): Witness[] {
  if (result === true)
    return all
      .filter((h) => h.effect === 'Allow' && h.applies === true && !h.witness.policy.startsWith('boundary'))
      .map((h) => h.witness);
  if (result === 'undecided') return all.filter((h) => h.applies === 'undecided').map((h) => h.witness);
  return deny === true
    ? all.filter((h) => h.effect === 'Deny' && h.applies === true).map((h) => h.witness)
    : [];
}

function reasonOf(result: Tri, all: readonly Hit[]): string | undefined {
  if (result !== 'undecided') return undefined;
  const h = all.find((x) => x.applies === 'undecided');
  return h
    ? `${h.witness.resource} ${h.witness.policy}[${h.witness.index}]: ${h.reason ?? 'undecidable'}`
    : 'undecidable';
}
