/**
 * Issue 13.1: a tenant file for a tenant of the spec is a revision and replaces it, the same way
 * in every command: `validate --tenants`, `synth --tenants`, `tenant validate|plan` with the
 * folder, and the CDK app with `-c tenants=`. Never "duplicate tenant", never its GPUs twice.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesisBin, ROOT } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';
import { cdkApp } from '../support/apps';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const dir = tempDir('genesis-revisions-');
const partners = path.join(dir, 'partners');
fs.mkdirSync(partners);
fs.copyFileSync(
  path.join(CORPUS, 'good-aurora-ai-revision.tenant.yaml'),
  path.join(partners, 'aurora-ai.tenant.yaml'),
);
fs.copyFileSync(
  path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
  path.join(partners, 'orbit-labs.tenant.yaml'),
);

const json = (args: string[]) => {
  const r = genesisBin([...args, '--now', TEST_NOW, '--json']);
  return { ...r, report: JSON.parse(r.stdout) };
};

describe('a revision in the tenants folder', () => {
  it('validate --tenants: replaces the tenant (7 tenants of the spec + orbit-labs), no duplicate', () => {
    const r = json(['validate', '--tenants', partners]);
    expect(r.report.problems).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.result).toMatchObject({ tenants: 8, files: 3 });
  });

  it('tenant validate of another partner file against that folder passes, and counts aurora-ai once', () => {
    const other = genesisBin([
      'tenant',
      'validate',
      path.join(partners, 'orbit-labs.tenant.yaml'),
      '--tenants',
      partners,
      '--now',
      TEST_NOW,
    ]);
    expect(other.stderr).toBe('');
    expect(other.code).toBe(0);
    const revision = genesisBin([
      'tenant',
      'validate',
      path.join(partners, 'aurora-ai.tenant.yaml'),
      '--tenants',
      partners,
      '--now',
      TEST_NOW,
    ]);
    expect(revision.code).toBe(0);
    // Its 16 H100s of the spec are replaced by the revision's 16, not added to them.
    expect(revision.stdout).toContain(
      'gw-gpu/h100: 16 H100 GPUs (nvidia.com/gpu); 0 of 32 left after this tenant',
    );
  });

  it('tenant plan with the folder shows a change of aurora-ai, not a new tenant', () => {
    const r = json(['tenant', 'plan', path.join(partners, 'aurora-ai.tenant.yaml'), '--tenants', partners]);
    expect(r.code).toBe(0);
    expect(r.report.result.tenant).toBe('aurora-ai');
  });

  it('synth --tenants writes one aurora-ai, as revised', () => {
    const out = path.join(dir, 'out');
    const r = genesisBin(['synth', '--tenants', partners, '--out', out, '--now', TEST_NOW]);
    expect(r.stderr).not.toMatch(/duplicate/);
    expect(r.code).toBe(0);
    const platform = JSON.parse(fs.readFileSync(path.join(out, 'platform.json'), 'utf8'));
    const aurora = platform.tenants.filter((t: { id: string }) => t.id === 'aurora-ai');
    expect(aurora).toHaveLength(1);
    expect(aurora[0].quotas.gpu['gw-gpu'].l40s.nominal).toBe(8);
    expect(
      platform.grants
        .filter((g: { tenant: string }) => g.tenant === 'aurora-ai')
        .map((g: { dataset: string }) => g.dataset),
    ).toEqual(['nih-genomics', 'dhs-grid-telemetry', 'noaa-reanalysis']);
  });

  it('the CDK app with -c tenants= synthesizes the revised tenant', () => {
    const outdir = path.join(dir, 'cdk.out');
    const r = spawnSync(...cdkApp(), {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_VALIDATION: 'false',
        CDK_CONTEXT_JSON: JSON.stringify({ tenants: partners, now: TEST_NOW }),
        CDK_OUTDIR: outdir,
      },
      timeout: 180_000,
    });
    expect(r.stderr).not.toMatch(/duplicate/);
    expect(r.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.artifacts)).toEqual(
      expect.arrayContaining(['Tenant-aurora-ai', 'Tenant-orbit-labs']),
    );
  });

  it('two files of one tenant in the folder are still a duplicate', () => {
    const twice = path.join(dir, 'twice');
    fs.mkdirSync(twice);
    fs.copyFileSync(path.join(partners, 'aurora-ai.tenant.yaml'), path.join(twice, 'a.yaml'));
    fs.copyFileSync(path.join(partners, 'aurora-ai.tenant.yaml'), path.join(twice, 'b.yaml'));
    const r = json(['validate', '--tenants', twice]);
    expect(r.code).toBe(2);
    expect(r.report.problems).toEqual([
      expect.objectContaining({
        file: expect.stringContaining('b.yaml'),
        path: 'tenant.id',
        message: expect.stringMatching(/duplicate tenant "aurora-ai"/),
      }),
    ]);
  });
});
