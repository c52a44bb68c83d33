/**
 * The example stacks (Pulumi.<stack>.yaml): a baseline per cluster, a stack per default partner on
 * its home cluster (where it submits; federation workers get its work from there), each valid and
 * each running under mocks against the baseline stack it names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { federationPlacement, loadPlatform } from '../../infra/model';
import { CONFIG_NAMESPACE, readSettings, type Settings } from '../../stacks/pulumi/settings';
import { selectTarget } from '../../stacks/pulumi/target';
import { CONFIG_GROUP, runStack, type StackRun } from './support/mock-stack';
import { TEST_NOW } from '../support/dates';

const ROOT = path.resolve(__dirname, '..', '..');
// Grants and agreements are judged against a fixed date here, so the test does not expire.
const NOW = TEST_NOW;
const platform = loadPlatform({ now: NOW }).platform;

const stacks = fs
  .readdirSync(ROOT)
  .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
  .sort()
  .map((file) => {
    const name = file.slice('Pulumi.'.length, -'.yaml'.length);
    const doc = parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { config: Record<string, string> };
    const config = Object.fromEntries(
      Object.entries(doc.config).map(([k, v]) => {
        if (!k.startsWith(`${CONFIG_NAMESPACE}:`))
          throw new Error(`${file}: ${k} is not a ${CONFIG_NAMESPACE}: key`);
        return [k.slice(CONFIG_NAMESPACE.length + 1), String(v)];
      }),
    );
    return {
      file,
      name,
      config,
      settings: readSettings({ get: (k) => config[k], keys: () => Object.keys(config) }, ROOT),
    };
  });

const baselines = stacks.filter((s) => s.settings.mode === 'baseline');
const tenants = stacks.filter(
  (s): s is typeof s & { settings: Extract<Settings, { mode: 'tenant' }> } => s.settings.mode === 'tenant',
);

describe('example stack files', () => {
  it('has a baseline stack per cluster, named after it', () => {
    expect(baselines.map((s) => [s.name, s.settings.cluster])).toEqual(
      platform.clusters.map((c) => [c.id, c.id]).sort(),
    );
  });

  it('has a stack per industry and academic tenant, named after it, on its home cluster', () => {
    const partners = platform.tenants.filter((t) => t.kind !== 'federal');
    expect(tenants.map((s) => s.name)).toEqual(partners.map((t) => t.id).sort());
    for (const s of tenants) {
      expect(s.settings.tenant).toBe(s.name);
      const target = selectTarget(s.settings, platform);
      if (target.mode !== 'tenant') throw new Error(`${s.file} is not a tenant stack`);
      // Its home cluster: in its home enclave, with quota there.
      expect(target.cluster.enclave).toBe(target.tenant.homeEnclave);
      const clusters = Object.keys(target.tenant.quotas.gpu).sort();
      expect(clusters).toContain(s.settings.cluster);
      // Quota anywhere else is on the workers of a federation it opts into, managed from the home
      // cluster: its work is submitted at home and dispatched there.
      const dispatched = federationPlacement(platform)
        .filter((q) => q.tenant === s.name && q.manager === s.settings.cluster)
        .flatMap((q) => q.workers);
      expect(clusters.filter((c) => c !== s.settings.cluster)).toEqual([...new Set(dispatched)].sort());
      // It reads the baseline stack of its own cluster.
      expect(s.settings.clusterStack).toBe(`organization/genesis/${s.settings.cluster}`);
      expect(baselines.some((b) => b.name === s.settings.cluster)).toBe(true);
    }
  });

  it('names a kubeconfig context in every stack', () => {
    for (const s of stacks) expect(s.settings.context).toMatch(new RegExp(`^${s.settings.cluster}-`));
  });

  describe('each runs under mocks', () => {
    const outputs = new Map<string, StackRun['outputs']>();

    it.each(baselines.map((s) => [s.name, s] as const))('baseline %s', async (_name, s) => {
      const run = await runStack(s.name, { ...s.config, now: NOW });
      expect(run.registrations.filter((r) => r.type === CONFIG_GROUP).length).toBeGreaterThan(0);
      outputs.set(`organization/genesis/${s.name}`, run.outputs);
    });

    it.each(tenants.map((s) => [s.name, s] as const))(
      'tenant %s, in a preview and in an update',
      async (_name, s) => {
        const ref = outputs.get(s.settings.clusterStack);
        if (!ref) throw new Error(`baseline ${s.settings.clusterStack} did not run`);
        // A preview (dry run) sees the same objects as the update: nothing waits on a value only
        // known after deployment.
        const preview = await runStack(
          s.name,
          { ...s.config, now: NOW },
          { [s.settings.clusterStack]: ref },
          true,
        );
        const run = await runStack(s.name, { ...s.config, now: NOW }, { [s.settings.clusterStack]: ref });
        const groups = (r: StackRun) =>
          r.registrations
            .filter((x) => x.type === CONFIG_GROUP)
            .map((x) => ({ name: x.name, objs: x.inputs.objs }));
        expect(groups(run).map((g) => g.name)).toEqual([`${s.settings.cluster}-tenant-${s.name}`]);
        expect(groups(preview)).toEqual(groups(run));
        expect(run.outputs.namespace).toBe(`tenant-${s.name}`);
      },
    );
  });
});
