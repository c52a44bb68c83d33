/**
 * Removes a folder that other processes or threads may still be writing into as it goes: the
 * parallel AWS synthesis's parts (stacks/aws/parallel.ts), removed as the process exits while a
 * worker process it has just signalled (one system call may still land) or the validator thread
 * (which writes answer files until it is stopped) adds a file. Node's `fs.rmSync` lists a folder,
 * removes what it listed and then the folder: a file added in between makes it throw ENOTEMPTY
 * and leave the folder. Its `maxRetries` retries only the last step, which fails again, so this
 * removes the whole folder again until it is gone. Once it is gone nothing recreates it: the
 * writers write into it and do not create it.
 */
import * as fs from 'node:fs';

const ATTEMPTS = 50;
const PAUSE_MS = 10;

/** Removes `dir` and everything in it, again while writers add files (at most about half a second). */
export function removeDirWhileWritten(dir: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= ATTEMPTS || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw e;
      // synchronous: this runs in `exit` listeners, where no timer fires
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
    }
  }
}
