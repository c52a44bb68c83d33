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

/** Written into a staging folder at once: the id of the process that builds it. */
export const STAGING_MARKER = '.genesis-staging';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes staging folders of `target` that an interrupted run left: ours (they carry the staging
 * marker) and whose process is gone, and previous outputs (`*.old`, with the output marker) that
 * no live staging folder still owns. Anything else beside the target is left alone.
 */
export function sweepStaleStaging(target: string): string[] {
  const dest = path.resolve(target);
  const parent = path.dirname(dest);
  const prefix = `.${path.basename(dest)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const ownerPid = (dir: string): number | undefined => {
    try {
      const pid = Number(fs.readFileSync(path.join(dir, STAGING_MARKER), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const removed: string[] = [];
  for (const name of names) {
    const dir = path.join(parent, name);
    const pid = ownerPid(name.endsWith('.old') ? dir.slice(0, -'.old'.length) : dir);
    const stale = name.endsWith('.old')
      ? fs.existsSync(path.join(dir, OUTPUT_MARKER)) && (pid === undefined || !alive(pid))
      : pid !== undefined && !alive(pid);
    if (!stale) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Lets the event loop deliver pending signals. Synthesis is synchronous work: a build that awaits
 * this between its steps can be interrupted there (and its staging folder removed).
 */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * While the staging folder is built, Ctrl-C and SIGTERM remove it before the process ends. The
 * handlers are installed before the folder is created: a signal that arrived between the two,
 * with no handler yet, would take the default action and kill the process with the folder left.
 * They stay installed until the process exits: a second signal during the removal (Ctrl-C reaches
 * a process from the terminal and again from a parent that forwards it) is ignored, where the
 * default action would kill the process with the folder half removed.
 */
function cleanUpOnSignal(): { watch: (staging: string) => void; release: () => void } {
  let ending = false;
  let watched: string | undefined;
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = (): void => {
      if (ending) return;
      ending = true;
      if (watched) fs.rmSync(watched, { recursive: true, force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    };
    process.on(signal, handler);
    return () => void process.removeListener(signal, handler);
  });
  return {
    watch: (staging) => {
      watched = staging;
    },
    release: () => handlers.forEach((off) => off()),
  };
}

export async function writeDirAtomically<T>(
  target: string,
  build: (staging: string) => Promise<T> | T,
): Promise<T> {
  assertReplaceable(target);
  const dest = path.resolve(target);
  const parent = path.dirname(dest);
  fs.mkdirSync(parent, { recursive: true });
  sweepStaleStaging(target);
  const { watch, release } = cleanUpOnSignal();
  let staging: string;
  try {
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dest)}.tmp-`));
  } catch (e) {
    release();
    throw e;
  }
  watch(staging);
  try {
    fs.writeFileSync(path.join(staging, STAGING_MARKER), `${process.pid}\n`);
    // mkdtemp creates the folder readable by its owner only; output is meant to be shared
    // (GitOps agents, reviewers), so give it the mode a plain mkdir would.
    fs.chmodSync(staging, 0o777 & ~process.umask());
    await yieldToSignals();
    const result = await build(staging);
    await yieldToSignals();
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT);
    fs.rmSync(path.join(staging, STAGING_MARKER), { force: true });
    const previous = fs.existsSync(dest) ? `${staging}.old` : undefined;
    if (previous) fs.renameSync(dest, previous);
    fs.renameSync(staging, dest);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
    return result;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    release();
  }
}
