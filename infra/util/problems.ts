/**
 * The one problem type of the project: what is wrong, and where. Spec files, stack configuration,
 * placement on a target and artifacts all report problems in this shape, and every error that
 * carries problems is a {@link ProblemsError}, so that the CLI, the CDK and cdk8s apps and the Pulumi
 * program print them the same way: `file:line:column: path: message`.
 */
export interface Problem {
  /** The file, as the user named it (or relative to the working directory). */
  readonly file?: string;
  /** A JavaScript-like path into the file or configuration, e.g. `tenants[2].quotas.gpu.frontier`. */
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  const where =
    p.file === undefined ? undefined : p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return [where, p.path, p.message].filter((x) => x !== undefined).join(': ');
}

/** Thrown when input is invalid; carries every problem found, not just the first. */
export class ProblemsError extends Error {
  constructor(
    /** What could not be done, e.g. "invalid stack configuration". */
    readonly heading: string,
    readonly problems: readonly Problem[],
    /** How each problem line is indented in the message. */
    bullet = '  - ',
  ) {
    super(`${heading}:\n${problems.map((p) => `${bullet}${formatProblem(p)}`).join('\n')}`);
    this.name = 'ProblemsError';
  }
}

export const countOf = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
