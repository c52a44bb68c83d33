/**
 * IAM condition operators, evaluated against a request context.
 *
 * Semantics follow the IAM policy reference: a key absent from the context makes a positive
 * operator false and a negated one (StringNotEquals, ArnNotLike, NotIpAddress, ...) true;
 * `...IfExists` makes an absent key true; `ForAnyValue:` is false on an absent key and
 * `ForAllValues:` true; `Null` tests presence. Policy variables (`${aws:PrincipalTag/x}`) are
 * replaced from the context. An operator or key this evaluator does not know is undecided.
 */
import { isUnknown } from '../../engine/cfn/resolve';
import { asArray, isRecord } from '../../engine/cfn/template';
import { CidrSet } from '../reach/cidr';
import { and, type Request, type Tri } from './types';

type Base =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'ArnEquals'
  | 'ArnNotEquals'
  | 'ArnLike'
  | 'ArnNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress';

const NEGATED: ReadonlySet<string> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
]);

/** The positive form of a negated operator (StringNotEquals -> StringEquals). */
const POSITIVE: Readonly<Record<string, Base>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
};

const KNOWN =
  /^(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Arn(Not)?(Equals|Like)|Numeric(Not)?Equals|Numeric(LessThan|GreaterThan)(Equals)?|Date(Not)?Equals|Date(LessThan|GreaterThan)(Equals)?|Bool|BinaryEquals|IpAddress|NotIpAddress)$/;

export interface ParsedOperator {
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly base: Base | 'Null';
  readonly ifExists: boolean;
}

const parsed = new Map<string, ParsedOperator | undefined>();

export function parseOperator(op: string): ParsedOperator | undefined {
  if (!parsed.has(op)) parsed.set(op, parseOperatorOnce(op));
  return parsed.get(op);
}

function parseOperatorOnce(op: string): ParsedOperator | undefined {
  const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(op);
  if (!m) return undefined;
  const base = m[2];
  if (base === 'Null') return m[1] || m[3] ? undefined : { base: 'Null', ifExists: false };
  if (!KNOWN.test(base)) return undefined;
  return { set: m[1] as ParsedOperator['set'], base: base as Base, ifExists: m[3] !== undefined };
}

/** Milliseconds of an ISO date or epoch seconds; NaN when neither. */
export function timeOf(v: string): number {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return NaN;
  return Date.parse(v);
}

/** The six colon-separated parts of an ARN (the resource part may hold colons). */
const arnParts = (arn: string): string[] | undefined => {
  const p = arn.split(':');
  return p.length < 6 ? undefined : [...p.slice(0, 5), p.slice(5).join(':')];
};

/** ArnEquals and ArnLike alike: each of the six parts matched on its own, case-sensitive, with wildcards. */
export const arnMatch = (pattern: string, value: string): boolean => {
  if (pattern === '*') return true;
  const [p, v] = [arnParts(pattern), arnParts(value)];
  if (!p || !v) return false;
  return p.every((part, i) => caseGlob(part, v[i]));
};

/** Case-sensitive IAM wildcard match (`*`, `?`). */
export function caseGlob(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  return globRegex(pattern, '').test(value);
}

const regexes = { '': new Map<string, RegExp>(), i: new Map<string, RegExp>() };

/** The regular expression of an IAM wildcard pattern (cached: the matrix asks the same patterns often). */
export function globRegex(pattern: string, flags: '' | 'i'): RegExp {
  const cache = regexes[flags];
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[\\s\\S]*')
        .replace(/\?/g, '[\\s\\S]')}$`,
      flags,
    );
    if (cache.size > 10000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Whether one context value matches one policy value under a positive base operator. */
function positive(base: Base, policy: string, value: string): Tri {
  switch (base) {
    case 'StringEquals':
      return policy === value;
    case 'StringEqualsIgnoreCase':
      return policy.toLowerCase() === value.toLowerCase();
    case 'StringLike':
      return caseGlob(policy, value);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatch(policy, value);
    case 'NumericEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const [a, b] = [Number(value), Number(policy)];
      if (Number.isNaN(a) || Number.isNaN(b)) return 'undecided';
      return compare(base.slice('Numeric'.length), a, b);
    }
    case 'DateEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const [a, b] = [timeOf(value), timeOf(policy)];
      if (Number.isNaN(a) || Number.isNaN(b)) return 'undecided';
      return compare(base.slice('Date'.length), a, b);
    }
    case 'Bool':
      return policy.toLowerCase() === value.toLowerCase();
    case 'BinaryEquals':
      return policy === value;
    case 'IpAddress':
      if (!/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(policy) || !/^\d+\.\d+\.\d+\.\d+$/.test(value))
        return 'undecided';
      return CidrSet.of(policy.includes('/') ? policy : `${policy}/32`).covers(CidrSet.of(`${value}/32`));
    default:
      return 'undecided';
  }
}

function compare(rel: string, a: number, b: number): boolean {
  switch (rel) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    default:
      return a >= b;
  }
}

/** Whether a context value matches any of the policy values (positive form). */
function anyMatch(base: Base, policies: readonly string[], value: string): Tri {
  let out: Tri = false;
  for (const p of policies) {
    const r = positive(base, p, value);
    if (r === true) return true;
    if (r === 'undecided') out = 'undecided';
  }
  return out;
}

const negate = (x: Tri): Tri => (x === 'undecided' ? x : !x);

/** Replaces `${key}` policy variables from the context; undefined when one has no single value. */
export function substitute(s: string, req: Request): string | undefined | 'undecided' {
  let failed: undefined | 'undecided' | 'missing';
  const out = s.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
    if (key === '*' || key === '?' || key === '$') return key;
    const vs = req.context.get(key.toLowerCase());
    if (req.free(key.toLowerCase()) || (!vs && !req.modelled(key.toLowerCase()))) failed = 'undecided';
    else if (!vs || vs.length !== 1) failed ??= 'missing';
    return vs?.[0] ?? '';
  });
  if (failed === 'undecided') return 'undecided';
  return failed === 'missing' ? undefined : out;
}

interface PolicyValues {
  /** The values as strings. */
  readonly values: readonly string[];
  /** No value holds a policy variable: the values are the policy's, whatever the request. */
  readonly fixed: boolean;
}

const parsedValues = new WeakMap<object, PolicyValues | 'undecided'>();

/** A condition's values as strings; 'undecided' when one is unresolved or not a scalar (read once per list). */
function policyValues(raw: unknown): PolicyValues | 'undecided' {
  const cacheable = typeof raw === 'object' && raw !== null;
  const hit = cacheable ? parsedValues.get(raw) : undefined;
  if (hit) return hit;
  let out: PolicyValues | 'undecided';
  if (isUnknown(raw) || asArray(raw).some((v) => isUnknown(v) || isRecord(v) || Array.isArray(v)))
    out = 'undecided';
  else {
    const values = asArray(raw).map((v) => String(v));
    out = { values, fixed: !values.some((v) => v.includes('${')) };
  }
  if (cacheable) parsedValues.set(raw, out);
  return out;
}

/** Evaluates one operator on one key. `effect` tells how a caller-chosen key counts. */
export function evalCondition(
  operator: string,
  key: string,
  rawValues: unknown,
  req: Request,
  effect: 'Allow' | 'Deny',
): Tri {
  return evalEntry(parseOperator(operator), key.toLowerCase(), policyValues(rawValues), req, effect);
}

/** One context value against the policy values, under the operator (negated or not). */
const each = (pos: Base, policies: readonly string[], v: string, negated: boolean): Tri =>
  negated ? negate(anyMatch(pos, policies, v)) : anyMatch(pos, policies, v);

/** One operator (parsed) on one key (lower case). */
function evalEntry(
  op: ParsedOperator | undefined,
  k: string,
  parsed: PolicyValues | 'undecided',
  req: Request,
  effect: 'Allow' | 'Deny',
): Tri {
  if (!op) return 'undecided';
  if (parsed === 'undecided') return 'undecided';
  let policies: readonly string[];
  if (parsed.fixed) policies = parsed.values;
  else {
    const substituted: string[] = [];
    for (const v of parsed.values) {
      const s = v.includes('${') ? substitute(v, req) : v;
      if (s === 'undecided') return 'undecided';
      if (s !== undefined) substituted.push(s);
    }
    policies = substituted;
  }
  if (req.free(k)) return effect === 'Allow';
  const values = req.context.get(k);
  if (values === undefined && !req.modelled(k)) return 'undecided';
  if (op.base === 'Null') {
    if (policies.length === 0) return 'undecided';
    const absent = values === undefined || values.length === 0;
    for (const p of policies) {
      const w = p.toLowerCase();
      if (w === 'true' ? absent : w === 'false' ? !absent : false) return true;
    }
    return false;
  }
  const base = op.base;
  const negated = NEGATED.has(base);
  const pos = negated ? POSITIVE[base] : base;
  if (values === undefined || values.length === 0) {
    if (op.set === 'ForAnyValue') return false;
    if (op.set === 'ForAllValues') return true;
    return op.ifExists || negated;
  }
  if (op.set === 'ForAllValues') return and(...values.map((v) => each(pos, policies, v, negated)));
  if (op.set === 'ForAnyValue') {
    const rs = values.map((v) => each(pos, policies, v, negated));
    return rs.includes(true) ? true : rs.includes('undecided') ? 'undecided' : false;
  }
  // a single-valued operator on a multi-valued key: AWS compares each value; any match counts
  let any: Tri = false;
  for (const v of values) {
    const r = anyMatch(pos, policies, v);
    if (r === true) {
      any = true;
      break;
    }
    if (r === 'undecided') any = 'undecided';
  }
  return negated ? negate(any) : any;
}

interface Entry {
  readonly operator: string;
  readonly op: ParsedOperator | undefined;
  readonly key: string;
  /** Lower case. */
  readonly k: string;
  /** The policy values, read once. */
  readonly parsed: PolicyValues | 'undecided';
}
/** A condition block in order: each operator with its entries, or `undefined` for a block that is not an object. */
type Compiled = ReadonlyArray<{ readonly operator: string; readonly entries?: readonly Entry[] }>;

const compiled = new WeakMap<object, Compiled>();

function compile(condition: Record<string, unknown>): Compiled {
  let c = compiled.get(condition);
  if (!c) {
    c = Object.entries(condition).map(([operator, block]) => ({
      operator,
      entries: isRecord(block)
        ? Object.entries(block).map(([key, values]) => ({
            operator,
            op: parseOperator(operator),
            key,
            k: key.toLowerCase(),
            parsed: policyValues(values),
          }))
        : undefined,
    }));
    compiled.set(condition, c);
  }
  return c;
}

const entryVerdicts = new WeakMap<Entry, WeakMap<readonly string[], Tri>>();

/**
 * An entry's verdict, remembered per entry and per context value list where it depends on nothing
 * else: the request holds the key (so it is not the caller's to choose) and the policy values hold
 * no variable. The value lists are shared objects (a store's keys per path and instant, a caller's
 * own keys), so the matrix's callers share the verdicts of a bucket policy's conditions.
 */
function evalEntryOf(e: Entry, req: Request, effect: 'Allow' | 'Deny'): Tri {
  const values = e.op ? req.context.get(e.k) : undefined;
  const parsed = e.parsed;
  if (!values || parsed === 'undecided' || !parsed.fixed) return evalEntry(e.op, e.k, parsed, req, effect);
  let byValues = entryVerdicts.get(e);
  if (!byValues) entryVerdicts.set(e, (byValues = new WeakMap()));
  let v = byValues.get(values);
  if (v === undefined) byValues.set(values, (v = evalEntry(e.op, e.k, parsed, req, effect)));
  return v;
}

const HOLDS = { result: true } as const;
const FAILS = { result: false } as const;

/** All conditions of a statement: true when every one holds. */
export function evalConditions(
  condition: unknown,
  req: Request,
  effect: 'Allow' | 'Deny',
): { result: Tri; reason?: string } {
  if (condition === undefined) return HOLDS;
  if (!isRecord(condition)) return { result: 'undecided', reason: 'condition block is not an object' };
  let result: Tri = true;
  let reason: string | undefined;
  for (const { operator, entries } of compile(condition)) {
    if (!entries) return { result: 'undecided', reason: `condition ${operator} is not an object` };
    for (const e of entries) {
      const r = evalEntryOf(e, req, effect);
      if (r === false) return FAILS;
      if (r === 'undecided') {
        result = 'undecided';
        reason ??= `${e.operator} on ${e.key}`;
      }
    }
  }
  return result === true ? HOLDS : { result, reason };
}
