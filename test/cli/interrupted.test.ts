/**
 * Issue 13.3: an interrupted synth leaves no staging folder (and the next run removes those an
 * earlier crash left); `npx cdk8s synth` with an invalid spec leaves dist-cdk8s/ as it was.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGING_MARKER, sweepStaleStaging, writeDirAtomically } from '../../infra/util/atomic-dir';
import { BIN, ROOT, startGenesis } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';
import { cdk8sApp } from '../support/apps';

const dir = tempDir('genesis-interrupted-');
const staging = (parent: string): string[] => fs.readdirSync(parent).filter((f) => f.includes('.tmp-'));
const deadPid = (): number =>
  Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
      .stdout,
  );

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('genesis synth, interrupted', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while it writes: no staging folder is left, nothing is published',
    async (signal) => {
      const parent = fs.mkdtempSync(path.join(dir, 'run-'));
      const child = startGenesis(['synth', '--out', path.join(parent, 'out'), '--now', TEST_NOW]);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      await waitFor(() => staging(parent).length > 0, 60_000);
      child.kill(signal);
      const { code } = await exited;
      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(fs.readdirSync(parent)).toEqual([]);
    },
  );
});

describe('genesis synth in AWS workers, interrupted', () => {
  // The workers' parts live in the temporary folder until the synthesis ends; so does the
  // validator the workers ask. SIGTERM while the workers run must leave neither, nor a worker.
  it('SIGTERM once the workers run: no staging folder, no parts, no worker left', async () => {
    const parent = fs.mkdtempSync(path.join(dir, 'workers-'));
    const tmp = fs.mkdtempSync(path.join(dir, 'workers-tmp-'));
    const child = startGenesis(['synth', '--out', path.join(parent, 'out'), '--now', TEST_NOW], {
      env: { GENESIS_AWS_WORKERS: '2', CDK_VALIDATION: 'true', TMPDIR: tmp },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const parts = (): string[] => fs.readdirSync(tmp).filter((f) => f.startsWith('genesis-aws-parts-'));
    await waitFor(() => parts().length > 0 && staging(parent).length > 0, 60_000);
    // the workers are started: their job files are written
    await waitFor(
      () => fs.readdirSync(path.join(tmp, parts()[0])).some((f) => f.startsWith('job-1')),
      60_000,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(fs.readdirSync(parent)).toEqual([]);
    // a worker left running would write its part again
    await new Promise((r) => setTimeout(r, 3000));
    expect(parts()).toEqual([]);
  }, 120_000);
});

describe('genesis synth, Ctrl-C from a terminal', () => {
  // A terminal signals the whole process group: the command's child gets SIGINT from it and again
  // from the parent that forwards it; the second must not cut the clean-up short.
  it('the process group gets SIGINT: no staging folder is left, exit 130', async () => {
    const parent = fs.mkdtempSync(path.join(dir, 'group-'));
    const child = spawn(
      process.execPath,
      [BIN, 'synth', '--out', path.join(parent, 'out'), '--now', TEST_NOW],
      {
        cwd: ROOT,
        detached: true,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => staging(parent).length > 0, 60_000);
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(130);
    await waitFor(() => fs.readdirSync(parent).length === 0, 10_000);
  });
});

describe('a signal as the staging folder is created', () => {
  // The race a poll-and-kill test hits only now and then, made certain: the process signals itself
  // the moment mkdtemp returns. With a handler installed the signal waits for the event loop and
  // the folder is removed; without one its default action would kill the process there and then.
  it('finds the clean-up installed: exit 143 and no staging folder', () => {
    const parent = fs.mkdtempSync(path.join(dir, 'race-'));
    const script = `
      const fs = require('node:fs');
      const mkdtemp = fs.mkdtempSync;
      fs.mkdtempSync = (...args) => {
        const made = mkdtemp(...args);
        process.kill(process.pid, 'SIGTERM');
        return made;
      };
      const { writeDirAtomically } = require(${JSON.stringify(path.join(ROOT, 'infra/util/atomic-dir.ts'))});
      writeDirAtomically(${JSON.stringify(path.join(parent, 'out'))}, () => {});
    `;
    const r = spawnSync(process.execPath, ['-r', path.join(ROOT, 'cli/register.cjs'), '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 143, signal: null });
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});

describe('staging folders of crashed runs', () => {
  it('are removed by the next run when theirs and their process is gone; others are kept', async () => {
    const parent = fs.mkdtempSync(path.join(dir, 'sweep-'));
    const stale = path.join(parent, '.out.tmp-stale1');
    const live = path.join(parent, '.out.tmp-live01');
    const foreign = path.join(parent, '.out.tmp-foreign');
    for (const d of [stale, live, foreign]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(stale, STAGING_MARKER), `${deadPid()}\n`);
    fs.writeFileSync(path.join(live, STAGING_MARKER), `${process.pid}\n`);
    expect(sweepStaleStaging(path.join(parent, 'out'))).toEqual([stale]);
    await writeDirAtomically(path.join(parent, 'out'), (s) => fs.writeFileSync(path.join(s, 'a'), 'a'));
    expect(fs.readdirSync(parent).sort()).toEqual(['.out.tmp-foreign', '.out.tmp-live01', 'out']);
  });
});

describe('npx cdk8s synth', () => {
  it('with an invalid spec exits non-zero and leaves dist-cdk8s/ as it was', () => {
    const published = path.join(dir, 'dist-cdk8s');
    const scratch = path.join(dir, 'cdk8s-scratch');
    const env = { ...process.env, GENESIS_NOW: TEST_NOW, GENESIS_CDK8S_OUT: published };
    const good = spawnSync(...cdk8sApp(), {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, CDK8S_OUTDIR: scratch },
      timeout: 120_000,
    });
    expect(good.status).toBe(0);
    const files = fs.readdirSync(published).sort();
    expect(files).toContain('gw-gpu-cluster.k8s.yaml');
    expect(fs.readFileSync(path.join(published, 'gw-gpu-cluster.k8s.yaml'), 'utf8')).toMatch(
      /^# genesis: site=govcloud-west cluster=gw-gpu /,
    );
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: genesis.platform/v1\nkind: Platform\n\tmetadata: {}\n');
    const r = spawnSync('npx', ['cdk8s', 'synth', '--check-upgrade=false', '--output', scratch], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, GENESIS_SPEC: bad },
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/bad\.yaml:3:1: \(syntax\): a tab indents this line/);
    expect(fs.readdirSync(published).sort()).toEqual(files);
  });
});
