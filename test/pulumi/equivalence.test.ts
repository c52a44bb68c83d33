/**
 * The Pulumi program applies exactly what the Kubernetes target writes: for every cluster's
 * baseline and every tenant on every cluster where it has quota, the objects of the program's
 * ConfigGroups equal, object for object and field for field, the documents of the manifest files
 * written for them by both writers of the Kubernetes target: `synthK8s` (what `genesis synth`
 * writes to k8s/<site>/<cluster>/) and the cdk8s app (`cdk8s synth`, one file per chart).
 * Together the stacks cover every file of both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthK8s } from '../../stacks/k8s/synth';
import { buildApp } from '../../stacks/k8s/main';
import { loadPlatform, type Platform } from '../../infra/model';
import { CLUSTER_STACK_OUTPUTS } from '../../stacks/pulumi/cluster-stack';
import { refOf, type KubeObject } from '../../stacks/pulumi/references';
import { tempDir } from '../support/tmp';
import {
  CONFIG_GROUP,
  K8S_PROVIDER,
  ORG,
  PROJECT,
  runStack,
  STACK_REFERENCE,
  type StackRun,
} from './support/mock-stack';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;
const platform: Platform = loadPlatform({ now: NOW }).platform;
const out = tempDir('genesis-pulumi-k8s-');
const cdk8sOut = tempDir('genesis-pulumi-cdk8s-');

/** cluster/file -> parsed documents of `synthK8s`. */
const files = new Map<string, KubeObject[]>();
/** chart id -> parsed documents of the cdk8s app (`<chart>.k8s.yaml`). */
const cdk8sFiles = new Map<string, KubeObject[]>();
const coveredCharts = new Set<string>();

function parseYaml(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as KubeObject;
    })
    .filter((d) => d !== null);
}

beforeAll(() => {
  const previous = process.env.GENESIS_NOW;
  process.env.GENESIS_NOW = NOW;
  try {
    buildApp(cdk8sOut).synth();
  } finally {
    if (previous === undefined) delete process.env.GENESIS_NOW;
    else process.env.GENESIS_NOW = previous;
  }
  for (const f of fs.readdirSync(cdk8sOut).filter((n) => n.endsWith('.k8s.yaml'))) {
    cdk8sFiles.set(
      f.slice(0, -'.k8s.yaml'.length),
      parseYaml(fs.readFileSync(path.join(cdk8sOut, f), 'utf8')),
    );
  }
  synthK8s(platform, out);
  for (const site of fs.readdirSync(out)) {
    for (const cluster of fs.readdirSync(path.join(out, site))) {
      for (const file of fs.readdirSync(path.join(out, site, cluster))) {
        files.set(
          `${cluster}/${file}`,
          parseYaml(fs.readFileSync(path.join(out, site, cluster, file), 'utf8')),
        );
      }
    }
  }
});

const byRef = (a: KubeObject, b: KubeObject): number =>
  refOf(a) < refOf(b) ? -1 : refOf(a) > refOf(b) ? 1 : 0;
const sorted = (objs: readonly KubeObject[]): KubeObject[] => [...objs].sort(byRef);

function groupsOf(run: StackRun): Array<{ name: string; objs: KubeObject[] }> {
  return run.registrations
    .filter((r) => r.type === CONFIG_GROUP)
    .map((r) => ({ name: r.name, objs: r.inputs.objs as KubeObject[] }));
}

/** Each ConfigGroup is one chart: its objects are those of the chart's file in the cdk8s output. */
function expectSameAsCdk8sCharts(run: StackRun): void {
  for (const g of groupsOf(run)) {
    const chart = cdk8sFiles.get(g.name);
    if (!chart)
      throw new Error(
        `the cdk8s app wrote no ${g.name}.k8s.yaml (it wrote: ${[...cdk8sFiles.keys()].join(', ')})`,
      );
    expect(sorted(g.objs)).toStrictEqual(sorted(chart));
    coveredCharts.add(g.name);
  }
}

function synthFiles(cluster: string, predicate: (file: string) => boolean): KubeObject[] {
  const keys = [...files.keys()].filter(
    (k) => k.startsWith(`${cluster}/`) && predicate(k.slice(cluster.length + 1)),
  );
  expect(keys.length).toBeGreaterThan(0);
  return keys.flatMap((k) => files.get(k) ?? []);
}

const clusters = platform.clusters.map((c) => c.id).sort();
const tenantCases = platform.tenants.flatMap((t) =>
  Object.keys(t.quotas.gpu)
    .filter((c) => Object.keys(t.quotas.gpu[c] ?? {}).length > 0)
    .map((c) => [t.id, c] as const),
);
const baselines = new Map<string, StackRun>();
const covered = new Set<string>();

describe.each(clusters)('baseline of %s', (cluster) => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack(cluster, { mode: 'baseline', cluster, context: `${cluster}-admin`, now: NOW });
    baselines.set(cluster, run);
  });

  it('applies the cluster-level charts of the cdk8s synth, object for object', () => {
    const expected = synthFiles(cluster, (f) => !f.startsWith('tenant-'));
    const groups = groupsOf(run);
    // GPU Operator ConfigMaps first: the ClusterPolicy in the cluster chart names them.
    expect(groups.map((g) => g.name)).toEqual([`${cluster}-gpu-operator`, `${cluster}-cluster`]);
    const applied = groups.flatMap((g) => g.objs);
    expect(applied.length).toBe(expected.length);
    expect(sorted(applied)).toStrictEqual(sorted(expected));
    expectSameAsCdk8sCharts(run);
    for (const f of files.keys())
      if (f.startsWith(`${cluster}/`) && !f.slice(cluster.length + 1).startsWith('tenant-')) covered.add(f);
  });

  it('registers one explicit provider for the named context, and nothing else', () => {
    const providers = run.registrations.filter((r) => r.type === K8S_PROVIDER);
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({
      name: `k8s-${cluster}`,
      // Provider configuration reaches the engine JSON-encoded, booleans as strings.
      inputs: {
        context: `${cluster}-admin`,
        enableServerSideApply: 'true',
        clusterIdentifier: `genesis/${cluster}`,
      },
    });
    expect(providers[0].inputs).not.toHaveProperty('enablePatchForce');
    expect(run.registrations.map((r) => r.type).sort()).toEqual(
      [...groupsOf(run).map(() => CONFIG_GROUP), K8S_PROVIDER].sort(),
    );
  });

  it('warns only about storage classes that need AWS ids it was not given', () => {
    const site = platform.clusters.find((c) => c.id === cluster)?.site;
    const expected =
      platform.sites.find((s) => s.id === site)?.kind === 'aws'
        ? ['project', 'scratch'].map((t) => `storage-class ${site}/${t}`)
        : [];
    expect(run.warnings.map((w) => w.replace(/^.*: /, ''))).toEqual(expected);
  });

  it('exports the cluster identity, objects, ClusterQueues and the namespaces they admit', () => {
    const objects = groupsOf(run).flatMap((g) => g.objs);
    const clusterDef = platform.clusters.find((c) => c.id === cluster);
    const enclave = platform.enclaves.find((e) => e.id === clusterDef?.enclave);
    expect(run.outputs[CLUSTER_STACK_OUTPUTS.identity]).toEqual({
      platform: 'genesis',
      cluster,
      site: clusterDef?.site,
      enclave: enclave?.id,
      classification: enclave?.classification,
      kubernetesVersion: clusterDef?.kubernetesVersion,
    });
    expect(run.outputs[CLUSTER_STACK_OUTPUTS.objects]).toEqual(objects.map(refOf).sort());
    const tenantsHere = tenantCases
      .filter(([, c]) => c === cluster)
      .map(([t]) => t)
      .sort();
    expect(Object.keys(run.outputs[CLUSTER_STACK_OUTPUTS.clusterQueues] as object)).toEqual(tenantsHere);
    for (const [tenant, queue] of Object.entries(
      run.outputs[CLUSTER_STACK_OUTPUTS.clusterQueues] as Record<string, string>,
    )) {
      expect(
        objects.some(
          (o) =>
            o.kind === 'ClusterQueue' &&
            o.metadata.name === queue &&
            (o.metadata.labels as Record<string, string>)['genesis.platform/tenant'] === tenant,
        ),
      ).toBe(true);
    }
    // Each tenant's ClusterQueue admits exactly the namespace its tenant stack creates.
    expect(run.outputs[CLUSTER_STACK_OUTPUTS.tenantNamespaces]).toEqual(
      Object.fromEntries(tenantsHere.map((t) => [t, `tenant-${t}`])),
    );
  });
});

describe('tenant stacks', () => {
  it('covers every default tenant on every cluster where it has quota', () => {
    expect(tenantCases.map(([t, c]) => `${t}@${c}`).sort()).toEqual([
      // aurora-ai and noaa-psl also have quota on aurora-gpu, federation national's worker.
      'aurora-ai@aurora-gpu',
      'aurora-ai@gw-gpu',
      'doe-fes@le-gpu',
      'helix-bio@gw-gpu',
      'lattice-quantum@le-gpu',
      'midwest-univ@gw-gpu',
      'nih-nci@gw-gpu',
      'noaa-psl@aurora-gpu',
      'noaa-psl@gw-gpu',
    ]);
  });

  it.each(tenantCases)(
    '%s on %s applies its cdk8s tenant chart, object for object',
    async (tenant, cluster) => {
      const clusterStack = `${ORG}/${PROJECT}/${cluster}`;
      const baseline = baselines.get(cluster);
      if (!baseline) throw new Error(`baseline of ${cluster} did not run`);
      const run = await runStack(
        tenant,
        { mode: 'tenant', cluster, tenant, clusterStack, context: `${cluster}-${tenant}`, now: NOW },
        { [clusterStack]: baseline.outputs },
      );
      const expected = synthFiles(cluster, (f) => f === `tenant-${tenant}.yaml`);
      const groups = groupsOf(run);
      expect(groups.map((g) => g.name)).toEqual([`${cluster}-tenant-${tenant}`]);
      expect(groups[0].objs.length).toBe(expected.length);
      expect(sorted(groups[0].objs)).toStrictEqual(sorted(expected));
      expectSameAsCdk8sCharts(run);
      // It reads the cluster stack it was told to, through a StackReference.
      const refs = run.registrations.filter((r) => r.type === STACK_REFERENCE);
      expect(refs).toHaveLength(1);
      expect(refs[0].inputs.name).toBe(clusterStack);
      expect(run.outputs.namespace).toBe(`tenant-${tenant}`);
      expect(run.outputs.objects).toEqual(expected.map(refOf).sort());
      covered.add(`${cluster}/tenant-${tenant}.yaml`);
    },
  );

  it('leaves no file of the cdk8s synth undeployed', () => {
    expect([...files.keys()].filter((f) => !covered.has(f))).toEqual([]);
    expect(covered.size).toBe(files.size);
    // Empty charts are not written by synthK8s and not applied by the program.
    expect(
      [...cdk8sFiles]
        .filter(([name, objs]) => objs.length > 0 && !coveredCharts.has(name))
        .map(([name]) => name),
    ).toEqual([]);
  });
});
