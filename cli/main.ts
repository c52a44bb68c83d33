/**
 * The `genesis` command line: dispatch, the options every command has (`--help`, `--json`), and
 * the mapping of failures to exit codes. A command registers in COMMANDS with its HELP (first
 * line: `genesis <name> [sub|commands] [options]`) and `run`; help, JSON output and shell
 * completion then work for it without more code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpecError, formatProblem } from '../infra/model';
import type { Problem } from '../infra/util/problems';
import { UnsafeOutputError } from '../infra/util/atomic-dir';
import { countOf, ProblemsError } from '../infra/util/problems';
import { stableJson } from '../infra/util/stable-json';
import { completionModel, completionScript, isShell } from './completion';
import { terminalIo } from './terminal';
import { EXIT_INVALID, EXIT_OK, InputFailure, UsageError, type Io } from './usage';

export interface Command {
  readonly HELP: string;
  run(args: string[], io: Io): number | Promise<number>;
}

const completion: Command = {
  HELP: `genesis completion bash|zsh

Prints a shell completion script for genesis. Load it in the current shell with
  source <(npx genesis completion bash)      # or: zsh`,
  run(args, io) {
    const [shell, ...rest] = args;
    if (!isShell(shell) || rest.length > 0)
      throw new UsageError(`expected "bash" or "zsh"${shell ? `, not "${[shell, ...rest].join(' ')}"` : ''}`);
    io.out(completionScript(shell, completionModel(COMMANDS)));
    return EXIT_OK;
  },
};

/**
 * A command loaded on first use: `genesis validate`, `genesis tenant validate` or `--version` do not
 * load the AWS and Kubernetes targets and the policy engine (about 0.6 s of start-up each time).
 */
function onFirstUse(load: () => Command): Command {
  let loaded: Command | undefined;
  const command = (): Command => (loaded ??= load());
  return {
    get HELP() {
      return command().HELP;
    },
    run: (args, io) => command().run(args, io),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- each command's module is loaded on first use */
const COMMANDS: Record<string, Command> = {
  validate: onFirstUse(() => require('./commands/validate') as Command),
  inventory: onFirstUse(() => require('./commands/inventory') as Command),
  schema: onFirstUse(() => require('./commands/schema') as Command),
  synth: onFirstUse(() => require('./commands/synth') as Command),
  check: onFirstUse(() => require('./commands/check') as Command),
  access: onFirstUse(() => require('./commands/access') as Command),
  reach: onFirstUse(() => require('./commands/reach') as Command),
  diff: onFirstUse(() => require('./commands/diff') as Command),
  merge: onFirstUse(() => require('./commands/merge') as Command),
  tenant: onFirstUse(() => require('./commands/tenant') as Command),
  completion,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  return `Usage: genesis <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.HELP.split('\n')[0]}`)
  .join('\n')}

Options of every command:
  --help     what the command does and its options
  --json     one JSON object on stdout: {command, exitCode, ok, result, problems, warnings, error, output}
  --version  the version of genesis

Run "genesis <command> --help" for details.
Exit codes: 0 success, 1 policy findings at error severity, 2 invalid input or usage.
`;
}

export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The shape of `--json` output, the same for every command and for success and failure. */
export interface JsonReport {
  readonly command: string;
  readonly exitCode: number;
  readonly ok: boolean;
  readonly result: unknown;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly error: string | null;
  /** What the command printed for people, on stdout. */
  readonly output: string;
}

/** Runs a command; failures become an exit code and a message (or a field of the JSON report). */
async function runCommand(
  command: Command,
  args: string[],
  io: Io,
  fail: (message: string, problems?: readonly Problem[]) => void,
): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof SpecError) {
      fail(`invalid input (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'})`, e.problems);
      return EXIT_INVALID;
    }
    if (e instanceof ProblemsError) {
      fail(`${e.heading} (${countOf(e.problems.length, 'problem')})`, e.problems);
      return EXIT_INVALID;
    }
    if (e instanceof UnsafeOutputError) {
      fail(`refusing to write output: ${e.message}`);
      return EXIT_INVALID;
    }
    if (e instanceof InputFailure) {
      fail(e.message);
      return EXIT_INVALID;
    }
    if (e instanceof UsageError) {
      fail(e.message);
      io.err(`\n${command.HELP}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
}

/** `--json`: the command's human output is kept in `output`, stdout gets one JSON object. */
async function runJson(name: string, command: Command | undefined, args: string[], io: Io): Promise<number> {
  const report = {
    command: name,
    result: null as unknown,
    problems: [] as Problem[],
    warnings: [] as Problem[],
    error: null as string | null,
    output: '',
  };
  const inner: Io = {
    out: (t) => void (report.output += t),
    err: (t) => io.err(t),
    result: (data) => void (report.result = data),
    warn: (p) => void report.warnings.push(p),
    progress: io.progress,
    fail: (message, problems) => {
      report.error = message;
      report.problems.push(...problems);
    },
  };
  let code: number;
  if (!command) {
    report.error = `unknown command "${name}"`;
    code = EXIT_INVALID;
  } else {
    try {
      code = await runCommand(command, args, inner, (message, problems = []) => {
        report.error = message;
        report.problems.push(...problems);
      });
    } catch (e) {
      report.error = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      code = EXIT_INVALID;
    }
  }
  const out: JsonReport = { ...report, exitCode: code, ok: code === EXIT_OK };
  io.out(stableJson(out));
  return code;
}

export async function main(
  argv: string[],
  io: Io = terminalIo(process.stdout, process.stderr, process.env),
): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const [name, ...args] = rest;
  if (name === '--version' || name === '-V') {
    if (json)
      io.out(
        stableJson({
          command: 'version',
          exitCode: 0,
          ok: true,
          result: { version: version() },
          problems: [],
          warnings: [],
          error: null,
          output: '',
        }),
      );
    else io.out(`genesis ${version()}\n`);
    return EXIT_OK;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS[args[0] ?? ''] : undefined;
    io.out(topic ? `${topic.HELP}\n` : usage());
    return name ? EXIT_OK : EXIT_INVALID;
  }
  const command = COMMANDS[name];
  if (command && (args.includes('--help') || args.includes('-h'))) {
    io.out(`${command.HELP}\n`);
    return EXIT_OK;
  }
  const label = [
    name,
    ...(command && /\|/.test(command.HELP.split('\n')[0]) && args[0] && !args[0].startsWith('-')
      ? [args[0]]
      : []),
  ].join(' ');
  if (json) return runJson(label, command, args, io);
  if (!command) {
    io.err(`genesis: unknown command "${name}"\n\n${usage()}`);
    return EXIT_INVALID;
  }
  return runCommand(command, args, io, (message, problems = []) => {
    io.err(`genesis ${name}: ${message}${problems.length > 0 ? ':' : ''}\n`);
    for (const p of problems) io.err(`  ${formatProblem(p)}\n`);
  });
}

export { EXIT_OK };
