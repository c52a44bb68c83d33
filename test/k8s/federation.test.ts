/**
 * Federations on Kubernetes (Kueue MultiKueue): what the manager and the workers of the default
 * platform get, that a worker below a tenant's data never appears in that tenant's MultiKueueConfig,
 * that the manager's group is bound only in the namespaces of the tenants sent to a worker, and
 * that the output is deterministic.
 */
import * as fs from 'node:fs';
import { App } from 'cdk8s';
import { federationPlacement, type Platform } from '../../infra/model';
import { clusterCharts } from '../../constructs/k8s';
import { synthK8s } from '../../stacks/k8s/synth';
import {
  ANNOTATION,
  federatedQueueCheckName,
  KUEUE_NAMESPACE,
  LABEL,
  managerGroupName,
  managerRoleBindingName,
  MULTIKUEUE_CONTROLLER,
  MULTIKUEUE_WATCH_ROLE,
  MULTIKUEUE_WATCH_RULES,
  MULTIKUEUE_WORKER_ROLE,
  managerWatchBindingName,
  MULTIKUEUE_WORKER_RULES,
  multiKueueClusterName,
  podSecurityLabel,
  tenantNamespace,
  workerKubeconfigSecret,
} from '../../infra/contract';
import { defaultPlatform, readTree, tempDir, type K8sObject } from './support';
import { variant } from './variants';

const KUEUE = 'kueue.x-k8s.io/v1beta2';
const RBAC = 'rbac.authorization.k8s.io';
const MULTIKUEUE_KINDS = ['MultiKueueCluster', 'MultiKueueConfig', 'AdmissionCheck'];

/** Every object of a cluster, by file name. */
function objectsOf(platform: Platform, clusterId: string): Map<string, K8sObject[]> {
  const { files } = clusterCharts(new App(), platform, clusterId);
  return new Map(files.map((f) => [f.file, f.chart.toJson() as K8sObject[]]));
}
const all = (m: Map<string, K8sObject[]>): K8sObject[] => [...m.values()].flat();
const ofKind = (objs: K8sObject[], kind: string): K8sObject[] => objs.filter((o) => o.kind === kind);
const spec = (o: K8sObject | undefined): any => o?.spec as any;
const named = (objs: K8sObject[], kind: string, name: string): K8sObject | undefined =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);

const platform = defaultPlatform();

describe('the default platform: federation national (manager gw-gpu, worker aurora-gpu)', () => {
  const manager = objectsOf(platform, 'gw-gpu');
  const worker = objectsOf(platform, 'aurora-gpu');
  const managerCluster = manager.get('cluster.yaml')!;

  it('gives the manager one MultiKueueCluster per worker, reading the kubeconfig Secret in Kueue namespace', () => {
    const clusters = ofKind(managerCluster, 'MultiKueueCluster');
    expect(clusters).toEqual([
      {
        apiVersion: KUEUE,
        kind: 'MultiKueueCluster',
        metadata: {
          name: multiKueueClusterName('national', 'aurora-gpu'),
          labels: expect.objectContaining({
            [LABEL.cluster]: 'gw-gpu',
            [LABEL.federation]: 'national',
            [LABEL.worker]: 'aurora-gpu',
          }),
        },
        spec: {
          clusterSource: {
            kubeConfig: {
              location: workerKubeconfigSecret('national', 'aurora-gpu'),
              locationType: 'Secret',
            },
          },
        },
      },
    ]);
    // The Secret itself is created out of band: never generated, in any namespace.
    for (const [, objs] of [...manager, ...worker]) expect(ofKind(objs, 'Secret')).toEqual([]);
    expect(KUEUE_NAMESPACE).toBe('kueue-system');
  });

  it('gives each federated tenant a MultiKueueConfig of its eligible workers and an AdmissionCheck pointing at it', () => {
    const queues = federationPlacement(platform);
    expect(queues.map((q) => [q.tenant, q.requires, q.workers])).toEqual([
      ['aurora-ai', 'cui', ['aurora-gpu']],
      ['noaa-psl', 'public', ['aurora-gpu']],
    ]);
    for (const q of queues) {
      const name = federatedQueueCheckName('national', q.tenant);
      const config = named(managerCluster, 'MultiKueueConfig', name);
      expect(config?.metadata.annotations).toEqual({ [ANNOTATION.requires]: q.requires });
      expect(config?.metadata.labels).toMatchObject({
        [LABEL.tenant]: q.tenant,
        [LABEL.federation]: 'national',
      });
      expect(spec(config)).toEqual({ clusters: [multiKueueClusterName('national', 'aurora-gpu')] });
      const check = named(managerCluster, 'AdmissionCheck', name);
      expect(check?.metadata.labels).toMatchObject({
        [LABEL.tenant]: q.tenant,
        [LABEL.federation]: 'national',
      });
      expect(spec(check)).toEqual({
        controllerName: MULTIKUEUE_CONTROLLER,
        parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name },
      });
    }
    expect(ofKind(managerCluster, 'MultiKueueConfig')).toHaveLength(2);
    expect(ofKind(managerCluster, 'AdmissionCheck')).toHaveLength(2);
  });

  it("names the check on the federated tenants' ClusterQueues on the manager, and on no other queue", () => {
    const checks = Object.fromEntries(
      ofKind(managerCluster, 'ClusterQueue').map((q) => [
        q.metadata.name,
        spec(q).admissionChecksStrategy ?? null,
      ]),
    );
    expect(checks).toEqual({
      'tenant-aurora-ai': { admissionChecks: [{ name: 'national-aurora-ai' }] },
      'tenant-helix-bio': null,
      'tenant-midwest-univ': null,
      'tenant-nih-nci': null,
      'tenant-noaa-psl': { admissionChecks: [{ name: 'national-noaa-psl' }] },
    });
    for (const q of ofKind(all(worker), 'ClusterQueue'))
      expect(spec(q).admissionChecksStrategy).toBeUndefined();
  });

  it("mirrors each federated tenant's ClusterQueue and LocalQueue on the worker under the manager's names", () => {
    for (const tenant of ['aurora-ai', 'noaa-psl']) {
      const ns = tenantNamespace(tenant);
      for (const cluster of [manager, worker]) {
        const queue = named(cluster.get('cluster.yaml')!, 'ClusterQueue', ns);
        expect(spec(queue).namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
        const local = ofKind(cluster.get(`tenant-${tenant}.yaml`)!, 'LocalQueue');
        expect(local.map((l) => [l.metadata.namespace, l.metadata.name, spec(l).clusterQueue])).toEqual([
          [ns, 'default', ns],
        ]);
      }
    }
  });

  it('gives the worker the worker and watch ClusterRoles with exactly the contract rules, and nothing dangerous', () => {
    const roles = ofKind(worker.get('cluster.yaml')!, 'ClusterRole');
    expect(roles.map((r) => [r.metadata.name, r.metadata.labels?.[LABEL.federation]])).toEqual([
      [MULTIKUEUE_WORKER_ROLE, 'national'],
      [MULTIKUEUE_WATCH_ROLE, 'national'],
    ]);
    expect((roles[1] as any).rules).toEqual(MULTIKUEUE_WATCH_RULES);
    const rules = (roles[0] as any).rules as Array<{
      apiGroups: string[];
      resources: string[];
      verbs: string[];
    }>;
    expect(rules).toEqual(MULTIKUEUE_WORKER_RULES);
    for (const r of rules) {
      expect(r.apiGroups).not.toContain('*');
      expect(r.apiGroups).not.toContain(RBAC);
      expect(r.verbs).not.toContain('*');
      for (const v of ['escalate', 'bind', 'impersonate', 'deletecollection'])
        expect(r.verbs).not.toContain(v);
      for (const res of r.resources)
        expect([
          '*',
          'secrets',
          'pods/exec',
          'pods/attach',
          'namespaces',
          'nodes',
          'serviceaccounts',
        ]).not.toContain(res);
    }
    expect(ofKind(managerCluster, 'ClusterRole')).toEqual([]);
  });

  it("binds the manager's group in each federated tenant's namespace on the worker, to the worker role only", () => {
    for (const tenant of ['aurora-ai', 'noaa-psl']) {
      const bindings = ofKind(worker.get(`tenant-${tenant}.yaml`)!, 'RoleBinding').filter(
        (b) => b.metadata.labels?.[LABEL.federation] !== undefined,
      );
      expect(bindings).toEqual([
        {
          apiVersion: `${RBAC}/v1`,
          kind: 'RoleBinding',
          metadata: {
            name: managerRoleBindingName('national'),
            namespace: tenantNamespace(tenant),
            labels: expect.objectContaining({ [LABEL.federation]: 'national', [LABEL.tenant]: tenant }),
          },
          roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: MULTIKUEUE_WORKER_ROLE },
          subjects: [{ apiGroup: RBAC, kind: 'Group', name: managerGroupName('national') }],
        },
      ]);
    }
  });

  it('leaves clusters outside the federation, and the manager, without worker rights; cluster-wide only list and watch', () => {
    for (const c of platform.clusters) {
      const objs = all(objectsOf(platform, c.id));
      // The one cluster-wide binding: the worker's list and watch for MultiKueue's informers.
      expect(
        ofKind(objs, 'ClusterRoleBinding').map((b: any) => [b.metadata.name, b.roleRef.name, b.subjects]),
      ).toEqual(
        c.id === 'aurora-gpu'
          ? [
              [
                managerWatchBindingName('national'),
                MULTIKUEUE_WATCH_ROLE,
                [{ apiGroup: RBAC, kind: 'Group', name: managerGroupName('national') }],
              ],
            ]
          : [],
      );
      if (c.id === 'aurora-gpu')
        for (const r of (
          ofKind(objs, 'ClusterRole').find((x) => x.metadata.name === MULTIKUEUE_WATCH_ROLE) as any
        ).rules)
          expect(r.verbs).toEqual(['list', 'watch']);
      if (c.id !== 'gw-gpu') for (const k of MULTIKUEUE_KINDS) expect(ofKind(objs, k)).toEqual([]);
      if (c.id !== 'aurora-gpu') {
        expect(ofKind(objs, 'ClusterRole')).toEqual([]);
        expect(objs.filter((o) => o.kind === 'RoleBinding' && o.metadata.labels?.[LABEL.federation])).toEqual(
          [],
        );
      }
    }
  });

  it("holds the manager's group to Pod Security restricted on the worker: the namespaces it may write to enforce it", () => {
    for (const tenant of ['aurora-ai', 'noaa-psl']) {
      const ns = named(worker.get(`tenant-${tenant}.yaml`)!, 'Namespace', tenantNamespace(tenant));
      expect(ns?.metadata.labels?.[podSecurityLabel('enforce')]).toBe('restricted');
    }
  });
});

/**
 * A second, public-classification partner worker in federation national. noaa-psl holds only
 * public data and has quota there; aurora-ai holds CUI data.
 */
function withPublicWorker(spec: any): void {
  spec.sites.push({
    id: 'open-dc',
    kind: 'partner',
    partner: 'aurora-ai',
    location: 'Open compute, Reston, Virginia',
    kubernetesVersion: '1.34',
    cni: 'cilium',
    agreement: { id: 'OPEN-2026-1', expires: '2030-12-31', allows: 'public' },
    ceiling: 'public',
    usPersons: { attested: false },
    serves: ['noaa-psl'],
  });
  spec.enclaves.push({
    id: 'open-pub',
    site: 'open-dc',
    classification: 'public',
    cidr: '10.80.0.0/16',
    egress: { mode: 'none' },
    reachableFrom: ['gw-cui'],
  });
  const aurora = spec.clusters.find((c: any) => c.id === 'aurora-gpu');
  spec.clusters.push({
    ...structuredClone(aurora),
    id: 'open-gpu',
    site: 'open-dc',
    enclave: 'open-pub',
    apiServer: { address: '10.80.0.10', port: 6443, vpnPeer: '198.51.100.30' },
  });
  spec.tenants.find((t: any) => t.id === 'noaa-psl').quotas.gpu['open-gpu'] = {
    h100: { nominal: 8, borrowing: 0 },
  };
  spec.federations[0].workers.push('open-gpu');
}

describe('a public worker', () => {
  const open = multiKueueClusterName('national', 'open-gpu');
  const configs = (p: Platform) => ofKind(objectsOf(p, 'gw-gpu').get('cluster.yaml')!, 'MultiKueueConfig');

  function expectKeptOff(p: Platform): void {
    const byTenant = new Map(configs(p).map((c) => [c.metadata.labels![LABEL.tenant], spec(c).clusters]));
    // A tenant holding CUI data is never dispatched to the public worker...
    expect(byTenant.get('aurora-ai')).toEqual([multiKueueClusterName('national', 'aurora-gpu')]);
    for (const c of configs(p))
      if (c.metadata.annotations?.[ANNOTATION.requires] !== 'public')
        expect(spec(c).clusters).not.toContain(open);
    // ...while a tenant holding only public data is.
    expect(byTenant.get('noaa-psl')).toEqual([multiKueueClusterName('national', 'aurora-gpu'), open]);
    // The manager connects to both workers; only noaa-psl's namespace binds the manager on the public one.
    expect(
      ofKind(objectsOf(p, 'gw-gpu').get('cluster.yaml')!, 'MultiKueueCluster').map((c) => c.metadata.name),
    ).toEqual([multiKueueClusterName('national', 'aurora-gpu'), open]);
    const bindings = all(objectsOf(p, 'open-gpu')).filter(
      (o) => o.kind === 'RoleBinding' && o.metadata.labels?.[LABEL.federation],
    );
    expect(bindings.map((b) => b.metadata.namespace)).toEqual([tenantNamespace('noaa-psl')]);
  }

  it('keeps a CUI tenant off it and sends a public-only tenant to it (a valid spec)', () => {
    expectKeptOff(variant(withPublicWorker));
  });

  it('keeps the CUI tenant off it even where the spec (wrongly) gives that tenant quota there', () => {
    // The model refuses this spec; the target must still not list the worker (built directly).
    const valid = variant(withPublicWorker);
    const p: Platform = {
      ...valid,
      tenants: valid.tenants.map((t) =>
        t.id === 'aurora-ai'
          ? {
              ...t,
              quotas: {
                ...t.quotas,
                gpu: { ...t.quotas.gpu, 'open-gpu': { h100: { nominal: 8, borrowing: 0 } } },
              },
            }
          : t,
      ),
    };
    expect(
      federationPlacement(p)
        .find((q) => q.tenant === 'aurora-ai')!
        .excluded.map((e) => e.worker),
    ).toEqual(['open-gpu']);
    expectKeptOff(p);
    // aurora-ai has a namespace on the public worker (it has quota) but the manager is not bound in it.
    const ns = all(objectsOf(p, 'open-gpu')).filter(
      (o) => o.metadata.namespace === tenantNamespace('aurora-ai'),
    );
    expect(ns.length).toBeGreaterThan(0);
    expect(ns.filter((o) => o.kind === 'RoleBinding' && o.metadata.labels?.[LABEL.federation])).toEqual([]);
  });
});

describe('determinism', () => {
  it('writes byte-identical manifests on two runs, whatever the order of federations, workers and tenants', () => {
    const a = tempDir('fed-a');
    const b = tempDir('fed-b');
    try {
      const p = variant(withPublicWorker);
      synthK8s(p, a);
      synthK8s(
        {
          ...variant(withPublicWorker),
          federations: p.federations.map((f) => ({ ...f, workers: [...f.workers].reverse() })),
          tenants: p.tenants.map((t) => ({ ...t, federations: [...t.federations].reverse() })).reverse(),
        },
        b,
      );
      const ta = readTree(a);
      const tb = readTree(b);
      expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
      for (const [file, text] of ta) expect(tb.get(file)).toBe(text);
      expect([...ta.values()].join('')).toContain('kind: MultiKueueConfig');
    } finally {
      for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
