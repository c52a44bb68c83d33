/** Problems found in spec files, and how they are shown to people. */
import type { core } from 'zod';
import { formatProblem, ProblemsError, type Problem } from '../util/problems';

export { formatProblem };

/** A problem of a spec file: always names the file and the path into it. */
export interface SpecProblem extends Problem {
  readonly file: string;
  readonly path: string;
}

/** Thrown when a spec is invalid; carries every problem found, not just the first. */
export class SpecError extends ProblemsError {
  declare readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    super('invalid spec', problems);
    this.message = problems.map(formatProblem).join('\n');
    this.name = 'SpecError';
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(root)';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  undefined: 'missing',
  null: 'null',
};

function describeValue(input: unknown): string {
  if (input === undefined) return 'missing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return TYPE_NAMES[typeof input] ?? typeof input;
}

/** Turns one zod issue into plain sentences, one per offending path. */
export function describeZodIssue(issue: core.$ZodIssue): Array<{ path: PropertyKey[]; message: string }> {
  const path = [...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        path: [...path, k],
        message: 'is not a known field (check the spelling)',
      }));
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) return [{ path, message: 'is required' }];
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return [{ path, message: `must be ${expected}, not ${describeValue(input)}` }];
    }
    case 'invalid_value':
      return [
        {
          path,
          message: `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}`,
        },
      ];
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc) {
        const at = path[path.length - 1] === disc ? path : [...path, disc];
        return [{ path: at, message: 'has a value that matches none of the allowed variants' }];
      }
      // A union of object shapes: report the branch that got furthest (fewest problems).
      const branches = issue.errors.map((errs) =>
        errs.flatMap((e) => describeZodIssue({ ...e, path: [...path, ...e.path] } as core.$ZodIssue)),
      );
      branches.sort((a, b) => a.length - b.length);
      return branches[0]?.length ? branches[0] : [{ path, message: 'matches none of the allowed forms' }];
    }
    case 'too_small':
      if (issue.origin === 'array')
        return [
          {
            path,
            message: issue.message.startsWith('Too small')
              ? `must have at least ${issue.minimum} item(s)`
              : issue.message,
          },
        ];
      if (issue.origin === 'string')
        return [
          {
            path,
            message: issue.message.startsWith('Too small')
              ? `must be at least ${issue.minimum} character(s)`
              : issue.message,
          },
        ];
      return [{ path, message: `must be at least ${issue.minimum}` }];
    case 'too_big':
      if (issue.origin === 'string')
        return [
          {
            path,
            message: issue.message.startsWith('Too big')
              ? `must be at most ${issue.maximum} characters`
              : issue.message,
          },
        ];
      if (issue.origin === 'array') return [{ path, message: `must have at most ${issue.maximum} item(s)` }];
      return [{ path, message: `must be at most ${issue.maximum}` }];
    case 'invalid_key':
      return [{ path, message: 'has an invalid key: ' + issue.issues.map((i) => i.message).join('; ') }];
    default:
      return [{ path, message: issue.message }];
  }
}
