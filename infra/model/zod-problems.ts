/**
 * zod issues of one file as located problems, with cascades collapsed: a misspelt key is one
 * problem ("is not a known field; did you mean ...?") instead of that and "is required" for the
 * field it was meant to be.
 */
import type { z } from 'zod';
import { describeZodIssue, type SpecProblem } from './problems';
import { editDistance } from './spelling';
import { problem, type ParsedFile } from './spec-file';

type Described = { path: Array<string | number>; message: string };

const UNKNOWN = 'is not a known field (check the spelling)';
const REQUIRED = 'is required';

function similar(typed: string, meant: string): boolean {
  const a = typed.toLowerCase();
  const b = meant.toLowerCase();
  return editDistance(a, b) <= Math.max(2, Math.floor(b.length / 4)) || a.startsWith(b) || b.startsWith(a);
}

const parentKey = (p: ReadonlyArray<string | number>): string => JSON.stringify(p.slice(0, -1));

/** Pairs each unknown key with a missing sibling field it resembles, and merges the two. */
export function collapseMisspellings(described: readonly Described[]): Described[] {
  const missing = described.filter(
    (d) => d.message === REQUIRED && typeof d.path[d.path.length - 1] === 'string',
  );
  const taken = new Set<Described>();
  const merged = new Map<Described, Described>();
  for (const d of described) {
    if (d.message !== UNKNOWN) continue;
    const typed = String(d.path[d.path.length - 1]);
    const match = missing.find(
      (m) =>
        !taken.has(m) &&
        parentKey(m.path) === parentKey(d.path) &&
        similar(typed, String(m.path[m.path.length - 1])),
    );
    if (!match) continue;
    taken.add(match);
    merged.set(d, {
      path: d.path,
      message: `is not a known field; did you mean "${String(match.path[match.path.length - 1])}"?`,
    });
  }
  return described.filter((d) => !taken.has(d)).map((d) => merged.get(d) ?? d);
}

/** Every zod issue of a file's parse, described and located, misspellings collapsed. */
export function describeZodIssues(error: z.ZodError): Described[] {
  const described = error.issues.flatMap((issue) =>
    describeZodIssue(issue).map((d) => ({
      path: d.path.map((s) => (typeof s === 'symbol' ? String(s) : (s as string | number))),
      message: d.message,
    })),
  );
  return collapseMisspellings(described);
}

export function zodProblems(parsed: ParsedFile, error: z.ZodError): SpecProblem[] {
  return describeZodIssues(error).map((d) => problem(parsed, d.path, d.message));
}
