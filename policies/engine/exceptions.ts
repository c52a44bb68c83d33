/**
 * Reviewed exceptions (policies/exceptions.yaml): each entry accepts one rule's finding on one
 * resource, with a reason, an owner and an expiry. Validated strictly: a typo must not silently
 * turn an exception into a no-op, nor into one that suppresses more than intended.
 */
import * as fs from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors';
import { EXCEPTION_EXPIRED, EXCEPTION_UNUSED } from './meta';
import { metaFinding } from './run';
import type { Finding, FindingLocation } from './types';

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'is not a calendar date' });

export const ExceptionEntry = z.strictObject({
  rule: z.string().regex(/^GEN-[A-Z0-9]+(-[A-Z0-9]+)*-\d{3}$/, { message: 'must be a rule id such as GEN-AWS-DP-001' }),
  resource: z.string().regex(/^(aws|k8s):\S+$/, { message: 'must be a resource key as in findings (aws:<stack>/<logicalId> or k8s:<site>/<cluster>/<Kind>/<namespace>/<name>)' }),
  reason: z.string().trim().min(20, { message: 'must explain the accepted risk (at least 20 characters)' }),
  owner: z.email({ message: 'must be the email of the accountable owner' }),
  expires: IsoDate,
});
export type ExceptionEntry = z.infer<typeof ExceptionEntry>;

export const ExceptionsFile = z.strictObject({ exceptions: z.array(ExceptionEntry) });

export interface LoadedException extends ExceptionEntry {
  readonly line: number;
}

/** Reads and validates an exceptions file; `shown` is how findings name it. */
export function loadExceptions(file: string, knownRules: ReadonlySet<string>): LoadedException[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) throw new InputError(file, `not valid YAML at line ${lineCounter.linePos(doc.errors[0].pos[0]).line}: ${doc.errors[0].message.split('\n')[0]}`);
  const value = doc.toJS() as unknown;
  const parsed = ExceptionsFile.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
    throw new InputError(file, `${where}: ${issue.message}`);
  }
  const lines: number[] = [];
  const seq = isMap(doc.contents) ? doc.contents.get('exceptions', true) : undefined;
  if (isSeq(seq)) {
    for (const item of seq.items) {
      const range = (item as { range?: [number, number, number] } | null)?.range;
      lines.push(range ? lineCounter.linePos(range[0]).line : 1);
    }
  }
  const seen = new Set<string>();
  return parsed.data.exceptions.map((e, i) => {
    if (!knownRules.has(e.rule)) throw new InputError(file, `exceptions[${i}].rule: no rule "${e.rule}"`);
    const key = `${e.rule}|${e.resource}`;
    if (seen.has(key)) throw new InputError(file, `exceptions[${i}]: duplicate exception for ${e.rule} on ${e.resource}`);
    seen.add(key);
    return { ...e, line: lines[i] ?? 1 };
  });
}

/**
 * Suppresses the findings that a current exception covers; reports expired exceptions (which do
 * not suppress) and exceptions that match nothing. `now` is YYYY-MM-DD; an exception is current
 * through its expiry day.
 */
export function applyExceptions(findings: readonly Finding[], exceptions: readonly LoadedException[], now: string, file: string): Finding[] {
  const out: Finding[] = [];
  const used = new Set<LoadedException>();
  for (const f of findings) {
    const e = exceptions.find((x) => x.rule === f.ruleId && (x.resource === f.location.resourceKey || x.resource === f.location.stableKey));
    if (e) used.add(e);
    if (e && e.expires >= now) out.push({ ...f, suppression: { reason: e.reason, owner: e.owner, expires: e.expires } });
    else out.push(f);
  }
  for (const e of exceptions) {
    const location: FindingLocation = { file, line: e.line, resourceKey: `exception:${e.rule}/${e.resource}`, resourceName: `${e.rule} on ${e.resource}`, resourceType: 'exception' };
    if (e.expires < now) out.push(metaFinding(EXCEPTION_EXPIRED, location, `exception for ${e.rule} on ${e.resource} (owner ${e.owner}) expired on ${e.expires}`));
    else if (!used.has(e)) out.push(metaFinding(EXCEPTION_UNUSED, location, `exception for ${e.rule} on ${e.resource} matches no finding`));
  }
  return out;
}
