/**
 * Issue 13.8 and 13.9: what users of a command line expect. --version; --json on every command,
 * for success and failure, one shape on stdout; --help on every command and subcommand; plain
 * text to pipes (colour and progress only on a terminal, NO_COLOR respected); shell completion
 * built from the registered commands; the exceptions file checked with every problem and line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completionModel, completionScript } from '../../cli/completion';
import { colourEnabled, terminalIo } from '../../cli/terminal';
import { genesisBin } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';

const dir = tempDir('genesis-conventions-');
const SHAPE = ['command', 'error', 'exitCode', 'ok', 'output', 'problems', 'result', 'warnings'];
const version = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'),
).version;

describe('--version and --help', () => {
  it('prints the version', () => {
    const r = genesisBin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`genesis ${version}\n`);
  });

  it.each([
    ['validate'],
    ['inventory'],
    ['synth'],
    ['check'],
    ['schema'],
    ['tenant'],
    ['tenant', 'init'],
    ['tenant', 'validate'],
    ['tenant', 'plan'],
    ['completion'],
  ])('genesis %s ... --help', (...words) => {
    const r = genesisBin([...words, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^genesis ${words[0]}`));
    expect(r.stderr).toBe('');
  });
});

describe('--json', () => {
  const run = (args: string[]) => {
    const r = genesisBin([...args, '--json']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual(SHAPE);
    expect(report.exitCode).toBe(r.code);
    expect(report.ok).toBe(r.code === 0);
    return report;
  };

  it('validate: the result as data', () => {
    expect(run(['validate', '--now', TEST_NOW]).result).toMatchObject({
      platform: 'genesis',
      sites: 3,
      tenants: 7,
      grants: 12,
      federations: 1,
    });
  });

  it('inventory: the inventory as the result', () => {
    expect(run(['inventory', '--now', TEST_NOW]).result).toMatchObject({
      platform: 'genesis',
      now: TEST_NOW,
      totals: { gpus: { guaranteed: 248, maximum: 304 } },
    });
  });

  it('schema, tenant init, completion: a result each', () => {
    expect(run(['schema', '--kind', 'tenant']).result.title).toBe('Genesis Platform tenant spec');
    expect(
      run(['tenant', 'init', 'nova', '--out', path.join(dir, 'nova.yaml'), '--now', TEST_NOW]).result,
    ).toEqual({ tenant: 'nova', file: path.join(dir, 'nova.yaml') });
    expect(run(['completion', 'bash']).output).toContain('complete -F _genesis_complete genesis');
  });

  it('invalid input: the problems, with file and line, and exit 2', () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      'apiVersion: genesis.platform/v1\nkind: Platform\nmetadata: { name: x }\nsites: []\n',
    );
    const report = run(['validate', '--spec', bad, '--now', TEST_NOW]);
    expect(report).toMatchObject({
      command: 'validate',
      exitCode: 2,
      ok: false,
      result: null,
      error: 'invalid input (1 problem)',
    });
    expect(report.problems).toEqual([
      { file: bad, path: 'sites', line: 4, column: 8, message: 'must declare at least one site' },
    ]);
  });

  it('usage errors and unknown commands', () => {
    expect(run(['validate', '--frob'])).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/Unknown option '--frob'/),
    });
    expect(run(['frobnicate'])).toMatchObject({
      command: 'frobnicate',
      exitCode: 2,
      error: 'unknown command "frobnicate"',
    });
    expect(run(['tenant', 'plan'])).toMatchObject({
      command: 'tenant plan',
      exitCode: 2,
      error: 'missing tenant spec file',
    });
  });

  it('check: unreadable input as an error', () => {
    expect(run(['check', path.join(dir, 'nothing-here')])).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/^unreadable input: /),
    });
  });
});

describe('the exceptions file', () => {
  it('lists every problem at once, each with file:line', () => {
    const out = path.join(dir, 'artifacts');
    fs.mkdirSync(path.join(out, 'k8s', 'site', 'cluster'), { recursive: true });
    fs.writeFileSync(
      path.join(out, 'k8s', 'site', 'cluster', 'ns.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n',
    );
    const file = path.join(dir, 'exceptions.yaml');
    fs.writeFileSync(
      file,
      [
        'exceptions:',
        '  - rule: GEN-AWS-DP-001',
        '    resource: aws:Site-x/Key',
        '    reason: short',
        '    owner: not-an-email',
        '    expires: 2027-01-31',
        '  - rule: GEN-AWS-DP-001',
        '    resource: aws:Site-x/Other',
        '    reason: An accepted risk, reviewed by the security office',
        '    owner: security@example.gov',
        '    expires: 2027-02-30',
        '    approver: someone',
        '',
      ].join('\n'),
    );
    const r = genesisBin(['check', out, '--targets', 'k8s', '--exceptions', file, '--now', TEST_NOW]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(lines).toEqual([
      `  ${file}:4:13: exceptions[0].reason: must explain the accepted risk (at least 20 characters)`,
      `  ${file}:5:12: exceptions[0].owner: must be the email of the accountable owner`,
      `  ${file}:11:14: exceptions[1].expires: is not a calendar date`,
      `  ${file}:12:15: exceptions[1].approver: is not a known field (rule, resource, reason, owner, expires)`,
    ]);
    expect(r.stderr).toMatch(/^genesis check: invalid exceptions file \(4 problems\):/);
  });
});

describe('terminals and pipes', () => {
  it('writes no colour codes and no progress to a pipe', () => {
    const r = genesisBin(['validate', '--now', '2027-04-15']);
    expect(r.stderr).toMatch(/^warning: /);
    expect(r.stdout + r.stderr).not.toContain('\u001b[');
  });

  it('colours warnings and shows progress on a terminal, without colour under NO_COLOR', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (t: string) => written.push(t) };
    const io = terminalIo(tty, tty, {});
    io.progress?.('synth: aws');
    io.warn?.({ file: 'p.yaml', path: 'grants[0].expires', line: 3, column: 1, message: 'expired' });
    expect(written).toEqual([
      '\u001b[2m… synth: aws\u001b[0m\n',
      '\u001b[33mwarning:\u001b[0m p.yaml:3:1: grants[0].expires: expired\n',
    ]);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    const pipe = { isTTY: false, write: (t: string) => written.push(t) };
    written.length = 0;
    terminalIo(pipe, pipe, {}).progress?.('synth: aws');
    expect(written).toEqual([]);
  });
});

describe('shell completion', () => {
  it('is built from the registered commands, so a new command completes by registering', () => {
    const model = completionModel({
      reach: { HELP: 'genesis reach [DIR] [--from ENCLAVE] [--to ENCLAVE]\n\nWhat reaches what.' },
      tenant: { HELP: 'genesis tenant init|validate|plan\n  --spec FILE' },
    });
    expect(model.commands).toEqual([
      { name: 'reach', subcommands: [], options: ['--from', '--help', '--json', '--to'] },
      { name: 'tenant', subcommands: ['init', 'validate', 'plan'], options: ['--help', '--json', '--spec'] },
    ]);
    expect(completionScript('bash', model)).toContain('reach) words="--from --help --json --to" ;;');
    expect(completionScript('zsh', model)).toContain(
      'tenant) candidates=(init validate plan --help --json --spec) ;;',
    );
  });

  it('bash: a script bash accepts, completing commands and options', () => {
    const r = genesisBin(['completion', 'bash']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'inventory', 'synth', 'check', 'schema', 'tenant', 'completion'])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('--aws-outputs');
    expect(r.stdout).toContain('inventory) words="--csv --help --json --now --spec --tenants" ;;');
    const script = path.join(dir, 'genesis.bash');
    fs.writeFileSync(script, r.stdout);
    const probe = `source ${script}; COMP_WORDS=(genesis tenant p); COMP_CWORD=2; _genesis_complete; echo "\${COMPREPLY[@]}"; COMP_WORDS=(genesis synth --aws); COMP_CWORD=2; _genesis_complete; echo "\${COMPREPLY[@]}"`;
    const b = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
    expect(b.status).toBe(0);
    expect(b.stdout.split('\n').slice(0, 2)).toEqual(['plan', '--aws-outputs']);
  });

  it('zsh: a script for compdef; an unknown shell is a usage error', () => {
    expect(genesisBin(['completion', 'zsh']).stdout).toMatch(/^#compdef genesis\n/);
    const r = genesisBin(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected "bash" or "zsh", not "fish"/);
  });
});
