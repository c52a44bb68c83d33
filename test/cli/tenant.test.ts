/** The partner workflow: `genesis tenant init` and `genesis tenant validate` over a corpus. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesis } from '../support/cli';
import { tempDir } from '../support/tmp';
import { TEST_NOW } from '../support/dates';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const NOW = TEST_NOW;

interface Expectation {
  file: string;
  exit: number;
  path: string;
  message: string;
}

function expectationOf(file: string): Expectation {
  const head = fs.readFileSync(file, 'utf8').split('\n').slice(0, 3);
  const get = (key: string): string => {
    const line = head.find((l) => l.startsWith(`# ${key}: `));
    if (!line) throw new Error(`${file} lacks "# ${key}:"`);
    return line.slice(`# ${key}: `.length);
  };
  return { file, exit: Number(get('expect-exit')), path: get('expect-path'), message: get('expect-message') };
}

const cases = fs
  .readdirSync(CORPUS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => expectationOf(path.join(CORPUS, f)));

describe('genesis tenant validate: partner corpus', () => {
  it('has at least 10 partner specs, good and bad', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => c.exit === 0).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.exit === 2).length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases.map((c) => [path.basename(c.file), c] as const))('%s', async (_name, c) => {
    const r = await genesis('tenant', 'validate', c.file, '--now', NOW);
    expect(r.code).toBe(c.exit);
    if (c.exit === 0) {
      expect(r.stdout).toMatch(/^valid: .*: tenant [a-z0-9-]+ /);
      expect(r.stderr).toBe('');
    } else {
      const line = r.stderr
        .split('\n')
        .find((l) => l.includes(`${path.basename(c.file)}:`) && l.includes(`: ${c.path}: `));
      if (!line) throw new Error(`expected a problem at ${c.path}; got:\n${r.stderr}`);
      expect(line).toContain(c.message);
    }
  });

  it('lets an existing tenant revise its own spec, counting its old quota as free', async () => {
    const r = await genesis(
      'tenant',
      'validate',
      path.join(CORPUS, 'good-aurora-ai-revision.tenant.yaml'),
      '--now',
      NOW,
    );
    expect(r.stdout).toContain('gw-gpu/h100: 16 H100 GPUs (nvidia.com/gpu); 0 of 32 left after this tenant');
    expect(r.stdout).toContain(
      'gw-gpu/l40s: 8 L40S time-sliced x4 (nvidia.com/gpu); 8 of 64 left after this tenant',
    );
  });
});

describe('genesis tenant validate: revisions of partner files', () => {
  const dir = tempDir();
  const folder = path.join(dir, 'partners');
  const original = path.join(folder, 'orbit-labs.tenant.yaml');
  beforeAll(() => {
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(CORPUS, 'good-orbit-labs.tenant.yaml'), original);
  });

  it('validates a file that is already in the tenants folder without counting it twice', async () => {
    const r = await genesis('tenant', 'validate', original, '--tenants', folder, '--now', NOW);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'gw-gpu/l40s: 8 L40S time-sliced x4 (nvidia.com/gpu); 8 of 64 left after this tenant',
    );
  });

  it('lets a revised copy replace the folder file of the same tenant', async () => {
    const revised = path.join(dir, 'orbit-labs.v2.yaml');
    fs.writeFileSync(
      revised,
      fs
        .readFileSync(original, 'utf8')
        .replace('l40s: { nominal: 8, borrowing: 8 }', 'l40s: { nominal: 12, borrowing: 8 }'),
    );
    const r = await genesis('tenant', 'validate', revised, '--tenants', folder, '--now', NOW);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'gw-gpu/l40s: 12 L40S time-sliced x4 (nvidia.com/gpu); 4 of 64 left after this tenant',
    );
  });
});

describe('genesis tenant init', () => {
  const dir = tempDir();

  it('writes a commented template that validates once its placeholders are replaced', async () => {
    const file = path.join(dir, 'nova-ai.tenant.yaml');
    const r = await genesis('tenant', 'init', 'nova-ai', '--out', file, '--now', NOW);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Genesis Platform tenant spec for nova-ai\./);
    expect(text).toContain('gw-gpu/l40s                16 free of 64');
    const filled = path.join(dir, 'nova-ai.filled.yaml');
    fs.writeFileSync(
      filled,
      text
        .replace('Example Organisation Inc.', 'Nova AI Inc.')
        .replace('CRADA-0000-0000', 'CRADA-2026-0301')
        .replace('Your Name', 'Ada Nova')
        .replace('you@example.com', 'ada@nova-ai.example.org')
        .replace('Security Officer', 'Nova Security')
        .replace('security@example.com', 'security@nova-ai.example.org')
        .replace('Describe the research purpose', 'Weather model training'),
    );
    const v = await genesis('tenant', 'validate', filled, '--now', NOW);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
  });

  it('refuses to overwrite a file, to reuse a tenant id, or a bad id', async () => {
    const file = path.join(dir, 'exists.yaml');
    fs.writeFileSync(file, 'keep me');
    const again = await genesis('tenant', 'init', 'nova-ai', '--out', file, '--now', NOW);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    expect((await genesis('tenant', 'init', 'aurora-ai', '--out', path.join(dir, 'a.yaml'))).stderr).toMatch(
      /already declared in the platform spec/,
    );
    expect((await genesis('tenant', 'init', 'Bad_Id', '--out', path.join(dir, 'b.yaml'))).stderr).toMatch(
      /DNS-1123/,
    );
  });

  it('exits 2 on a missing or unknown subcommand', async () => {
    expect((await genesis('tenant')).code).toBe(2);
    expect((await genesis('tenant', 'frob')).stderr).toMatch(/unknown tenant command "frob"/);
  });
});

describe('genesis tenant plan', () => {
  it('lists what a new partner adds on each target and the quota left', async () => {
    const r = await genesis(
      'tenant',
      'plan',
      path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
      '--now',
      NOW,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout).result;
    const stack = plan.aws.find((a: { artifact: string }) => a.artifact === 'Tenant-orbit-labs');
    expect(stack.status).toBe('new');
    expect(stack.changes).toContainEqual(expect.objectContaining({ change: 'add', type: 'AWS::IAM::Role' }));
    const ns = plan.k8s.find(
      (a: { artifact: string }) => a.artifact === 'govcloud-west/gw-gpu/tenant-orbit-labs.yaml',
    );
    expect(ns.changes).toContainEqual({ change: 'add', type: 'v1 Namespace', name: 'tenant-orbit-labs' });
    expect(ns.changes).toContainEqual(
      expect.objectContaining({
        change: 'add',
        type: 'v1 PersistentVolumeClaim',
        name: 'tenant-orbit-labs/dataset-noaa-reanalysis',
      }),
    );
    const cluster = plan.k8s.find(
      (a: { artifact: string }) => a.artifact === 'govcloud-west/gw-gpu/cluster.yaml',
    );
    expect(cluster.changes).toContainEqual({
      change: 'add',
      type: 'kueue.x-k8s.io/v1beta2 ClusterQueue',
      name: 'tenant-orbit-labs',
    });
    // Nothing of other tenants or of the on-prem cluster changes.
    expect(plan.k8s.every((a: { artifact: string }) => a.artifact.startsWith('govcloud-west/gw-gpu/'))).toBe(
      true,
    );
    expect(plan.quota).toEqual([
      {
        cluster: 'gw-gpu',
        pool: 'l40s',
        units: 'L40S time-sliced x4 (nvidia.com/gpu)',
        capacity: 64,
        others: 48,
        tenant: 8,
        free: 8,
      },
    ]);
  });

  it('shows a revision as changes to the existing tenant only', async () => {
    const r = await genesis(
      'tenant',
      'plan',
      path.join(CORPUS, 'good-aurora-ai-revision.tenant.yaml'),
      '--now',
      NOW,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Plan for tenant aurora-ai/);
    expect(r.stdout).toContain('govcloud-west/gw-gpu/tenant-aurora-ai.yaml (changed');
    expect(r.stdout).toContain('tenant-aurora-ai/dataset-noaa-reanalysis');
    expect(r.stdout).not.toMatch(/Tenant-aurora-ai \(new/);
    expect(r.stdout).toMatch(/gw-gpu\/l40s .* 64 +48 +8 +8/);
  });

  it('refuses an invalid tenant spec with exit 2 and writes no plan', async () => {
    const r = await genesis('tenant', 'plan', path.join(CORPUS, 'bad-over-quota.tenant.yaml'), '--now', NOW);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
