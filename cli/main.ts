/** The `genesis` command line: dispatch, and the mapping of failures to exit codes. */
import { SpecError, formatProblem } from '../infra/model';
import { UnsafeOutputError } from '../infra/util/atomic-dir';
import * as access from './commands/access';
import * as check from './commands/check';
import * as schema from './commands/schema';
import * as synth from './commands/synth';
import * as tenant from './commands/tenant';
import * as validate from './commands/validate';
import { EXIT_INVALID, EXIT_OK, processIo, UsageError, type Io } from './usage';

interface Command {
  readonly HELP: string;
  run(args: string[], io: Io): number | Promise<number>;
}

const COMMANDS: Record<string, Command> = { validate, schema, synth, check, access, tenant };

const USAGE = `Usage: genesis <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.HELP.split('\n')[0]}`)
  .join('\n')}

Run "genesis <command> --help" for details.
Exit codes: 0 success, 1 policy findings at error severity, 2 invalid input or usage.
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? EXIT_OK : EXIT_INVALID;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`genesis: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_INVALID;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.HELP}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof SpecError) {
      io.err(`genesis ${name}: invalid input (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}):\n`);
      for (const p of e.problems) io.err(`  ${formatProblem(p)}\n`);
      return EXIT_INVALID;
    }
    if (e instanceof UnsafeOutputError) {
      io.err(`genesis ${name}: refusing to write output: ${e.message}\n`);
      return EXIT_INVALID;
    }
    if (e instanceof UsageError) {
      io.err(`genesis ${name}: ${e.message}\n\n${command.HELP}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
}

export { EXIT_OK };
