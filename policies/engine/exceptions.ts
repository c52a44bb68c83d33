/**
 * Reviewed exceptions (policies/exceptions.yaml): each entry accepts one rule's finding on one
 * resource, with a reason, an owner and an expiry. Validated strictly: a typo must not silently
 * turn an exception into a no-op, nor into one that suppresses more than intended.
 */
import * as fs from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors';
import { EXCEPTION_EXPIRED, EXCEPTION_UNUSED } from './meta';
import { metaFinding } from './run';
import type { Finding, FindingLocation } from './types';

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    { message: 'is not a calendar date' },
  );

export const ExceptionEntry = z.strictObject({
  rule: z
    .string()
    .regex(/^GEN-[A-Z0-9]+(-[A-Z0-9]+)*-\d{3}$/, { message: 'must be a rule id such as GEN-AWS-DP-001' }),
  resource: z.string().regex(/^(aws|k8s):\S+$/, {
    message:
      'must be a resource key as in findings (aws:<stack>/<logicalId> or k8s:<site>/<cluster>/<Kind>/<namespace>/<name>)',
  }),
  reason: z.string().trim().min(20, { message: 'must explain the accepted risk (at least 20 characters)' }),
  owner: z.email({ message: 'must be the email of the accountable owner' }),
  expires: IsoDate,
});
export type ExceptionEntry = z.infer<typeof ExceptionEntry>;

export const ExceptionsFile = z.strictObject({ exceptions: z.array(ExceptionEntry) });

export interface LoadedException extends ExceptionEntry {
  readonly line: number;
}

/** One problem of an exceptions file, located as the spec's problems are. */
export interface ExceptionProblem {
  readonly file: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** An exceptions file with problems: every one of them, each with its line. */
export class ExceptionsFileError extends InputError {
  constructor(readonly problems: readonly ExceptionProblem[]) {
    super(problems[0]?.file ?? '(exceptions)', problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    this.message = problems
      .map(
        (p) =>
          `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.path}: ${p.message}`,
      )
      .join('\n');
    this.name = 'ExceptionsFileError';
  }
}

type Segment = string | number;

function pathText(path: readonly Segment[]): string {
  return path.length
    ? path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : '(top level)';
}

/** Line and column of the deepest node that exists along `path`. */
function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly Segment[],
): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  for (const seg of path) {
    const next = isMap(node) || isSeq(node) ? node.get(seg, true) : undefined;
    if (next === undefined || next === null) break;
    node = next;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return {};
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function describeIssue(issue: z.core.$ZodIssue): Array<{ path: Segment[]; message: string }> {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Segment[];
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({
      path: [...path, k],
      message: 'is not a known field (rule, resource, reason, owner, expires)',
    }));
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined)
    return [{ path, message: 'is required' }];
  return [{ path, message: issue.message }];
}

/** Reads and validates an exceptions file, reporting every problem with its line. */
export function loadExceptions(file: string, knownRules: ReadonlySet<string>): LoadedException[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length)
    throw new InputError(
      file,
      `not valid YAML at line ${lineCounter.linePos(doc.errors[0].pos[0]).line}: ${doc.errors[0].message.split('\n')[0]}`,
    );
  const problems: ExceptionProblem[] = [];
  const add = (path: Segment[], message: string): void =>
    void problems.push({ file, path: pathText(path), message, ...locate(doc, lineCounter, path) });
  const value = doc.toJS() as unknown;
  const parsed = ExceptionsFile.safeParse(value ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) for (const d of describeIssue(issue)) add(d.path, d.message);
    throw new ExceptionsFileError(problems);
  }
  const seen = new Map<string, number>();
  const out = parsed.data.exceptions.map((e, i) => {
    if (!knownRules.has(e.rule)) add(['exceptions', i, 'rule'], `no rule "${e.rule}"`);
    const key = `${e.rule}|${e.resource}`;
    const prior = seen.get(key);
    if (prior !== undefined)
      add(
        ['exceptions', i],
        `duplicate exception for ${e.rule} on ${e.resource} (first at exceptions[${prior}])`,
      );
    else seen.set(key, i);
    return { ...e, line: locate(doc, lineCounter, ['exceptions', i]).line ?? 1 };
  });
  if (problems.length > 0) throw new ExceptionsFileError(problems);
  return out;
}

/**
 * Suppresses the findings that a current exception covers; reports expired exceptions (which do
 * not suppress) and exceptions that match nothing. `now` is YYYY-MM-DD; an exception is current
 * through its expiry day.
 */
export function applyExceptions(
  findings: readonly Finding[],
  exceptions: readonly LoadedException[],
  now: string,
  file: string,
): Finding[] {
  const out: Finding[] = [];
  const used = new Set<LoadedException>();
  for (const f of findings) {
    const e = exceptions.find(
      (x) =>
        x.rule === f.ruleId && (x.resource === f.location.resourceKey || x.resource === f.location.stableKey),
    );
    if (e) used.add(e);
    if (e && e.expires >= now)
      out.push({ ...f, suppression: { reason: e.reason, owner: e.owner, expires: e.expires } });
    else out.push(f);
  }
  for (const e of exceptions) {
    const location: FindingLocation = {
      file,
      line: e.line,
      resourceKey: `exception:${e.rule}/${e.resource}`,
      resourceName: `${e.rule} on ${e.resource}`,
      resourceType: 'exception',
    };
    if (e.expires < now)
      out.push(
        metaFinding(
          EXCEPTION_EXPIRED,
          location,
          `exception for ${e.rule} on ${e.resource} (owner ${e.owner}) expired on ${e.expires}`,
        ),
      );
    else if (!used.has(e))
      out.push(
        metaFinding(
          EXCEPTION_UNUSED,
          location,
          `exception for ${e.rule} on ${e.resource} matches no finding`,
        ),
      );
  }
  return out;
}
