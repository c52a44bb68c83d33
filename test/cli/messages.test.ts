/**
 * Issue 13.6 and 13.7: one mistake, one message; plain sentences for what the file system says;
 * a size cap on input files. Counted through `--json`, whose `problems` list what a person reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SPEC } from '../../infra/model';
import { genesisBin } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';

const dir = tempDir('genesis-messages-');
const original = fs.readFileSync(DEFAULT_SPEC, 'utf8');

/** The default spec with one line edited; the edit must match exactly once. */
function edited(name: string, from: string, to: string): string {
  expect(original.split(from).length).toBe(2);
  const file = path.join(dir, name);
  fs.writeFileSync(file, original.replace(from, to));
  return file;
}

function problems(args: string[]): Array<{ file: string; path: string; line?: number; message: string }> {
  const r = genesisBin([...args, '--now', TEST_NOW, '--json']);
  expect(r.code).toBe(2);
  const report = JSON.parse(r.stdout);
  expect(report.ok).toBe(false);
  return report.problems;
}

describe('one mistake, one message', () => {
  it('a tab that indents a line', () => {
    const file = edited('tab.yaml', '    organisation: Aurora AI Inc.\n', '\torganisation: Aurora AI Inc.\n');
    expect(problems(['validate', '--spec', file])).toEqual([
      expect.objectContaining({
        path: '(syntax)',
        message: 'a tab indents this line; YAML indents with spaces only',
      }),
    ]);
  });

  it('a misspelt key: "did you mean", not also "is required"', () => {
    const file = edited(
      'typo.yaml',
      '    organisation: Aurora AI Inc.\n',
      '    organization: Aurora AI Inc.\n',
    );
    expect(problems(['validate', '--spec', file])).toEqual([
      expect.objectContaining({
        path: 'tenants[3].organization',
        message: 'is not a known field; did you mean "organisation"?',
      }),
    ]);
  });

  it('a wrong enclave id of a cluster (its tenants are not told their cluster is elsewhere)', () => {
    const file = edited(
      'cluster-enclave.yaml',
      '    site: govcloud-west\n    enclave: gw-cui\n',
      '    site: govcloud-west\n    enclave: gw-cuj\n',
    );
    expect(problems(['validate', '--spec', file])).toEqual([
      expect.objectContaining({
        path: 'clusters[0].enclave',
        message: 'unknown enclave "gw-cuj"; did you mean "gw-cui"?',
      }),
    ]);
  });

  it('a misspelt enclave id where it is declared: one message at its first use', () => {
    const file = edited('enclave-id.yaml', '  - id: gw-cui\n', '  - id: gw-cuj\n');
    const found = problems(['validate', '--spec', file]);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(
      /^unknown enclave "gw-cui"; did you mean "gw-cuj"\? \(named \d+ more times below\)$/,
    );
  });

  it('a Platform file in the tenants folder', () => {
    const tenants = path.join(dir, 'tenants');
    fs.mkdirSync(tenants);
    fs.copyFileSync(DEFAULT_SPEC, path.join(tenants, 'platform.yaml'));
    expect(problems(['validate', '--tenants', tenants])).toEqual([
      expect.objectContaining({
        path: 'kind',
        message: expect.stringMatching(/^is "Platform": this file is not a tenant file \(kind: Tenant\)/),
      }),
    ]);
  });
});

describe('files: plain sentences and a size cap', () => {
  it.each([
    ['a folder', () => dir, 'is a folder, not a file'],
    ['a missing file', () => path.join(dir, 'missing.yaml'), 'does not exist (no such file)'],
    [
      'a path through a file',
      () => path.join(edited('plain.yaml', 'kind: Platform\n', 'kind: Platform\n'), 'x.yaml'),
      'cannot be reached: a part of its path is a file, not a folder',
    ],
  ])('%s', (_name, spec, message) => {
    const found = problems(['validate', '--spec', spec()]);
    expect(found).toEqual([expect.objectContaining({ path: '(file)', message })]);
    expect(JSON.stringify(found)).not.toMatch(/EISDIR|ENOENT|ENOTDIR/);
  });

  it('a tenants folder that is a file', () => {
    expect(problems(['validate', '--tenants', DEFAULT_SPEC])).toEqual([
      expect.objectContaining({ path: '(folder)', message: 'is a file, not a folder' }),
    ]);
  });

  it('a 6 MB binary: one problem and a short output', () => {
    const big = path.join(dir, 'big.bin');
    const bytes = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    fs.writeFileSync(big, bytes);
    const r = genesisBin(['validate', '--spec', big, '--now', TEST_NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.bin: \(file\): is 6\.0 MB; spec files may be at most 5\.0 MB/);
    expect(r.stderr.length).toBeLessThan(500);
  });

  it('a small binary file: not a text file', () => {
    const bin = path.join(dir, 'small.bin');
    fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    expect(problems(['validate', '--spec', bin])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/is not a text file/) }),
    ]);
  });
});
