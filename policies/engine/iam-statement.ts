/**
 * One IAM policy document or statement, as found in a resolved template: reading statements,
 * wildcard matching, condition entries, the Unknowns a statement depends on and its variants.
 * iam.ts re-exports all of it.
 */
import { asArray, isRecord } from './cfn/template';
import { Unknown, firstUnknown, isUnknown } from './cfn/resolve';

export interface Statement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** Statements of a resolved policy document; Unknown when the document is not readable. */
export function statementsOf(doc: unknown): Statement[] | Unknown {
  if (isUnknown(doc)) return doc;
  if (typeof doc === 'string') {
    try {
      return statementsOf(JSON.parse(doc));
    } catch {
      return new Unknown('policy document is a string that is not JSON');
    }
  }
  if (!isRecord(doc)) return new Unknown('policy document is not an object');
  const s = doc.Statement;
  if (isUnknown(s)) return s;
  return asArray(s).map((x) =>
    isRecord(x) ? (x as Statement) : ({ Effect: new Unknown('statement is not an object') } as Statement),
  );
}

/** IAM wildcard match: `*` any run of characters, `?` one; case-insensitive (as IAM actions). */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(value);
}

/** Condition keys of a statement, lower-cased, as operator -> key -> value. */
export function conditionEntries(
  statement: Statement,
): Array<{ operator: string; key: string; value: unknown }> {
  const out: Array<{ operator: string; key: string; value: unknown }> = [];
  if (!isRecord(statement.Condition)) return out;
  for (const [operator, block] of Object.entries(statement.Condition)) {
    if (!isRecord(block)) continue;
    for (const [key, value] of Object.entries(block)) out.push({ operator, key: key.toLowerCase(), value });
  }
  return out;
}

/**
 * The first Unknown among the named fields of a statement, on which a verdict depends. `Condition`
 * counts only by its shape (the block, or an operator of it, unknown): rules that ask whether a
 * condition exists, or which keys it tests, do not depend on values they do not read.
 */
export function unknownIn(s: Statement, fields: ReadonlyArray<keyof Statement>): Unknown | undefined {
  for (const f of fields) {
    if (f === 'Condition') {
      const c = s.Condition;
      if (isUnknown(c)) return c;
      if (c !== null && typeof c === 'object') {
        const u = Object.values(c).find(isUnknown);
        if (u) return u as Unknown;
      }
      continue;
    }
    const u = firstUnknown(s[f]);
    if (u) return u;
  }
  return undefined;
}

/**
 * Whether a Resource entry names every resource of its service: "*", an ARN whose resource part
 * is only wildcards (every bucket, or every object of every bucket), or every key, secret, file
 * system or table of an account ("key/" followed by a wildcard).
 */
export function isUnboundedResource(r: string): boolean {
  if (r === '*') return true;
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(r);
  if (!m) return false;
  const resource = m[2];
  if (/^[*/]+$/.test(resource)) return true;
  return /^(key|alias|secret|file-system|table|db|cluster|parameter)[/:]\*$/.test(resource);
}

export const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

const MAX_VARIANTS = 64;

/** The alternatives of a value: an Unknown's known alternatives, elements of a list expanded. */
function alternativesOf(v: unknown): unknown[] {
  if (isUnknown(v)) return [...v.alternatives];
  if (Array.isArray(v) && v.some(isUnknown)) {
    let acc: unknown[][] = [[]];
    for (const x of v) {
      const xs = isUnknown(x) ? [...x.alternatives] : [x];
      acc = acc.flatMap((a) => xs.map((y) => [...a, ...(Array.isArray(y) ? y : [y])])).slice(0, MAX_VARIANTS);
    }
    return acc;
  }
  return [v];
}

/**
 * Statements with each Unknown field (or list element) replaced by one of its known alternatives;
 * only those in which every named field is then known. Empty when no alternatives are known.
 */
export function variantsOf(s: Statement, fields: ReadonlyArray<keyof Statement>): Statement[] {
  let out: Statement[] = [s];
  for (const f of fields) {
    if (f === 'Condition' || s[f] === undefined || firstUnknown(s[f]) === undefined) continue;
    const alts = alternativesOf(s[f]).filter((a) => firstUnknown(a) === undefined);
    out = out.flatMap((x) => alts.map((a) => ({ ...x, [f]: a }))).slice(0, MAX_VARIANTS);
  }
  return out.filter((x) => x !== s && unknownIn(x, fields) === undefined);
}
