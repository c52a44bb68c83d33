import { defineRule } from '../../engine/rule-kit';
import { tagsOf } from '../../engine/cfn/template';
import { isGpuResource, labels, refOf, TENANT_LABEL } from '../../engine/k8s';
import { clusterQueues, queueQuotas } from '../../engine/kueue';
import { tenantDataRoles } from '../../engine/tenants';
import { cfn, exClusterQueue, k8s, merge, tags, tenantRole } from '../../examples/builders';
import { TAG } from '../../../infra/contract';

/**
 * Where the AWS side records a tenant's GPU quota: a tag on the tenant's data role,
 * `genesis:gpu-quota = "<cluster>/<pool>=<nominal> ..."` (space or comma separated). EKS has no notion of GPU quota;
 * the record is what lets a reviewer of the AWS account see what the tenant was promised.
 */
export const GPU_QUOTA_TAG = TAG.gpuQuota;

export function parseQuotaTag(v: string): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const part of v.split(/[, ]+/).filter(Boolean)) {
    const m = /^([^=]+)=(\d+)$/.exec(part);
    if (!m) return undefined;
    out.set(m[1], Number(m[2]));
  }
  return out;
}

const role = (quota?: string) => {
  const r = tenantRole('acme');
  return {
    ...r,
    Properties: {
      ...r.Properties,
      Tags: tags({ [TAG.tenant]: 'acme', [TAG.site]: 'gw', ...(quota ? { [GPU_QUOTA_TAG]: quota } : {}) }),
    },
  };
};
const queue = k8s(
  [exClusterQueue('acme', { h100: { cpu: '96', 'nvidia.com/gpu': 8 }, l40s: { 'nvidia.com/gpu': 16 } })],
  'gw/gw-gpu/kueue.yaml',
);

export default defineRule({
  id: 'GEN-X-003',
  title: 'A tenant has the same GPU quota on AWS and on Kubernetes',
  pack: 'cross-target',
  severity: 'error',
  controls: ['CM-3', 'SC-6', 'PM-3'],
  rationale:
    "The tenant's guaranteed GPUs are enforced by its ClusterQueue and recorded on the AWS side for the account owners; if the two disagree, one of them was edited outside the spec and either the tenant or the bill is wrong. Without an AWS record the rule cannot decide.",
  remediation: `Record the nominal GPU quota per <cluster>/<pool> in the ${GPU_QUOTA_TAG} tag of the tenant's data role, generated from the same spec as the ClusterQueue.`,
  *check(ctx) {
    for (const { role: r, tenant } of tenantDataRoles(ctx)) {
      const site = tagsOf(r.props).get(TAG.site);
      const queues = clusterQueues(ctx).filter(
        (q) => labels(q.object)[TENANT_LABEL] === tenant && (site === undefined || q.site === site),
      );
      if (queues.length === 0) continue;
      const k8sQuota = new Map<string, { n: number; doc: (typeof queues)[number] }>();
      for (const q of queues)
        for (const x of queueQuotas(q))
          if (isGpuResource(x.resource))
            k8sQuota.set(`${q.cluster}/${x.flavor}`, {
              n: (k8sQuota.get(`${q.cluster}/${x.flavor}`)?.n ?? 0) + x.nominal,
              doc: q,
            });
      const raw = tagsOf(r.props).get(GPU_QUOTA_TAG);
      if (typeof raw !== 'string') {
        yield {
          resource: r.ref,
          status: 'unknown',
          message: `could not decide: the AWS side records no GPU quota for tenant ${tenant} (tag ${GPU_QUOTA_TAG} on its role)`,
        };
        continue;
      }
      const aws = parseQuotaTag(raw);
      if (!aws) {
        yield {
          resource: r.ref,
          status: 'fail',
          message: `tag ${GPU_QUOTA_TAG}="${raw}" is not <cluster>/<pool>=<n>,...`,
        };
        continue;
      }
      for (const key of [...new Set([...aws.keys(), ...k8sQuota.keys()])].sort()) {
        const a = aws.get(key) ?? 0;
        const k = k8sQuota.get(key);
        if (a !== (k?.n ?? 0))
          yield {
            resource: k ? refOf(k.doc) : r.ref,
            status: 'fail',
            message: `${key}: ${a} GPUs on AWS, ${k?.n ?? 0} in the ClusterQueue`,
          };
      }
    }
  },
  examples: [
    {
      name: 'the same quotas, comma separated',
      artifacts: merge(cfn({ Role: role('gw-gpu/h100=8,gw-gpu/l40s=16') }, 'Tenant-acme'), queue),
      expect: { fires: false },
    },
    {
      name: 'the same quotas, space separated',
      artifacts: merge(cfn({ Role: role('gw-gpu/h100=8 gw-gpu/l40s=16') }, 'Tenant-acme'), queue),
      expect: { fires: false },
    },
    {
      name: 'a smaller quota on AWS for one pool',
      artifacts: merge(cfn({ Role: role('gw-gpu/h100=8,gw-gpu/l40s=8') }, 'Tenant-acme'), queue),
      expect: { fires: true, message: /gw-gpu\/l40s: 8 GPUs on AWS, 16 in the ClusterQueue/ },
    },
    {
      name: 'a pool missing on AWS',
      artifacts: merge(cfn({ Role: role('gw-gpu/h100=8') }, 'Tenant-acme'), queue),
      expect: { fires: true, message: /gw-gpu\/l40s: 0 GPUs on AWS, 16 in the ClusterQueue/ },
    },
  ],
});
