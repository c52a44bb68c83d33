/**
 * All-or-nothing output folders. Commands build their output in a staging folder beside the
 * target and rename it into place only when every step succeeded, so a failed run leaves the
 * previous output (or nothing) and never a half-written folder.
 *
 * Replacing a folder deletes it, so only a folder that genesis wrote may be replaced: each output
 * folder carries a marker file, and a target that is a file, a non-empty folder without the
 * marker, or the working directory (or one of its parents) is refused before anything is built.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file that marks a folder as genesis output, safe to replace. */
export const OUTPUT_MARKER = '.genesis-output';
const MARKER_TEXT = 'This folder is written by genesis and replaced as a whole on the next run.\n';

/** The output target cannot be replaced safely. */
export class UnsafeOutputError extends Error {
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`${target}: ${reason}`);
    this.name = 'UnsafeOutputError';
  }
}

/** Throws UnsafeOutputError unless `target` is absent, empty, or a folder genesis wrote. */
export function assertReplaceable(target: string): void {
  const dest = path.resolve(target);
  const cwd = process.cwd();
  const rel = path.relative(dest, cwd);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new UnsafeOutputError(
      target,
      'is the working directory or one of its parents; choose an output folder inside it',
    );
  }
  if (!fs.existsSync(dest)) return;
  const stat = fs.lstatSync(dest);
  if (!stat.isDirectory())
    throw new UnsafeOutputError(target, 'exists and is not a folder; choose another output path');
  const entries = fs.readdirSync(dest);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new UnsafeOutputError(
      target,
      `is a folder that genesis did not write (no ${OUTPUT_MARKER}); choose another output path or empty it`,
    );
  }
}

export async function writeDirAtomically<T>(
  target: string,
  build: (staging: string) => Promise<T> | T,
): Promise<T> {
  assertReplaceable(target);
  const dest = path.resolve(target);
  const parent = path.dirname(dest);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dest)}.tmp-`));
  try {
    // mkdtemp creates the folder readable by its owner only; output is meant to be shared
    // (GitOps agents, reviewers), so give it the mode a plain mkdir would.
    fs.chmodSync(staging, 0o777 & ~process.umask());
    const result = await build(staging);
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT);
    const previous = fs.existsSync(dest) ? `${staging}.old` : undefined;
    if (previous) fs.renameSync(dest, previous);
    fs.renameSync(staging, dest);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
    return result;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
