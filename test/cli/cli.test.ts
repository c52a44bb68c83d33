/** The command line: exit codes, usage errors, validation summary and all-or-nothing output. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesis } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir();

describe('genesis CLI', () => {
  it('validates the embedded default platform', async () => {
    const r = await genesis('validate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^valid: genesis \(1 file\): 3 sites, 4 enclaves, 4 storage tiers, 3 clusters, 7 datasets, 7 tenants, 12 grants, 1 federation\n/,
    );
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['validate', '--spce', 'x.yaml'], /Unknown option '--spce'/],
    [['validate', 'extra'], /unexpected argument '?"?extra/i],
    [['synth', '--out'], /argument missing/],
    [[], /Usage: genesis <command>/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const r = await genesis(...args);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it('prints help with exit 0', async () => {
    const r = await genesis('synth', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^genesis synth/);
  });

  it('reports an unreadable spec file by name with exit 2', async () => {
    const r = await genesis('validate', '--spec', path.join(dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml: \(file\): does not exist \(no such file\)$/m);
  });

  it('refuses to replace a file, a folder it did not write, or the working directory', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'important');
    const foreign = path.join(dir, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'keep.txt'), 'mine');
    for (const [out, message] of [
      [file, /exists and is not a folder/],
      [foreign, /a folder that genesis did not write/],
      ['.', /is the working directory or one of its parents/],
      [path.dirname(process.cwd()), /is the working directory or one of its parents/],
    ] as const) {
      const r = await genesis('synth', '--out', out, '--now', '2026-11-26');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('important');
    expect(fs.readdirSync(foreign)).toEqual(['keep.txt']);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('marks its output so that the next run may replace it, and makes it readable', async () => {
    const out = path.join(dir, 'marked');
    expect((await genesis('synth', '--out', out, '--now', '2026-11-26')).code).toBe(0);
    expect(fs.existsSync(path.join(out, '.genesis-output'))).toBe(true);
    expect(fs.statSync(out).mode & 0o055).toBe(0o055 & ~process.umask());
    expect((await genesis('synth', '--out', out, '--now', '2026-11-26')).code).toBe(0);
  });

  it('keeps the previous output when a later synth fails', async () => {
    const out = path.join(dir, 'keep');
    expect((await genesis('synth', '--out', out)).code).toBe(0);
    const before = fs.readFileSync(path.join(out, 'platform.json'), 'utf8');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: genesis.platform/v1\nkind: Platform\n');
    const r = await genesis('synth', '--spec', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(out, 'platform.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
