/**
 * The program runs under the runtime Pulumi would use. Pulumi's nodejs language host starts
 *   node <runtime.options.nodeargs> <@pulumi/pulumi/cmd/run> --monitor ... --pwd <main> <entry>
 * with PULUMI_CONFIG in the environment, and sets PULUMI_NODEJS_TYPESCRIPT only when
 * `runtime.options.typescript` is true. This test builds that very command from Pulumi.yaml and
 * runs Pulumi's own runner against a fake resource monitor (no CLI, no engine, no cluster).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadPlatform } from '../../infra/model';
import { baselineGroups, tenantGroups } from '../../stacks/pulumi/objects';
import { startFakeMonitor, type FakeMonitor } from './support/fake-monitor';
import { TEST_NOW } from '../support/dates';

const ROOT = path.resolve(__dirname, '..', '..');
const NOW = TEST_NOW;
const project = parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8'));

/** What the language host does with `nodeargs` (shlex); the project's value needs no quoting. */
function splitArgs(s: string): string[] {
  if (/["'\\]/.test(s)) throw new Error(`nodeargs with quotes are not supported by this test: ${s}`);
  return s.split(/\s+/).filter(Boolean);
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly monitor: FakeMonitor;
}

interface RunOptions {
  readonly nodeargs?: string[];
  readonly otherStacks?: Record<string, Record<string, unknown>>;
  readonly env?: Record<string, string>;
  /** Working folder of the node process: the project root unless given. */
  readonly cwd?: string;
}

async function runUnderPulumi(
  stack: string,
  config: Record<string, string>,
  opts: RunOptions = {},
): Promise<Run> {
  const monitor = await startFakeMonitor(project.name, stack, opts.otherStacks);
  const programDir = path.join(ROOT, project.main);
  // The language host resolves the runner from the program folder.
  const runPath = require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDir] });
  const nodeargs = opts.nodeargs ?? splitArgs(project.runtime.options.nodeargs);
  const args = [
    ...nodeargs,
    runPath,
    '--monitor',
    monitor.address,
    '--organization',
    'acme',
    '--project',
    project.name,
    '--stack',
    stack,
    '--root-directory',
    ROOT,
    '--pwd',
    programDir,
    '--parallel',
    '4',
    '.',
  ];
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  delete env.PULUMI_NODEJS_TYPESCRIPT;
  if (project.runtime.options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  Object.assign(env, opts.env);
  // The language host passes config as "<namespace>:config:<key>".
  env.PULUMI_CONFIG = JSON.stringify(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`genesis:config:${k}`, v])),
  );
  env.PULUMI_CONFIG_SECRET_KEYS = '[]';
  try {
    return await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: opts.cwd ?? ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, monitor });
      });
    });
  } finally {
    await monitor.close();
  }
}

const platform = loadPlatform({ now: NOW }).platform;
const sortByName = (objs: any[]): any[] =>
  [...objs].sort((a, b) =>
    `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.kind}/${b.metadata.namespace}/${b.metadata.name}`,
    ),
  );

describe('Pulumi.yaml', () => {
  it("runs the TypeScript program through tsx, not through Pulumi's ts-node", () => {
    expect(project).toMatchObject({
      name: 'genesis',
      runtime: { name: 'nodejs', options: { typescript: false, nodeargs: '--require tsx/cjs' } },
      main: 'stacks/pulumi',
    });
    expect(fs.existsSync(path.join(ROOT, project.main, 'index.ts'))).toBe(true);
  });
});

describe('the program under @pulumi/pulumi/cmd/run with the Pulumi.yaml runtime options', () => {
  let baselineOutputs: Record<string, any> | undefined;

  it('deploys the le-gpu baseline and publishes its outputs on the root stack', async () => {
    const r = await runUnderPulumi('le-gpu', {
      mode: 'baseline',
      cluster: 'le-gpu',
      context: 'le-gpu-admin',
      now: NOW,
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const types = r.monitor.registrations.map((x) => `${x.type}::${x.name}`);
    expect(types).toEqual([
      'pulumi:pulumi:Stack::genesis-le-gpu',
      'pulumi:providers:kubernetes::k8s-le-gpu',
      'kubernetes:yaml/v2:ConfigGroup::le-gpu-gpu-operator',
      'kubernetes:yaml/v2:ConfigGroup::le-gpu-cluster',
    ]);
    const groups = r.monitor.registrations.filter((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup');
    // The ClusterPolicy (cluster chart) is applied after the ConfigMaps it names.
    expect(groups[1].dependencies).toContain(
      'urn:pulumi:le-gpu::genesis::kubernetes:yaml/v2:ConfigGroup::le-gpu-gpu-operator',
    );
    // Both groups are applied through the explicit provider, never the default one.
    for (const g of groups)
      expect(g.provider).toMatch(
        /^urn:pulumi:le-gpu::genesis::pulumi:providers:kubernetes::k8s-le-gpu::k8s-le-gpu-id$/,
      );
    const expected = baselineGroups(platform, 'le-gpu');
    expect(groups.map((g) => sortByName(g.inputs.objs))).toEqual(
      expected.map((g) => sortByName([...g.objects])),
    );
    baselineOutputs = r.monitor.stackOutputs();
    expect(baselineOutputs?.clusterIdentity).toEqual({
      platform: 'genesis',
      cluster: 'le-gpu',
      site: 'lab-east',
      enclave: 'le-ec',
      classification: 'export-controlled',
      kubernetesVersion: '1.34',
    });
    expect(baselineOutputs?.clusterQueues).toEqual({
      'doe-fes': 'tenant-doe-fes',
      'lattice-quantum': 'tenant-lattice-quantum',
    });
  });

  it('deploys a tenant that reads the baseline through a StackReference', async () => {
    if (!baselineOutputs) throw new Error('the baseline run did not publish outputs');
    const r = await runUnderPulumi(
      'lattice-quantum',
      {
        mode: 'tenant',
        cluster: 'le-gpu',
        tenant: 'lattice-quantum',
        clusterStack: 'acme/genesis/le-gpu',
        context: 'le-gpu-lattice',
        now: NOW,
      },
      { otherStacks: { 'acme/genesis/le-gpu': baselineOutputs } },
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const ref = r.monitor.registrations.find((x) => x.type === 'pulumi:pulumi:StackReference');
    expect(ref?.inputs.name).toBe('acme/genesis/le-gpu');
    const groups = r.monitor.registrations.filter((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup');
    expect(groups.map((g) => g.name)).toEqual(['le-gpu-tenant-lattice-quantum']);
    expect(sortByName(groups[0].inputs.objs)).toEqual(
      sortByName([...tenantGroups(platform, 'le-gpu', 'lattice-quantum')[0].objects]),
    );
    expect(r.monitor.stackOutputs()?.namespace).toBe('tenant-lattice-quantum');
  });

  it('refuses to apply a tenant whose cluster stack lacks its ClusterQueue', async () => {
    if (!baselineOutputs) throw new Error('the baseline run did not publish outputs');
    const stale = {
      ...baselineOutputs,
      clusterObjects: (baselineOutputs.clusterObjects as string[]).filter(
        (o) => o !== 'kueue.x-k8s.io/ClusterQueue/tenant-lattice-quantum',
      ),
    };
    const r = await runUnderPulumi(
      'lattice-quantum',
      {
        mode: 'tenant',
        cluster: 'le-gpu',
        tenant: 'lattice-quantum',
        clusterStack: 'acme/genesis/le-gpu',
        context: 'le-gpu-lattice',
        now: NOW,
      },
      { otherStacks: { 'acme/genesis/le-gpu': stale } },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(
      /cluster stack "acme\/genesis\/le-gpu" cannot carry this tenant:\n\s+- it does not deploy kueue\.x-k8s\.io\/ClusterQueue\/tenant-lattice-quantum/,
    );
    expect(r.monitor.registrations.filter((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup')).toEqual([]);
  });

  it('stops with the configuration problems and no stack trace before registering any Kubernetes resource', async () => {
    // Started from the program folder this time: `--require tsx/cjs` resolves from any folder of
    // the project, whichever the language host starts node in.
    const r = await runUnderPulumi(
      'broken',
      { mode: 'tenant', cluster: 'le-gpu', context: 'c', now: NOW },
      { cwd: path.join(ROOT, project.main) },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(
      /genesis: invalid stack configuration \(2 problems\):\n\s+- genesis:tenant is required when genesis:mode is "tenant"/,
    );
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(r.monitor.registrations.map((x) => x.type)).toEqual(['pulumi:pulumi:Stack']);
  });

  it('cannot load the program without the nodeargs (the option is what makes it run)', async () => {
    const r = await runUnderPulumi(
      'le-gpu',
      { mode: 'baseline', cluster: 'le-gpu', context: 'c', now: NOW },
      { nodeargs: [] },
    );
    expect(r.code).not.toBe(0);
    expect(r.monitor.registrations.filter((x) => x.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });
});
