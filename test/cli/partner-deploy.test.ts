/**
 * Issue 13.4 and 13.10: `tenant plan` prints deploy commands that work as printed (the CDK app
 * sees the partner's file, and deploys only the tenant stack); `tenant init` of a taken id says
 * what to do; the template's placeholders do not validate; `genesis check` reads the CDK
 * assembly that the printed command builds, and writes its report where --report says.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesisBin, ROOT } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';
import { cdk8sApp, cdkApp } from '../support/apps';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const dir = tempDir('genesis-partner-');

describe('tenant plan: deploy steps', () => {
  const partners = path.join(dir, 'partners');
  const file = path.join(partners, 'orbit-labs.tenant.yaml');
  const outdir = path.join(dir, 'cdk.out');
  let steps: Array<{ who: string; command: string }> = [];

  beforeAll(() => {
    fs.mkdirSync(partners);
    fs.copyFileSync(path.join(CORPUS, 'good-orbit-labs.tenant.yaml'), file);
    const r = genesisBin(['tenant', 'plan', file, '--tenants', partners, '--now', TEST_NOW, '--json']);
    expect(r.code).toBe(0);
    steps = JSON.parse(r.stdout).result.deploy;
  });

  it('names the tenants folder and --exclusively in every cdk deploy, the tenant stack for the partner', () => {
    expect(steps).toContainEqual(
      expect.objectContaining({
        who: 'partner',
        command: `npx cdk deploy Tenant-orbit-labs --exclusively -c tenants=${partners}`,
      }),
    );
    for (const s of steps.filter((x) => x.command.startsWith('npx cdk deploy')))
      expect(s.command).toMatch(new RegExp(`^npx cdk deploy \\S+ --exclusively -c tenants=${partners}$`));
    const text = genesisBin(['tenant', 'plan', file, '--tenants', partners, '--now', TEST_NOW]).stdout;
    expect(text).toContain(`npx cdk deploy Tenant-orbit-labs --exclusively -c tenants=${partners}`);
  });

  it('tells a partner without a folder to copy the file into one first', () => {
    const r = genesisBin([
      'tenant',
      'plan',
      path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
      '--now',
      TEST_NOW,
      '--json',
    ]);
    const deploy = JSON.parse(r.stdout).result.deploy as Array<{ command: string }>;
    expect(deploy[0].command).toBe(
      `mkdir -p partners && cp ${path.join(CORPUS, 'good-orbit-labs.tenant.yaml')} partners/`,
    );
    expect(deploy.map((s) => s.command)).toContain(
      'npx cdk deploy Tenant-orbit-labs --exclusively -c tenants=partners',
    );
  });

  it('the partner command, run with synth for deploy, finds the stack (no "No stacks match")', () => {
    const step = steps.find((s) => s.who === 'partner' && s.command.startsWith('npx cdk deploy'))!;
    const args = step.command.split(' ').slice(1);
    expect(args.slice(0, 3)).toEqual(['cdk', 'deploy', 'Tenant-orbit-labs']);
    // What `cdk deploy` would run: the app, with the context the command gives.
    const context = Object.fromEntries(args.flatMap((a, i) => (args[i - 1] === '-c' ? [a.split('=')] : [])));
    const r = spawnSync(...cdkApp(), {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_VALIDATION: 'false',
        CDK_CONTEXT_JSON: JSON.stringify({ ...context, now: TEST_NOW }),
        CDK_OUTDIR: outdir,
      },
      timeout: 180_000,
    });
    expect(r.status).toBe(0);
    expect(
      Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).artifacts),
    ).toContain('Tenant-orbit-labs');
  });

  it('genesis check reads that cdk.out directly and writes the report where --report says', () => {
    const report = path.join(dir, 'review');
    const r = genesisBin(['check', outdir, '--report', report, '--now', TEST_NOW, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.error).toBeNull();
    expect(out.result.input).toBe('cdk-assembly');
    expect(out.result.summary.stacks).toBe(7);
    expect(fs.readdirSync(report).sort()).toEqual(
      expect.arrayContaining(['findings.json', 'findings.sarif', 'report.md']),
    );
    expect(fs.existsSync(path.join(outdir, 'report'))).toBe(false);
  });
});

describe('genesis check of a cdk8s output folder', () => {
  it('places each chart file by its header and judges it', () => {
    const published = path.join(dir, 'dist-cdk8s');
    const r = spawnSync(...cdk8sApp(), {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        GENESIS_NOW: TEST_NOW,
        GENESIS_CDK8S_OUT: published,
        CDK8S_OUTDIR: path.join(dir, 'scratch'),
      },
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const c = JSON.parse(
      genesisBin(['check', published, '--report', path.join(dir, 'k8s-review'), '--now', TEST_NOW, '--json'])
        .stdout,
    );
    expect(c.error).toBeNull();
    expect(c.result.input).toBe('cdk8s');
    expect(c.result.summary.k8sDocuments).toBeGreaterThan(50);
    expect(c.ok).toBe(true);
    fs.writeFileSync(
      path.join(published, 'stray.k8s.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n',
    );
    const bad = genesisBin(['check', published, '--report', path.join(dir, 'k8s-review'), '--now', TEST_NOW]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/stray\.k8s\.yaml: has no "# genesis: site=\.\.\. cluster=\.\.\." first line/);
  });
});

describe('tenant init and the template', () => {
  it('init of a tenant of the spec says where it is declared and how to revise it', () => {
    const r = genesisBin([
      'tenant',
      'init',
      'aurora-ai',
      '--out',
      path.join(dir, 'a.yaml'),
      '--now',
      TEST_NOW,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /tenant "aurora-ai" \(Aurora AI Inc\.\) is already declared in the platform spec infra\/default\/platform\.yaml, not in a tenant file/,
    );
    expect(r.stderr).not.toMatch(/edit its spec instead/);
  });

  it('init of a tenant that has a file in the folder names that file', () => {
    const partners = path.join(dir, 'init-partners');
    fs.mkdirSync(partners);
    fs.copyFileSync(path.join(CORPUS, 'good-orbit-labs.tenant.yaml'), path.join(partners, 'orbit.yaml'));
    const r = genesisBin([
      'tenant',
      'init',
      'orbit-labs',
      '--tenants',
      partners,
      '--out',
      path.join(dir, 'o.yaml'),
      '--now',
      TEST_NOW,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /tenant "orbit-labs" \(.*\) already has a tenant file, .*orbit\.yaml: edit that file/,
    );
  });

  it("the template's placeholders fail tenant validate, each named", () => {
    const file = path.join(dir, 'nova.tenant.yaml');
    expect(genesisBin(['tenant', 'init', 'nova', '--out', file, '--now', TEST_NOW]).code).toBe(0);
    const r = genesisBin(['tenant', 'validate', file, '--now', TEST_NOW, '--json']);
    expect(r.code).toBe(2);
    const paths = JSON.parse(r.stdout).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'tenant.organisation',
        'tenant.agreement.id',
        'tenant.contacts[0].email',
        'tenant.contacts[1].email',
        'grants[0].purpose',
      ]),
    );
  });
});
