import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  isRec,
  k8sDocs,
  labels,
  podSpecs,
  refOf,
  specOf,
  tenantNamespaceIndex,
  TENANT_LABEL,
  workloadJudged,
} from '../../engine/k8s';
import { exJob, exNamespace, k8s, plainNamespace, restrictedContainer } from '../../examples/builders';

export default defineRule({
  id: 'GEN-K8S-TEN-009',
  title: 'Workloads outside the platform system namespaces, and PersistentVolumes, mount no host path',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'SC-4', 'SC-39'],
  rationale:
    "A hostPath volume exposes the node file system (container runtime socket, kubelet credentials, other tenants' scratch data) to the pod; a hostPath PersistentVolume does the same through a claim, whoever labels it: any namespace can claim it (its claimRef binds it to a tenant without any label). Only the platform system namespaces (kube-system, gpu-operator...) run node agents that need host paths; a local PersistentVolume claimed by or labelled for a tenant pins tenant data to one node's disk outside the reviewed storage classes.",
  remediation:
    'Use persistentVolumeClaim, emptyDir or CSI volumes; never hostPath outside the platform system namespaces, never a hostPath PersistentVolume, and no local PersistentVolume for a tenant.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx)) {
      if (d.object.kind === 'PersistentVolume') {
        const spec = specOf(d.object);
        const claimNs = isRec(spec.claimRef) ? spec.claimRef.namespace : undefined;
        const tenant =
          labels(d.object)[TENANT_LABEL] ??
          (typeof claimNs === 'string' ? index.get(`${clusterOf(d)}|${claimNs}`) : undefined);
        if (spec.hostPath !== undefined)
          yield {
            resource: refOf(d),
            status: 'fail',
            message: `PersistentVolume is a hostPath${tenant !== undefined ? ` of tenant ${tenant}` : typeof claimNs === 'string' ? ` claimed from namespace ${claimNs}` : ''}`,
          };
        else if (spec.local !== undefined && tenant !== undefined)
          yield {
            resource: refOf(d),
            status: 'fail',
            message: `PersistentVolume of tenant ${tenant} is a local volume on a node's disk`,
          };
        continue;
      }
      if (!workloadJudged(index, d)) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).filter(
          (v) => isRec(v) && v.hostPath !== undefined,
        );
        if (volumes.length)
          yield {
            resource: refOf(d),
            status: 'fail',
            message: `${path}: hostPath volume ${volumes.map((v) => String((v as Record<string, unknown>).name)).join(', ')}`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a tenant job with an emptyDir volume',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [restrictedContainer()],
          volumes: [{ name: 'scratch', emptyDir: {} }],
        }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a DaemonSet in kube-system with a hostPath',
      artifacts: k8s([
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'agent', namespace: 'kube-system' },
          spec: {
            template: {
              spec: {
                containers: [restrictedContainer()],
                volumes: [{ name: 'h', hostPath: { path: '/var/log' } }],
              },
            },
          },
        },
      ]),
      expect: { fires: false },
    },
    {
      name: 'a local PersistentVolume of a platform namespace',
      artifacts: k8s([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv' },
          spec: { local: { path: '/mnt/nvme' }, claimRef: { namespace: 'platform-cache', name: 'x' } },
        },
      ]),
      expect: { fires: false },
    },
    {
      name: 'a tenant job with a hostPath volume',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [restrictedContainer()],
          volumes: [{ name: 'host', hostPath: { path: '/var/run' } }],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: hostPath volume host/ },
    },
    {
      name: 'a hostPath PersistentVolume labelled for a tenant',
      artifacts: k8s([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv', labels: { [TENANT_LABEL]: 'acme' } },
          spec: { hostPath: { path: '/data' }, capacity: { storage: '1Gi' } },
        },
      ]),
      expect: { fires: true, message: /PersistentVolume is a hostPath of tenant acme/ },
    },
    // no tenant label, bound to a tenant by its claimRef; or bound to nobody yet
    {
      name: 'a hostPath PersistentVolume claimed by a tenant',
      artifacts: k8s([
        exNamespace('acme'),
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv' },
          spec: { hostPath: { path: '/var/lib/kubelet' }, claimRef: { namespace: 'tenant-acme', name: 'x' } },
        },
      ]),
      expect: { fires: true, message: /PersistentVolume is a hostPath of tenant acme/ },
    },
    {
      name: 'a hostPath PersistentVolume bound to nobody',
      artifacts: k8s([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv' },
          spec: { hostPath: { path: '/' } },
        },
      ]),
      expect: { fires: true, message: /PersistentVolume is a hostPath/ },
    },
    {
      name: 'a local PersistentVolume claimed by a tenant',
      artifacts: k8s([
        exNamespace('acme'),
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv' },
          spec: { local: { path: '/mnt/nvme' }, claimRef: { namespace: 'tenant-acme', name: 'x' } },
        },
      ]),
      expect: { fires: true, message: /PersistentVolume of tenant acme is a local volume on a node's disk/ },
    },
    // a workload outside tenant namespaces, but not in a platform system namespace
    {
      name: 'a job with a hostPath in a namespace that is neither tenant nor system',
      artifacts: k8s([
        plainNamespace('scratch'),
        exJob('scratch', {
          containers: [restrictedContainer()],
          volumes: [{ name: 'h', hostPath: { path: '/' } }],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: hostPath volume h/ },
    },
  ],
});
