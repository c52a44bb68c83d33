/**
 * All-or-nothing output folders. Commands build their output in a staging folder beside the
 * target and rename it into place only when every step succeeded, so a failed run leaves the
 * previous output (or nothing) and never a half-written folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function writeDirAtomically<T>(target: string, build: (staging: string) => Promise<T> | T): Promise<T> {
  const dest = path.resolve(target);
  const parent = path.dirname(dest);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dest)}.tmp-`));
  try {
    const result = await build(staging);
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
