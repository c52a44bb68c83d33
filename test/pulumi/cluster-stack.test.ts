/**
 * The contract between a cluster's baseline stack and its tenant stacks: what the tenant's objects
 * refer to, and the check of the baseline's outputs that runs before any tenant object is applied.
 */
import { loadPlatform } from '../../infra/model';
import {
  baselineOutputs,
  checkClusterStack,
  clusterIdentity,
  ClusterStackError,
  exportedObjects,
} from '../../stacks/pulumi/cluster-stack';
import { baselineGroups, expectedClusterQueue, tenantGroups } from '../../stacks/pulumi/objects';
import { referencesOf, unresolvedReferences, type KubeObject } from '../../stacks/pulumi/references';

const platform = loadPlatform({ now: '2026-11-01' }).platform;
const leGpu = platform.clusters.find((c) => c.id === 'le-gpu');
if (!leGpu) throw new Error('default spec has no le-gpu');
const identity = clusterIdentity(platform, leGpu);
const baselineObjects = baselineGroups(platform, 'le-gpu').flatMap((g) => g.objects);
const tenantObjects = tenantGroups(platform, 'le-gpu', 'lattice-quantum').flatMap((g) => g.objects);
const outputs = baselineOutputs(identity, baselineObjects);
const clusterQueue = expectedClusterQueue(platform, 'le-gpu', 'lattice-quantum');
if (!clusterQueue) throw new Error('the cluster chart has no ClusterQueue for lattice-quantum');
const tenant = {
  stack: 'acme/genesis/le-gpu',
  identity,
  tenantId: 'lattice-quantum',
  objects: tenantObjects,
  clusterQueue,
};

function problemsOf(out: Record<string, unknown>): readonly string[] {
  try {
    checkClusterStack(out, tenant);
  } catch (e) {
    expect(e).toBeInstanceOf(ClusterStackError);
    return (e as ClusterStackError).problems.map((p) => p.message);
  }
  throw new Error('expected a ClusterStackError');
}

describe('referencesOf', () => {
  it('finds the references Kueue, storage, scheduling and RBAC objects make', () => {
    const objs: KubeObject[] = [
      {
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'LocalQueue',
        metadata: { name: 'default', namespace: 'tenant-a' },
        spec: { clusterQueue: 'tenant-a' },
      },
      {
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'ClusterQueue',
        metadata: { name: 'tenant-a' },
        spec: {
          cohortName: 'genesis',
          resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 'h200' }, { name: 'a100-mig' }] }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: 'tenant-a' },
        spec: { storageClassName: 'genesis-scratch', volumeName: 'pv-1' },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j', namespace: 'tenant-a', labels: { 'kueue.x-k8s.io/priority-class': 'urgent' } },
        spec: {
          template: {
            spec: { priorityClassName: 'genesis-high', containers: [{ name: 'main', image: 'busybox' }] },
          },
        },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'rb', namespace: 'tenant-a' },
        roleRef: { kind: 'ClusterRole', name: 'view' },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'rb2', namespace: 'tenant-a' },
        roleRef: { kind: 'Role', name: 'member' },
      },
    ];
    expect(objs.flatMap(referencesOf).map((r) => `${r.field} -> ${r.to}`)).toEqual([
      'metadata.namespace -> /Namespace/tenant-a',
      'spec.clusterQueue -> kueue.x-k8s.io/ClusterQueue/tenant-a',
      'spec.cohortName -> kueue.x-k8s.io/Cohort/genesis',
      'spec.resourceGroups[0].flavors[0].name -> kueue.x-k8s.io/ResourceFlavor/h200',
      'spec.resourceGroups[0].flavors[1].name -> kueue.x-k8s.io/ResourceFlavor/a100-mig',
      'metadata.namespace -> /Namespace/tenant-a',
      'spec.storageClassName -> storage.k8s.io/StorageClass/genesis-scratch',
      'spec.volumeName -> /PersistentVolume/pv-1',
      'metadata.namespace -> /Namespace/tenant-a',
      'spec.template.spec.priorityClassName -> scheduling.k8s.io/PriorityClass/genesis-high',
      'metadata.labels["kueue.x-k8s.io/priority-class"] -> kueue.x-k8s.io/WorkloadPriorityClass/urgent',
      'metadata.namespace -> /Namespace/tenant-a',
      'metadata.namespace -> /Namespace/tenant-a',
      'roleRef -> rbac.authorization.k8s.io/namespaces/tenant-a/Role/member',
    ]);
  });

  it('resolves references among the objects themselves and against what is available', () => {
    const objs: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } },
      {
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'LocalQueue',
        metadata: { name: 'default', namespace: 'tenant-a' },
        spec: { clusterQueue: 'tenant-a' },
      },
    ];
    expect(unresolvedReferences(objs, []).map((r) => r.to)).toEqual(['kueue.x-k8s.io/ClusterQueue/tenant-a']);
    expect(unresolvedReferences(objs, ['kueue.x-k8s.io/ClusterQueue/tenant-a'])).toEqual([]);
  });

  it('a default tenant needs its ClusterQueue and more from the baseline, and the baseline has them', () => {
    const needed = [...new Set(unresolvedReferences(tenantObjects, []).map((r) => r.to))].sort();
    expect(needed).toContain('kueue.x-k8s.io/ClusterQueue/tenant-lattice-quantum');
    expect(unresolvedReferences(tenantObjects, exportedObjects(baselineObjects))).toEqual([]);
  });
});

describe('checkClusterStack', () => {
  it('passes the tenant objects on when the baseline carries them', () => {
    expect(checkClusterStack(outputs, tenant)).toBe(tenantObjects);
  });

  it('refuses a stack without the baseline outputs', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(
        /^it has no output "clusterIdentity"; it is not a Genesis baseline stack, or it has not been deployed \(run `pulumi up` on stack "acme\/genesis\/le-gpu" \(genesis:mode baseline, genesis:cluster le-gpu\)/,
      ),
      expect.stringMatching(/^it has no output "clusterObjects"/),
    ]);
  });

  it('refuses the baseline of another cluster or platform', () => {
    expect(
      problemsOf({ ...outputs, clusterIdentity: { ...identity, platform: 'staging', cluster: 'gw-gpu' } }),
    ).toEqual([
      'it is the baseline of platform "staging", but this stack deploys to platform "genesis"',
      'it is the baseline of cluster "gw-gpu", but this stack deploys to cluster "le-gpu"',
    ]);
  });

  it('exports, per tenant, its ClusterQueue and the namespace that queue admits', () => {
    expect(outputs.clusterObjects).toEqual(exportedObjects(baselineObjects));
    expect(outputs.clusterQueues).toEqual({
      'doe-fes': 'tenant-doe-fes',
      'lattice-quantum': 'tenant-lattice-quantum',
    });
    expect(outputs.tenantNamespaces).toEqual({
      'doe-fes': 'tenant-doe-fes',
      'lattice-quantum': 'tenant-lattice-quantum',
    });
  });

  it('refuses a baseline whose ClusterQueue admits another namespace than the tenant gets', () => {
    expect(
      problemsOf({
        ...outputs,
        tenantNamespaces: { ...outputs.tenantNamespaces, 'lattice-quantum': 'lattice-quantum' },
      }),
    ).toEqual([
      'its ClusterQueue for tenant "lattice-quantum" admits namespace "lattice-quantum", but this stack creates namespace "tenant-lattice-quantum"',
      expect.stringMatching(/^the cluster's baseline is older than the spec/),
    ]);
  });

  it('refuses a baseline whose ClusterQueue carries other quotas than the spec', () => {
    // The spec raised the tenant's quota; the baseline was not updated.
    const raised = loadPlatform({ now: '2026-11-01' }).platform;
    const lq = raised.tenants.find((t) => t.id === 'lattice-quantum');
    const pool = lq?.quotas.gpu['le-gpu']?.h200;
    if (!pool) throw new Error('default spec changed');
    pool.nominal += 8;
    const newQueue = expectedClusterQueue(raised, 'le-gpu', 'lattice-quantum');
    if (!newQueue) throw new Error('no ClusterQueue');
    expect(newQueue).not.toEqual(clusterQueue);
    try {
      checkClusterStack(outputs, { ...tenant, clusterQueue: newQueue });
      throw new Error('expected a ClusterStackError');
    } catch (e) {
      expect((e as ClusterStackError).problems.map((p) => p.message)).toEqual([
        'its ClusterQueue tenant-lattice-quantum carries other quotas than this stack\'s spec gives tenant "lattice-quantum"',
        expect.stringMatching(/^the cluster's baseline is older than the spec/),
      ]);
    }
    // A baseline that does not export digests is refused too: the quotas cannot be compared.
    const { clusterQueueDigests: _dropped, ...older } = outputs;
    expect(problemsOf(older)[0]).toMatch(
      /it does not say which quotas its ClusterQueue for tenant "lattice-quantum" carries/,
    );
  });

  it('refuses a baseline that lacks what the tenant refers to, naming each object and its referrers', () => {
    const without = outputs.clusterObjects.filter(
      (o) => o !== 'kueue.x-k8s.io/ClusterQueue/tenant-lattice-quantum',
    );
    expect(problemsOf({ ...outputs, clusterObjects: without })).toEqual([
      'it does not deploy kueue.x-k8s.io/ClusterQueue/tenant-lattice-quantum, which kueue.x-k8s.io/namespaces/tenant-lattice-quantum/LocalQueue/default (spec.clusterQueue) refers to',
      expect.stringMatching(
        /^the cluster's baseline is older than the spec, or was built from another spec: run `pulumi up` on stack/,
      ),
    ]);
  });
});
