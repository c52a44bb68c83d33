import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  inNamespace,
  isGpuResource,
  isRec,
  refOf,
  specOf,
  tenantNamespaces,
} from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { exNamespace, k8s } from '../../examples/builders';

export const quota = (ns: string, hard: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: ns },
  spec: { hard },
});

/** GPU resources a ResourceQuota bounds: `requests.<gpu resource>` keys. */
export const quotaGpuKeys = (o: K8sObject): string[] => {
  const hard = isRec(specOf(o).hard) ? (specOf(o).hard as Record<string, unknown>) : {};
  return Object.keys(hard).filter(
    (k) => k.startsWith('requests.') && isGpuResource(k.slice('requests.'.length)),
  );
};

export default defineRule({
  id: 'GEN-K8S-TEN-005',
  title: 'Every tenant namespace has a ResourceQuota on GPUs',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-6', 'AC-3'],
  rationale:
    "Kueue admits only queued workloads; a pod created directly bypasses it. A ResourceQuota with requests.nvidia.com/gpu (or the pool's MIG resource) caps what a tenant can take from other tenants even then. Extended resources accept only the requests. prefix.",
  remediation:
    'Add a ResourceQuota whose spec.hard has requests.<gpu resource> for every GPU resource of the cluster (0 where the tenant has no GPU quota).',
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const quotas = inNamespace(ctx, 'ResourceQuota', clusterOf(doc), doc.object.metadata.name);
      if (!quotas.some((q) => quotaGpuKeys(q.object).length > 0))
        yield {
          resource: refOf(doc),
          status: 'fail',
          message: `namespace ${String(doc.object.metadata.name)} has no ResourceQuota with a requests.<gpu> key`,
        };
    }
  },
  examples: [
    {
      name: 'a ResourceQuota on GPU requests',
      artifacts: k8s([
        exNamespace('acme'),
        quota('tenant-acme', { 'requests.nvidia.com/gpu': 8, 'requests.cpu': '64' }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a tenant namespace without ResourceQuota',
      artifacts: k8s([exNamespace('acme')]),
      expect: {
        fires: true,
        message: /namespace tenant-acme has no ResourceQuota with a requests\.<gpu> key/,
      },
    },
    {
      name: 'a ResourceQuota on GPU limits only',
      artifacts: k8s([
        exNamespace('acme'),
        quota('tenant-acme', { 'requests.cpu': '64', 'limits.nvidia.com/gpu': 8 }),
      ]),
      expect: {
        fires: true,
        message: /namespace tenant-acme has no ResourceQuota with a requests\.<gpu> key/,
      },
    },
  ],
});
