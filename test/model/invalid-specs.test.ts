/** Every invalid spec of the corpus exits 2, names the file and the path, and writes nothing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { INVALID_SPECS } from '../fixtures/invalid-specs';
import { genesis } from '../support/cli';
import { TEST_NOW } from '../support/dates';
import { defaultSpecData } from '../support/default-spec';
import { tempDir } from '../support/tmp';

const root = tempDir();

describe('invalid spec corpus', () => {
  it('has at least 25 cases with distinct names', () => {
    expect(INVALID_SPECS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(INVALID_SPECS.map((c) => c.name)).size).toBe(INVALID_SPECS.length);
  });

  it.each(INVALID_SPECS.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const dir = path.join(root, `case-${i}`);
    fs.mkdirSync(dir);
    const ext = 'raw' in c.spec ? (c.spec.ext ?? 'yaml') : 'yaml';
    const specFile = path.join(dir, `platform.${ext}`);
    if ('raw' in c.spec) {
      fs.writeFileSync(specFile, c.spec.raw);
    } else {
      const data = defaultSpecData();
      c.spec(data);
      fs.writeFileSync(specFile, stringify(data));
    }
    const args = [
      '--spec',
      specFile,
      ...(c.args ?? []),
      ...(c.args?.includes('--now') ? [] : ['--now', TEST_NOW]),
    ];
    if (c.tenants) {
      const tdir = path.join(dir, 'tenants');
      fs.mkdirSync(tdir);
      for (const [name, text] of Object.entries(c.tenants)) fs.writeFileSync(path.join(tdir, name), text);
      args.push('--tenants', tdir);
    }
    const out = path.join(dir, 'out');
    const result = await genesis('synth', ...args, '--out', out);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('  '));
    const file = c.file ?? path.basename(specFile);
    const match = lines.find(
      (l) => l.includes(`${file}`) && l.includes(`: ${c.path}: `) && c.message.test(l),
    );
    if (!match)
      throw new Error(`no problem at ${file} ${c.path} matching ${c.message}; got:\n${result.stderr}`);
    expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    // Nothing written: neither the output folder nor a staging folder beside it.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('out') || f.startsWith('.out'))).toEqual([]);
  });
});
