/**
 * One statement against one request: Effect, Action/NotAction, Resource/NotResource,
 * Principal/NotPrincipal and Condition, each three-valued.
 */
import { isUnknown } from '../../engine/cfn/resolve';
import { asArray, isRecord } from '../../engine/cfn/template';
import type { Statement } from '../../engine/iam';
import { caseGlob, evalConditions, globRegex, substitute } from './conditions';
import { and, type Principal, type Request, type Tri } from './types';

const strings = new WeakMap<object, readonly string[] | 'undecided'>();

/** Strings of a field; 'undecided' when an element is not a string (an unresolved intrinsic). */
function stringsOf(v: unknown): readonly string[] | 'undecided' {
  const cacheable = typeof v === 'object' && v !== null;
  const hit = cacheable ? strings.get(v) : undefined;
  if (hit) return hit;
  let out: string[] | 'undecided' = [];
  if (isUnknown(v)) out = 'undecided';
  else
    for (const x of asArray(v)) {
      if (typeof x !== 'string') {
        out = 'undecided';
        break;
      }
      out.push(x);
    }
  if (cacheable) strings.set(v, out);
  return out;
}

/** Whether a list of patterns matches a value (`match` decides one pattern). */
function listMatches(raw: unknown, match: (p: string, req?: Request) => Tri, req?: Request): Tri {
  if (typeof raw === 'string') return match(raw, req);
  const ps = stringsOf(raw);
  if (ps === 'undecided') return 'undecided';
  let out: Tri = false;
  for (const p of ps) {
    const r = match(p, req);
    if (r === true) return true;
    if (r === 'undecided') out = 'undecided';
  }
  return out;
}

let actionNow = '';
// IAM action names are case-insensitive
const matchAction = (p: string): Tri =>
  p.includes('*') || p.includes('?')
    ? globRegex(p, 'i').test(actionNow)
    : p.toLowerCase() === actionNow.toLowerCase();
const matchResource = (p: string, req?: Request): Tri => {
  const sub = p.includes('${') ? substitute(p, req as Request) : p;
  if (sub === 'undecided') return 'undecided';
  return sub === undefined ? false : caseGlob(sub, (req as Request).resource);
};

const flip = (x: Tri): Tri => (x === 'undecided' ? x : !x);

const actionVerdicts = new WeakMap<Statement, Map<string, Tri>>();

/** Whether the statement's Action/NotAction covers an action (remembered per statement and action). */
export function actionMatches(s: Statement, action: string): Tri {
  let byAction = actionVerdicts.get(s);
  if (!byAction) actionVerdicts.set(s, (byAction = new Map()));
  let v = byAction.get(action);
  if (v === undefined) byAction.set(action, (v = actionMatchesOnce(s, action)));
  return v;
}

function actionMatchesOnce(s: Statement, action: string): Tri {
  actionNow = action;
  if (s.Action !== undefined && s.NotAction === undefined) return listMatches(s.Action, matchAction);
  if (s.NotAction !== undefined && s.Action === undefined) return flip(listMatches(s.NotAction, matchAction));
  return 'undecided';
}

/** Per statement: its verdicts by resource, or null where a policy variable makes them depend on the request's keys. */
const resourceVerdicts = new WeakMap<Statement, Map<string, Tri> | null>();

/** Whether a field holds a policy variable somewhere. */
export const hasVariable = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('${')
    : Array.isArray(v)
      ? v.some(hasVariable)
      : isRecord(v) && Object.values(v).some(hasVariable);

/**
 * Whether the statement's Resource/NotResource covers the request's resource; remembered per
 * statement and resource where no policy variable makes it depend on the request's keys.
 */
export function resourceMatches(s: Statement, req: Request): Tri {
  let byResource = resourceVerdicts.get(s);
  if (byResource === undefined)
    resourceVerdicts.set(
      s,
      (byResource = hasVariable(s.Resource) || hasVariable(s.NotResource) ? null : new Map()),
    );
  if (byResource === null) return resourceMatchesOnce(s, req);
  let v = byResource.get(req.resource);
  if (v === undefined) byResource.set(req.resource, (v = resourceMatchesOnce(s, req)));
  return v;
}

function resourceMatchesOnce(s: Statement, req: Request): Tri {
  if (s.Resource !== undefined && s.NotResource === undefined)
    return listMatches(s.Resource, matchResource, req);
  if (s.NotResource !== undefined && s.Resource === undefined)
    return flip(listMatches(s.NotResource, matchResource, req));
  return 'undecided';
}

/** How a principal entry names the caller: itself, its account (a delegation to IAM), or not at all. */
export type PrincipalMatch = 'direct' | 'account' | false | 'undecided';

const rank = (x: PrincipalMatch) => (x === 'direct' ? 3 : x === 'account' ? 2 : x === 'undecided' ? 1 : 0);
const better = (a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch => (rank(a) >= rank(b) ? a : b);

const accountOfArn = (arn: string): string | undefined => /^arn:[^:]*:(?:iam|sts)::([^:]+):/.exec(arn)?.[1];

/** One entry of an `AWS` principal list against the caller. */
export function awsEntryMatches(entry: string, p: Principal): PrincipalMatch {
  if (entry === '*') return 'direct';
  if (p.kind === 'anonymous' || p.kind === 'service') return false;
  const account =
    /^\d{12}$/.test(entry) || /^\{\{[^}]*AccountId\}\}$/.test(entry)
      ? entry
      : /:root$/.test(entry)
        ? accountOfArn(entry)
        : undefined;
  if (account !== undefined) return p.account !== undefined && p.matchesAccount(account) ? 'account' : false;
  if (/[*?]/.test(entry)) return 'undecided';
  return p.matchesArn(entry) ? 'direct' : false;
}

const principalVerdicts = new WeakMap<Statement, WeakMap<Principal, PrincipalMatch>>();

/** The Principal (or NotPrincipal) of a resource-policy statement against the caller (remembered per pair). */
export function principalMatches(s: Statement, p: Principal): PrincipalMatch {
  let byPrincipal = principalVerdicts.get(s);
  if (!byPrincipal) principalVerdicts.set(s, (byPrincipal = new WeakMap()));
  let v = byPrincipal.get(p);
  if (v === undefined) byPrincipal.set(p, (v = principalMatchesOnce(s, p)));
  return v;
}

function principalMatchesOnce(s: Statement, p: Principal): PrincipalMatch {
  const raw = s.Principal ?? s.NotPrincipal;
  if (raw === undefined) return 'undecided';
  let m: PrincipalMatch = false;
  if (raw === '*') m = 'direct';
  else if (!isRecord(raw)) return 'undecided';
  else {
    for (const [kind, value] of Object.entries(raw)) {
      const vs = stringsOf(value);
      if (vs === 'undecided') {
        m = better(m, 'undecided');
        continue;
      }
      for (const v of vs) {
        if (kind === 'AWS') m = better(m, awsEntryMatches(v, p));
        else if (kind === 'Service')
          m = better(m, v === '*' ? 'direct' : p.kind === 'service' && p.service === v ? 'direct' : false);
        else if (kind === 'Federated' || kind === 'CanonicalUser')
          m = better(m, v === '*' ? 'direct' : false);
        else m = better(m, 'undecided');
      }
    }
  }
  if (s.NotPrincipal === undefined) return m;
  // NotPrincipal: everyone but the named; naming the account covers its principals too
  return m === 'undecided' ? m : m === false ? 'direct' : false;
}

export interface Applied {
  readonly effect: 'Allow' | 'Deny';
  readonly applies: Tri;
  /** For resource policies: how the principal was named. */
  readonly via?: PrincipalMatch;
  readonly reason?: string;
}

/** Whether the statement applies to the request (`resourcePolicy`: it names principals). */
export function applyStatement(s: Statement, req: Request, resourcePolicy: boolean): Applied | undefined {
  const effect = s.Effect === 'Allow' || s.Effect === 'Deny' ? s.Effect : undefined;
  if (!effect) return { effect: 'Deny', applies: 'undecided', reason: 'Effect is neither Allow nor Deny' };
  const a = actionMatches(s, req.action);
  if (a === false) return undefined;
  const r = resourceMatches(s, req);
  if (r === false) return undefined;
  let via: PrincipalMatch | undefined;
  if (resourcePolicy) {
    via = principalMatches(s, req.principal);
    if (via === false) return undefined;
  } else if (s.Principal !== undefined || s.NotPrincipal !== undefined)
    return { effect, applies: 'undecided', reason: 'identity statement names a Principal' };
  const c = evalConditions(s.Condition, req, effect);
  if (c.result === false) return undefined;
  const applies = and(a, r, via === 'undecided' ? 'undecided' : true, c.result);
  const reason =
    applies === 'undecided'
      ? (c.reason ?? (a === 'undecided' ? 'Action' : r === 'undecided' ? 'Resource' : 'Principal'))
      : undefined;
  return { effect, applies, via, reason };
}
