/**
 * Properties of the synthesized manifests of the default platform, read back from disk the way
 * an operator or GitOps controller would read them.
 */
import * as fs from 'node:fs';
import { federationPlacement, poolCapacity, type Platform } from '../../infra/model';
import { managerGroupName, MULTIKUEUE_WORKER_ROLE } from '../../infra/contract';
import { synthK8s } from '../../stacks/k8s/synth';
import { LABEL, MANAGED_BY, tenantGroupName, tenantNamespace } from '../../infra/contract/names';
import {
  CLUSTER_SCOPED,
  defaultPlatform,
  NAMESPACED,
  quantity,
  readManifests,
  readTree,
  tempDir,
  type K8sObject,
  type ManifestFile,
} from './support';

let platform: Platform;
let outA: string;
let outB: string;
let files: ManifestFile[];

const all = (): Array<{ file: string; obj: K8sObject }> =>
  files.flatMap((f) => f.objects.map((obj) => ({ file: f.file, obj })));
const clusterDir = (clusterId: string): string => {
  const c = platform.clusters.find((x) => x.id === clusterId)!;
  return `${c.site}/${c.id}`;
};
const objectsIn = (file: string): K8sObject[] => {
  const f = files.find((x) => x.file === file);
  if (!f) throw new Error(`no file ${file}; have ${files.map((x) => x.file).join(', ')}`);
  return f.objects;
};
const tenantsOn = (clusterId: string) =>
  platform.tenants.filter((t) => Object.keys(t.quotas.gpu[clusterId] ?? {}).length > 0);
const spec = (o: K8sObject): any => o.spec as any;

beforeAll(() => {
  platform = defaultPlatform();
  outA = tempDir('k8s-a');
  outB = tempDir('k8s-b');
  synthK8s(platform, outA);
  synthK8s(defaultPlatform(), outB);
  files = readManifests(outA);
});

afterAll(() => {
  for (const d of [outA, outB]) fs.rmSync(d, { recursive: true, force: true });
});

test('output does not depend on the order of ids in the spec', () => {
  const shuffled: Platform = {
    ...platform,
    tenants: [...platform.tenants].reverse(),
    grants: [...platform.grants].reverse(),
    datasets: [...platform.datasets].reverse(),
    storageTiers: [...platform.storageTiers].reverse().map((t) => ({ ...t, sites: [...t.sites].reverse() })),
    clusters: [...platform.clusters].reverse().map((c) => ({ ...c, nodePools: [...c.nodePools].reverse() })),
    enclaves: [...platform.enclaves].reverse(),
    federations: [...platform.federations]
      .reverse()
      .map((f) => ({ ...f, workers: [...f.workers].reverse() })),
  };
  const out = tempDir('k8s-shuffled');
  try {
    synthK8s(shuffled, out);
    expect(readTree(out)).toEqual(readTree(outA));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('two syntheses of the same spec are byte-identical', () => {
  const a = readTree(outA);
  const b = readTree(outB);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [file, text] of a) expect(b.get(file)).toBe(text);
});

test('writes <site>/<cluster>/ with the cluster, GPU operator and one file per tenant with quota there', () => {
  for (const cluster of platform.clusters) {
    const expected = [
      'cluster.yaml',
      'gpu-operator.yaml',
      ...tenantsOn(cluster.id).map((t) => `tenant-${t.id}.yaml`),
    ]
      .map((f) => `${clusterDir(cluster.id)}/${f}`)
      .sort();
    expect(files.map((f) => f.file).filter((f) => f.startsWith(`${clusterDir(cluster.id)}/`))).toEqual(
      expected,
    );
  }
});

test('no value is null (GPU quantities included) and every object has a stable, explicit name', () => {
  for (const { file, obj } of all()) {
    expect(JSON.stringify(obj)).not.toContain('null');
    expect(obj.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(obj.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/); // cdk8s hash suffix
    expect(file).toMatch(/\.yaml$/);
  }
});

test('no cluster-scoped object carries a namespace; every namespaced one names it', () => {
  for (const { obj } of all()) {
    if (CLUSTER_SCOPED.has(obj.kind)) expect(obj.metadata.namespace).toBeUndefined();
    else {
      expect(NAMESPACED.has(obj.kind)).toBe(true);
      expect(obj.metadata.namespace).toEqual(expect.any(String));
    }
  }
});

test('every object carries the genesis labels of its cluster; tenant objects that of their tenant', () => {
  for (const f of files) {
    const [site, clusterId, file] = f.file.split('/');
    const cluster = platform.clusters.find((c) => c.id === clusterId)!;
    const tenant = /^tenant-(.+)\.yaml$/.exec(file)?.[1];
    for (const obj of f.objects) {
      const labels = obj.metadata.labels ?? {};
      expect(labels[LABEL.managedBy]).toBe(MANAGED_BY);
      expect(labels[LABEL.cluster]).toBe(cluster.id);
      expect(labels[LABEL.site]).toBe(site);
      expect(labels[LABEL.enclave]).toBe(cluster.enclave);
      expect(labels[LABEL.classification]).toEqual(expect.any(String));
      if (tenant) expect(labels[LABEL.tenant]).toBe(tenant);
    }
  }
});

test("tenants' nominal GPU quotas per flavor never exceed the GPUs of the pool, and equal the model", () => {
  for (const cluster of platform.clusters) {
    const queues = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`).filter(
      (o) => o.kind === 'ClusterQueue',
    );
    expect(queues.map((q) => q.metadata.name).sort()).toEqual(
      tenantsOn(cluster.id)
        .map((t) => tenantNamespace(t.id))
        .sort(),
    );
    for (const pool of cluster.nodePools) {
      const cap = poolCapacity(pool);
      let sum = 0;
      for (const q of queues) {
        const tenantId = q.metadata.labels![LABEL.tenant];
        const flavor = spec(q).resourceGroups[0].flavors.find((f: any) => f.name === pool.name);
        const modelNominal = platform.tenants.find((t) => t.id === tenantId)!.quotas.gpu[cluster.id]?.[
          pool.name
        ]?.nominal;
        if (!flavor) {
          expect(modelNominal).toBeUndefined();
          continue;
        }
        const gpu = flavor.resources.find((r: any) => r.name === cap.resource);
        expect(gpu.nominalQuota).toBe(modelNominal);
        sum += gpu.nominalQuota;
      }
      expect(sum).toBeLessThanOrEqual(cap.units);
    }
  }
});

test('ResourceFlavors select pools by the platform label and carry the GPU taint and toleration', () => {
  for (const cluster of platform.clusters) {
    const flavors = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`).filter(
      (o) => o.kind === 'ResourceFlavor',
    );
    expect(flavors.map((f) => f.metadata.name).sort()).toEqual(cluster.nodePools.map((p) => p.name).sort());
    for (const f of flavors) {
      expect(spec(f).nodeLabels).toEqual({ [LABEL.pool]: f.metadata.name });
      expect(spec(f).nodeTaints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
      expect(spec(f).tolerations).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
      ]);
    }
  }
});

test('each flavor records the capacity of its guaranteed nodes, and the queues quote no more of any resource', () => {
  for (const cluster of platform.clusters) {
    const objs = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`);
    const queues = objs.filter((o) => o.kind === 'ClusterQueue');
    for (const f of objs.filter((o) => o.kind === 'ResourceFlavor')) {
      const pool = cluster.nodePools.find((p) => p.name === f.metadata.name)!;
      const cap = poolCapacity(pool);
      const recorded = new Map(
        f.metadata
          .annotations!['genesis.platform/capacity'].split(',')
          .map((kv) => kv.split('=') as [string, string]),
      );
      expect(quantity(recorded.get(cap.resource))).toBe(cap.units);
      expect(quantity(recorded.get('cpu'))).toBe(quantity(pool.cpuPerNode) * cap.guaranteedNodes);
      expect(quantity(recorded.get('memory'))).toBe(quantity(pool.memoryPerNode) * cap.guaranteedNodes);
      for (const [resource, amount] of recorded) {
        const quoted = queues.reduce((sum, q) => {
          const fl = spec(q).resourceGroups[0].flavors.find((x: any) => x.name === pool.name);
          const r = fl?.resources.find((x: any) => x.name === resource);
          return sum + (r ? quantity(r.nominalQuota) : 0);
        }, 0);
        expect(quoted).toBeLessThanOrEqual(quantity(amount) + 1e-9);
      }
    }
  }
});

test('every tenant namespace is restricted and default-deny for ingress and egress', () => {
  for (const cluster of platform.clusters) {
    for (const t of tenantsOn(cluster.id)) {
      const objs = objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`);
      const ns = objs.filter((o) => o.kind === 'Namespace');
      expect(ns).toHaveLength(1);
      expect(ns[0].metadata.name).toBe(tenantNamespace(t.id));
      for (const mode of ['enforce', 'audit', 'warn']) {
        expect(ns[0].metadata.labels![`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
        expect(ns[0].metadata.labels![`pod-security.kubernetes.io/${mode}-version`]).toBe(
          `v${cluster.kubernetesVersion}`,
        );
      }
      const deny = objs.filter(
        (o) =>
          o.kind === 'NetworkPolicy' &&
          JSON.stringify(spec(o).podSelector) === '{}' &&
          spec(o).ingress === undefined &&
          spec(o).egress === undefined,
      );
      expect(deny).toHaveLength(1);
      expect([...spec(deny[0]).policyTypes].sort()).toEqual(['Egress', 'Ingress']);
      // The allows are narrow: DNS to kube-dns only, and no rule opens ingress from outside the namespace.
      for (const np of objs.filter((o) => o.kind === 'NetworkPolicy')) {
        for (const rule of spec(np).ingress ?? [])
          for (const peer of rule.from) expect(Object.keys(peer)).toEqual(['podSelector']);
        for (const rule of spec(np).egress ?? []) expect(rule.to.length).toBeGreaterThan(0);
      }
      const dns = objs.find((o) => o.metadata.name === 'genesis-allow-dns')!;
      expect(spec(dns).egress[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
      expect(spec(dns).egress[0].ports.map((p: any) => p.port)).toEqual([53, 53]);
    }
  }
});

test('every tenant gets volumes for exactly its granted datasets on the cluster site, read-only unless the grant says write', () => {
  let volumes = 0;
  for (const cluster of platform.clusters) {
    for (const t of tenantsOn(cluster.id)) {
      const objs = objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`);
      const expected = platform.grants
        .filter((g) => g.tenant === t.id)
        .filter((g) => {
          const ds = platform.datasets.find((d) => d.id === g.dataset)!;
          return platform.enclaves.find((e) => e.id === ds.enclave)!.site === cluster.site;
        });
      const pvs = objs.filter((o) => o.kind === 'PersistentVolume');
      const pvcs = objs.filter((o) => o.kind === 'PersistentVolumeClaim');
      expect(pvs.map((p) => p.metadata.labels![LABEL.dataset]).sort()).toEqual(
        expected.map((g) => g.dataset).sort(),
      );
      expect(pvcs.map((p) => p.metadata.labels![LABEL.dataset]).sort()).toEqual(
        expected.map((g) => g.dataset).sort(),
      );
      for (const g of expected) {
        const pv = pvs.find((p) => p.metadata.labels![LABEL.dataset] === g.dataset)!;
        const pvc = pvcs.find((p) => p.metadata.labels![LABEL.dataset] === g.dataset)!;
        const read = g.access === 'read';
        expect(spec(pv).accessModes).toEqual([read ? 'ReadOnlyMany' : 'ReadWriteMany']);
        expect(spec(pv).csi.readOnly).toBe(read);
        expect(spec(pvc).accessModes).toEqual(spec(pv).accessModes);
        expect(spec(pv).persistentVolumeReclaimPolicy).toBe('Retain');
        expect(spec(pv).claimRef).toMatchObject({
          namespace: tenantNamespace(t.id),
          name: pvc.metadata.name,
        });
        expect(spec(pvc).volumeName).toBe(pv.metadata.name);
        if (read)
          expect(
            (spec(pv).mountOptions ?? []).some((o: string) => /^(ro|read-only)$/.test(o)) ||
              spec(pv).csi.volumeAttributes?.options === '-o ro',
          ).toBe(true);
        volumes++;
      }
    }
  }
  expect(volumes).toBeGreaterThan(5); // the default platform grants datasets on both sites
});

test('no tenant ServiceAccount carries an IRSA annotation (EKS Pod Identity maps the data role); no SA automounts a token', () => {
  for (const cluster of platform.clusters) {
    const site = platform.sites.find((s) => s.id === cluster.site)!;
    for (const t of tenantsOn(cluster.id)) {
      const sas = objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`).filter(
        (o) => o.kind === 'ServiceAccount',
      );
      expect(sas.map((s) => s.metadata.name).sort()).toEqual(['default', 'workload']);
      for (const s of sas) expect((s as any).automountServiceAccountToken).toBe(false);
      for (const sa of sas)
        expect(
          Object.keys(sa.metadata.annotations ?? {}).filter((k) => k.startsWith('eks.amazonaws.com/')),
        ).toEqual([]);
      // EKS (aws) maps the role through Pod Identity; on-prem and partner clusters have no IRSA.
      expect(['aws', 'onprem', 'partner']).toContain(site.kind);
    }
  }
});

test('ResourceQuota keys, LimitRange defaults and ClusterQueue coveredResources come from one list and agree', () => {
  for (const cluster of platform.clusters) {
    const queues = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`).filter(
      (o) => o.kind === 'ClusterQueue',
    );
    for (const t of tenantsOn(cluster.id)) {
      const objs = objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`);
      const cq = queues.find((q) => q.metadata.name === tenantNamespace(t.id))!;
      const group = spec(cq).resourceGroups;
      expect(group).toHaveLength(1);
      const covered: string[] = group[0].coveredResources;
      const quota = objs.find(
        (o) => o.kind === 'ResourceQuota' && o.metadata.name === 'genesis-compute-storage',
      )!;
      const hard = spec(quota).hard as Record<string, unknown>;
      const computeKeys = Object.keys(hard).filter(
        (k) => k.startsWith('requests.') && !k.includes('storageclass'),
      );
      expect(computeKeys.sort()).toEqual(covered.map((r) => `requests.${r}`).sort());
      // Every flavor quotes every covered resource, in order (Kueue's own rule).
      for (const f of group[0].flavors) expect(f.resources.map((r: any) => r.name)).toEqual(covered);
      // The quota is what Kueue may admit at most: nominal plus borrowing over all flavors.
      for (const r of covered) {
        const ceiling = group[0].flavors.reduce((s: number, f: any) => {
          const x = f.resources.find((y: any) => y.name === r);
          return s + quantity(x.nominalQuota) + quantity(x.borrowingLimit ?? 0);
        }, 0);
        expect(quantity(hard[`requests.${r}`])).toBeCloseTo(ceiling, 6);
      }
      const limits = spec(objs.find((o) => o.kind === 'LimitRange')!).limits;
      for (const l of limits) {
        for (const field of ['default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio']) {
          for (const [r, v] of Object.entries(l[field] ?? {})) {
            expect(covered).toContain(r);
            // A defaulted pod always fits the quota and at least one flavor.
            expect(quantity(v)).toBeLessThanOrEqual(quantity(hard[`requests.${r}`]));
            const fits = group[0].flavors.some((f: any) => {
              const x = f.resources.find((y: any) => y.name === r);
              return quantity(v) <= quantity(x.nominalQuota) + quantity(x.borrowingLimit ?? 0);
            });
            expect(fits).toBe(true);
          }
        }
        // GPUs are never defaulted or capped by the LimitRange (a cap would demand limits on every pod).
        for (const r of covered.filter((x) => x !== 'cpu' && x !== 'memory')) {
          for (const field of ['default', 'defaultRequest', 'max', 'min'])
            expect(l[field]?.[r]).toBeUndefined();
        }
      }
      expect(objs.find((o) => o.kind === 'LocalQueue')).toMatchObject({
        spec: { clusterQueue: cq.metadata.name },
      });
      expect(spec(cq).namespaceSelector).toEqual({
        matchLabels: { 'kubernetes.io/metadata.name': tenantNamespace(t.id) },
      });
      // Fair sharing across the cohort; borrowWithinCohort is for classical preemption only.
      expect(spec(cq).cohortName).toBe('genesis');
      expect(spec(cq).preemption).toEqual({
        reclaimWithinCohort: 'Any',
        withinClusterQueue: 'LowerPriority',
      });
    }
  }
});

test('no tenant subject is bound cluster-wide; each namespace binds only its own tenant group', () => {
  for (const { file, obj } of all()) {
    if (obj.kind === 'ClusterRoleBinding') {
      for (const s of (obj as any).subjects ?? []) {
        expect(String(s.name)).not.toMatch(/^genesis:tenant:/);
        expect(String(s.namespace ?? '')).not.toMatch(/^tenant-/);
      }
    }
    if (obj.kind === 'RoleBinding') {
      const tenant = /tenant-(.+)\.yaml$/.exec(file)![1];
      const federation = obj.metadata.labels?.[LABEL.federation];
      if (federation === undefined) {
        expect((obj as any).roleRef.kind).toBe('Role');
        expect((obj as any).subjects).toEqual([
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: tenantGroupName(tenant) },
        ]);
      } else {
        // A federation worker's binding of the manager's group: only where the placement sends
        // this tenant's work to this cluster, and only to the federation's own worker role.
        const cluster = file.split('/')[1];
        expect(
          federationPlacement(platform).some(
            (q) => q.federation === federation && q.tenant === tenant && q.workers.includes(cluster),
          ),
        ).toBe(true);
        expect((obj as any).roleRef).toEqual({
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: MULTIKUEUE_WORKER_ROLE,
        });
        expect((obj as any).subjects).toEqual([
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: managerGroupName(federation) },
        ]);
      }
    }
    if (obj.kind === 'Role') {
      // Tenants cannot loosen their own guardrails.
      for (const rule of (obj as any).rules) {
        const writes = rule.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v));
        for (const r of rule.resources) {
          if (
            [
              'networkpolicies',
              'resourcequotas',
              'limitranges',
              'rolebindings',
              'roles',
              'serviceaccounts',
              'localqueues',
              'namespaces',
            ].includes(r)
          )
            expect(writes).toBe(false);
        }
      }
    }
  }
});

test('each cluster has the GPU env admission policy, bound to tenant namespaces, covering every container list', () => {
  for (const cluster of platform.clusters) {
    const objs = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`);
    const policy = objs.find(
      (o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'genesis-deny-gpu-visibility-env',
    )!;
    const binding = objs.find(
      (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === policy.metadata.name,
    )!;
    expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(spec(binding).policyName).toBe(policy.metadata.name);
    expect(spec(binding).validationActions).toEqual(['Deny']);
    expect(spec(policy).failurePolicy).toBe('Fail');
    expect(spec(policy).matchConstraints.resourceRules[0].resources).toEqual([
      'pods',
      'pods/ephemeralcontainers',
    ]);
    const tenantSelector = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };
    expect(spec(policy).matchConstraints.namespaceSelector).toEqual(tenantSelector);
    expect(spec(binding).matchResources.namespaceSelector).toEqual(tenantSelector);
    const exprs: string[] = spec(policy).validations.map((v: any) => v.expression);
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const e = exprs.find((x) => x.includes(`object.spec.${list}.all(`));
      expect(e).toContain("'NVIDIA_VISIBLE_DEVICES'");
      expect(e).toContain("'NVIDIA_DRIVER_CAPABILITIES'");
    }
    // Every tenant namespace matches the selector.
    for (const t of tenantsOn(cluster.id)) {
      const ns = objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`).find(
        (o) => o.kind === 'Namespace',
      )!;
      expect(ns.metadata.labels![LABEL.tenant]).toBe(t.id);
    }
  }
});

test('the GPU env admission covers envFrom: prefixes on pods, keys of ConfigMaps and Secrets in tenant namespaces', () => {
  const tenantSelector = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };
  for (const cluster of platform.clusters) {
    const objs = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`);
    const pods = objs.find(
      (o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'genesis-deny-gpu-visibility-env',
    )!;
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const e: string = spec(pods)
        .validations.map((v: any) => v.expression)
        .find((x: string) => x.includes(`object.spec.${list}.all(`));
      expect(e).toContain("c.envFrom.all(f, !has(f.prefix) || f.prefix == '' || !");
      expect(e).toContain('.exists(n, n.startsWith(f.prefix))');
    }
    const sources = objs.find(
      (o) =>
        o.kind === 'ValidatingAdmissionPolicy' &&
        o.metadata.name === 'genesis-deny-gpu-visibility-env-sources',
    )!;
    const binding = objs.find(
      (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === sources.metadata.name,
    )!;
    expect(spec(sources).failurePolicy).toBe('Fail');
    expect(spec(sources).matchConstraints.namespaceSelector).toEqual(tenantSelector);
    expect(spec(sources).matchConstraints.resourceRules).toEqual([
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['configmaps', 'secrets'],
      },
    ]);
    const exprs: string[] = spec(sources).validations.map((v: any) => v.expression);
    expect(exprs).toEqual([
      "!has(object.data) || !object.data.exists(k, k in ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES'])",
      "!has(object.binaryData) || !object.binaryData.exists(k, k in ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES'])",
    ]);
    expect(spec(binding)).toMatchObject({
      policyName: sources.metadata.name,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: tenantSelector },
    });
  }
});

test('each cluster requires tenant workloads to name the LocalQueue (Kueue cannot be bypassed)', () => {
  for (const cluster of platform.clusters) {
    const objs = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`);
    const policies = objs.filter(
      (o) =>
        o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name.startsWith('genesis-require-queue-name'),
    );
    const covered = policies
      .flatMap((p) => spec(p).matchConstraints.resourceRules.flatMap((r: any) => r.resources))
      .sort();
    expect(covered).toEqual(['cronjobs', 'deployments', 'jobs', 'pods', 'statefulsets']);
    for (const p of policies) {
      expect(spec(p).failurePolicy).toBe('Fail');
      expect(spec(p).validations[0].expression).toContain("labels['kueue.x-k8s.io/queue-name'] == 'default'");
      const b = objs.find(
        (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && spec(o).policyName === p.metadata.name,
      )!;
      expect(spec(b).validationActions).toEqual(['Deny']);
      expect(spec(b).matchResources.namespaceSelector).toEqual({
        matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }],
      });
    }
    // The label names a LocalQueue that every tenant namespace has.
    for (const t of tenantsOn(cluster.id)) {
      expect(
        objectsIn(`${clusterDir(cluster.id)}/tenant-${t.id}.yaml`).find((o) => o.kind === 'LocalQueue')!
          .metadata.name,
      ).toBe('default');
    }
  }
});

test('GPU Operator: ClusterPolicy per cluster with per-pool device-plugin configs, MIG layouts and time-slicing', () => {
  for (const cluster of platform.clusters) {
    const cp = objectsIn(`${clusterDir(cluster.id)}/cluster.yaml`).find((o) => o.kind === 'ClusterPolicy')!;
    const cms = objectsIn(`${clusterDir(cluster.id)}/gpu-operator.yaml`);
    const plugin = cms.find((o) => o.metadata.name === spec(cp).devicePlugin.config.name)!;
    expect(plugin.metadata.namespace).toBe('gpu-operator');
    const data = (plugin as any).data as Record<string, string>;
    expect(Object.keys(data)).toContain(spec(cp).devicePlugin.config.default);
    for (const pool of cluster.nodePools) {
      const text = data[pool.name];
      expect(text).toBeDefined();
      if (pool.sharing.mode === 'time-slicing') expect(text).toContain(`replicas: ${pool.sharing.replicas}`);
      else expect(text).not.toContain('timeSlicing');
      expect(text).toContain(`migStrategy: ${pool.sharing.mode === 'mig' ? pool.sharing.strategy : 'none'}`);
    }
    const mig = cluster.nodePools.filter((p) => p.sharing.mode === 'mig');
    expect(spec(cp).migManager.enabled).toBe(mig.length > 0);
    if (mig.length > 0) {
      const layout = cms.find((o) => o.metadata.name === spec(cp).migManager.config.name)! as any;
      for (const p of mig)
        if (p.sharing.mode === 'mig') expect(layout.data['config.yaml']).toContain(`${p.sharing.profile}: `);
    }
    expect(spec(cp).mig.strategy).toBe(
      mig.some((p) => p.sharing.mode === 'mig' && p.sharing.strategy === 'mixed')
        ? 'mixed'
        : mig.length
          ? 'single'
          : 'none',
    );
    // The runtime ignores NVIDIA_VISIBLE_DEVICES from unprivileged containers.
    expect(spec(cp).toolkit.env).toContainEqual({
      name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED',
      value: 'false',
    });
    expect(spec(cp).devicePlugin.env).toContainEqual({
      name: 'DEVICE_LIST_STRATEGY',
      value: 'volume-mounts',
    });
  }
});

test('StorageClasses use the real CSI driver of each back end; none is the default class', () => {
  const onprem = objectsIn('lab-east/le-gpu/cluster.yaml').filter((o) => o.kind === 'StorageClass');
  expect(Object.fromEntries(onprem.map((s) => [s.metadata.name, (s as any).provisioner]))).toEqual({
    'genesis-objects': 'ru.yandex.s3.csi',
    'genesis-project': 'cephfs.csi.ceph.com',
    'genesis-scratch': 'exa.csi.ddn.com',
  });
  for (const { obj } of all().filter((x) => x.obj.kind === 'StorageClass')) {
    expect(obj.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('false');
    expect((obj as any).reclaimPolicy).toBe('Retain');
  }
});
