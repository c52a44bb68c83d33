/**
 * What a terminal gets and a pipe does not: colour (unless NO_COLOR is set or TERM is dumb) and
 * progress lines on stderr. Output read by programs (a pipe, a file, CI logs) stays plain text.
 */
import { formatProblem, type SpecProblem } from '../infra/model';
import type { Io } from './usage';

export interface Stream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(stream: Stream, env: Env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

const CODES = { red: 31, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, enabled: boolean): string {
  return enabled ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

/** The Io of the process: plain text to pipes, colour and progress to a terminal. */
export function terminalIo(stdout: Stream, stderr: Stream, env: Env): Io {
  const colour = colourEnabled(stderr, env);
  return {
    out: (t) => void stdout.write(t),
    err: (t) => void stderr.write(t),
    warn: (p: SpecProblem) =>
      void stderr.write(`${paint('warning:', 'yellow', colour)} ${formatProblem(p)}\n`),
    progress: (message) => {
      if (stderr.isTTY === true) stderr.write(`${paint(`… ${message}`, 'dim', colour)}\n`);
    },
  };
}
