/** Exit codes and usage errors shared by every command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatProblem, type SpecProblem } from '../infra/model';

export const EXIT_OK = 0;
/** Policy findings at error severity. */
export const EXIT_FINDINGS = 1;
/** Invalid input or usage. */
export const EXIT_INVALID = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be used, said in one sentence (exit 2, without the command's help). */
export class InputFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFailure';
  }
}

/** Strict option parsing: unknown options and missing values are usage errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = 0,
): { values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string }; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: allowPositionals > 0 });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if (parsed.positionals.length > allowPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[allowPositionals]}"`);
  }
  return parsed as never;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** The command's result as data: the `result` of `--json` output. */
  result?(data: unknown): void;
  /** A problem that does not stop the command (an expired grant, for one). */
  warn?(problem: SpecProblem): void;
  /** Progress of a long step; shown on a terminal only. */
  progress?(message: string): void;
  /** The command failed on its input: the `error` and `problems` of `--json` output. */
  fail?(message: string, problems: readonly SpecProblem[]): void;
}

/** Reports a failure on the input and gives exit code 2; on stderr when `io` has no fail channel. */
export function failInput(
  io: Io,
  command: string,
  message: string,
  problems: readonly SpecProblem[] = [],
): number {
  if (io.fail) io.fail(message, problems);
  else {
    io.err(`genesis ${command}: ${message}${problems.length > 0 ? ':' : ''}\n`);
    for (const p of problems) io.err(`  ${formatProblem(p)}\n`);
  }
  return EXIT_INVALID;
}

/** Reports a warning through `io`, as a line on stderr when it has no warning channel. */
export function warn(io: Io, problem: SpecProblem): void {
  if (io.warn) io.warn(problem);
  else io.err(`warning: ${formatProblem(problem)}\n`);
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
