/**
 * A folder removed while another thread keeps adding files and folders to it (as the validator
 * thread and a just-signalled worker may, stacks/aws/parallel.ts) is gone afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { removeDirWhileWritten } from '../../infra/util/remove-dir';
import { tempDir } from '../support/tmp';

const root = tempDir('genesis-remove-dir-');

// Writes into the folder (a subfolder of files, then an answer file) until it is told to stop,
// which it sees only after the writing under way (as a signalled worker ends its system call, and
// a terminated thread its answer); it never creates the folder itself (nor do the writers in
// parallel.ts), and stops when the folder is gone.
const WRITER = `
const fs = require('node:fs');
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const shared = new Int32Array(workerData.shared);
for (let i = 0; Atomics.load(shared, 1) === 0; i++) {
  try {
    const sub = path.join(workerData.dir, 'sub-' + i);
    fs.mkdirSync(sub);
    for (let j = 0; j < 50; j++) fs.writeFileSync(path.join(sub, 'f' + j), 'x');
    fs.writeFileSync(path.join(workerData.dir, 'answer-' + i + '.json'), '{}');
    Atomics.add(shared, 0, 1);
  } catch (e) {
    if (!fs.existsSync(workerData.dir)) break;
  }
}
`;

async function removedWhileWritten(dir: string): Promise<number> {
  fs.mkdirSync(dir);
  // [0]: rounds written; [1]: stop
  const shared = new SharedArrayBuffer(8);
  const counter = new Int32Array(shared);
  const writer = new Worker(WRITER, { eval: true, workerData: { dir, shared } });
  const ended = new Promise<void>((resolve, reject) => {
    writer.on('exit', () => resolve());
    writer.on('error', reject);
  });
  // the writer is under way, with files in the folder
  while (Atomics.load(counter, 0) < 50) await new Promise((r) => setTimeout(r, 5));
  const before = Atomics.load(counter, 0);
  Atomics.store(counter, 1, 1);
  removeDirWhileWritten(dir);
  expect(fs.existsSync(dir)).toBe(false);
  await ended;
  expect(fs.existsSync(dir)).toBe(false);
  return Atomics.load(counter, 0) - before;
}

describe('removeDirWhileWritten', () => {
  it('removes a folder another thread keeps writing into, and nothing recreates it', async () => {
    const during: number[] = [];
    for (let run = 0; run < 5; run++) during.push(await removedWhileWritten(path.join(root, `run-${run}`)));
    // the writer did add to the folder while it was being removed
    expect(during.some((n) => n > 0)).toBe(true);
  }, 60_000);

  it('removes a folder no one writes, and a folder that is not there', () => {
    const dir = path.join(root, 'quiet');
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'b', 'c'), 'c');
    removeDirWhileWritten(dir);
    expect(fs.existsSync(dir)).toBe(false);
    expect(() => removeDirWhileWritten(dir)).not.toThrow();
  });

  it('passes on other errors at once', () => {
    const file = path.join(root, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => removeDirWhileWritten(path.join(file, 'below'))).toThrow(/ENOTDIR/);
  });
});
