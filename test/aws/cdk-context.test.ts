/** `cdk synth -c spec=... -c tenants=... -c now=...`: the CDK CLI entry point reads its spec from context. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SPEC } from '../../infra/model';
import { cdkApp } from '../support/apps';

const ROOT = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-cdk-context-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const original = fs.readFileSync(DEFAULT_SPEC, 'utf8');
function specFile(name: string, from: string, to: string): string {
  if (!original.includes(from)) throw new Error(`default spec no longer contains ${from}`);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, original.replace(from, to));
  return file;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_VALIDATION: 'false', ...env },
    timeout: 120_000,
  });

describe('cdk.json app', () => {
  it('an invalid spec: the app prints each problem as file:line:column: path: message and exits 2, without a stack trace', () => {
    const bad = specFile('bad.yaml', '    kind: aws\n', '    kind: azure\n');
    const r = run(...cdkApp(), {
      CDK_CONTEXT_JSON: JSON.stringify({ spec: bad, now: '2026-11-26' }),
      CDK_OUTDIR: path.join(tmp, 'out-bad'),
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\S*bad\.yaml:\d+:\d+: \S+: .+$/);
    expect(r.stderr).toContain('sites[0].kind');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('-c tenants= adds the partner tenant files of a folder, and GENESIS_TENANTS is the fallback', () => {
    const dir = path.join(tmp, 'partners');
    fs.mkdirSync(dir);
    for (const f of ['good-coastal-univ.tenant.yaml', 'good-orbit-labs.tenant.yaml'])
      fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'partners', f), path.join(dir, f));
    const stacksIn = (out: string): string[] =>
      fs
        .readdirSync(out)
        .filter((f) => f.startsWith('Tenant-') && f.endsWith('.template.json'))
        .sort();
    const fromContext = path.join(tmp, 'out-context');
    const a = run(...cdkApp(), {
      CDK_CONTEXT_JSON: JSON.stringify({ tenants: dir, now: '2026-11-26' }),
      CDK_OUTDIR: fromContext,
    });
    expect(a.stderr).not.toMatch(/ERROR|Error:/);
    expect(a.status).toBe(0);
    expect(stacksIn(fromContext)).toEqual(
      expect.arrayContaining(['Tenant-coastal-univ.template.json', 'Tenant-orbit-labs.template.json']),
    );
    const orbit = JSON.parse(
      fs.readFileSync(path.join(fromContext, 'Tenant-orbit-labs.template.json'), 'utf8'),
    );
    expect(
      Object.values<any>(orbit.Resources)
        .filter((r) => r.Type === 'AWS::S3::Bucket')
        .map((r) => r.Properties.BucketName),
    ).toEqual(['genesis-tenant-111122223333-orbit-labs-objects']);

    const fromEnv = path.join(tmp, 'out-env');
    const b = run(...cdkApp(), {
      CDK_CONTEXT_JSON: JSON.stringify({ now: '2026-11-26' }),
      GENESIS_TENANTS: dir,
      CDK_OUTDIR: fromEnv,
    });
    expect(b.status).toBe(0);
    expect(stacksIn(fromEnv)).toEqual(stacksIn(fromContext));
  });

  it('`npx cdk synth -c spec=` of an invalid spec fails and shows the problem; of a valid variant, synthesizes it', () => {
    const bad = specFile('bad-cli.yaml', '    kind: aws\n', '    kind: azure\n');
    const failed = run('npx', [
      'cdk',
      'synth',
      '-q',
      '-o',
      path.join(tmp, 'out-cli-bad'),
      '-c',
      `spec=${bad}`,
      '-c',
      'now=2026-11-26',
    ]);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/bad-cli\.yaml:\d+:\d+: sites\[0\]\.kind: /);

    const variant = specFile('variant.yaml', 'storage: { objects: 100Ti }', 'storage: { objects: 150Ti }');
    const out = path.join(tmp, 'out-cli-variant');
    const ok = run(
      'npx',
      ['cdk', 'synth', '-q', '-o', out, '-c', `spec=${variant}`, '-c', 'now=2026-11-26'],
      { GENESIS_SPEC: path.join(tmp, 'does-not-exist.yaml') },
    );
    expect(ok.stderr).not.toMatch(/does-not-exist/);
    expect(ok.status).toBe(0);
    const helix = JSON.parse(fs.readFileSync(path.join(out, 'Tenant-helix-bio.template.json'), 'utf8'));
    const bucket = Object.values<any>(helix.Resources).find((r) => r.Type === 'AWS::S3::Bucket');
    expect(bucket.Properties.Tags).toContainEqual({ Key: 'genesis:storage-quota', Value: '150Ti' });
  });
});
