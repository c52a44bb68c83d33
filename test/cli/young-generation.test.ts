/**
 * cli/genesis.cjs runs the commands that synthesize or analyse a whole platform in a child process
 * with larger V8 semi-spaces, and repeats its exit; light commands run in the first process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesisBin } from '../support/bin';
import { tempDir } from '../support/tmp';

const dir = tempDir('genesis-semi-space-');

/** The V8 options of every genesis process a command starts (a preload records them). */
function processesOf(args: readonly string[]): { code: number | null; execArgv: string[][] } {
  const log = path.join(dir, `${args[0]}-${Date.now()}.log`);
  const preload = path.join(dir, 'record.cjs');
  fs.writeFileSync(
    preload,
    // main threads only: a loader or worker thread runs the preload too
    `if (require('node:worker_threads').isMainThread) require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.execArgv) + '\\n');`,
  );
  const r = genesisBin(args, { env: { NODE_OPTIONS: `--require ${preload}` } });
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: r.code, execArgv: lines.map((l) => JSON.parse(l) as string[]) };
}

test('a whole-platform command runs in a child with larger semi-spaces, and exits as it does', () => {
  const r = processesOf(['check', path.join(dir, 'no-such-output')]);
  expect(r.code).toBe(2);
  expect(r.execArgv).toHaveLength(2);
  expect(r.execArgv[0]).not.toContain('--max-semi-space-size=64');
  expect(r.execArgv[1]).toContain('--max-semi-space-size=64');
});

test('a light command runs in the first process', () => {
  for (const args of [
    ['validate', '--help'],
    ['tenant', '--help'],
  ]) {
    const r = processesOf(args);
    expect(r.code).toBe(0);
    expect(r.execArgv).toHaveLength(1);
  }
});

test('tenant plan runs in a child with larger semi-spaces', () => {
  const r = processesOf(['tenant', 'plan', path.join(dir, 'no-such.tenant.yaml')]);
  expect(r.code).toBe(2);
  expect(r.execArgv).toHaveLength(2);
  expect(r.execArgv[1]).toContain('--max-semi-space-size=64');
});
