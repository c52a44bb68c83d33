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

export const limitRange = (ns: string, limits: unknown[]): K8sObject => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'defaults', namespace: ns },
  spec: { limits },
});

export default defineRule({
  id: 'GEN-K8S-TEN-006',
  title: 'Every tenant namespace has a LimitRange with container defaults, none for GPUs',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-6', 'CM-6'],
  rationale:
    'With a compute ResourceQuota, a pod that states no requests is rejected; a LimitRange gives containers default requests so that quota accounting (and Kueue admission) always sees a size.',
  remediation:
    'Add a LimitRange with a Container entry that sets defaultRequest (and, where wanted, default) for cpu and memory; never default a GPU resource.',
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const ranges = inNamespace(ctx, 'LimitRange', clusterOf(doc), doc.object.metadata.name);
      const ok = ranges.some((r) => {
        const limits = specOf(r.object).limits;
        return (
          Array.isArray(limits) &&
          limits.some(
            (l) => isRec(l) && l.type === 'Container' && (isRec(l.defaultRequest) || isRec(l.default)),
          )
        );
      });
      if (!ok)
        yield {
          resource: refOf(doc),
          status: 'fail',
          message: `namespace ${String(doc.object.metadata.name)} has no LimitRange with Container defaults`,
        };
      for (const r of ranges) {
        const limits = Array.isArray(specOf(r.object).limits) ? (specOf(r.object).limits as unknown[]) : [];
        const gpu = limits
          .flatMap((l) =>
            isRec(l)
              ? [
                  ...Object.keys(isRec(l.default) ? l.default : {}),
                  ...Object.keys(isRec(l.defaultRequest) ? l.defaultRequest : {}),
                ]
              : [],
          )
          .filter(isGpuResource);
        if (gpu.length)
          yield {
            resource: refOf(r),
            status: 'fail',
            message: `defaults ${[...new Set(gpu)].join(', ')}: every container would ask for GPUs it did not request`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a LimitRange with container defaults of CPU and memory',
      artifacts: k8s([
        exNamespace('acme'),
        limitRange('tenant-acme', [{ type: 'Container', defaultRequest: { cpu: '1', memory: '4Gi' } }]),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a tenant namespace without LimitRange',
      artifacts: k8s([exNamespace('acme')]),
      expect: { fires: true, message: /namespace tenant-acme has no LimitRange with Container defaults/ },
    },
    {
      name: 'a LimitRange of pod limits only',
      artifacts: k8s([exNamespace('acme'), limitRange('tenant-acme', [{ type: 'Pod', max: { cpu: '64' } }])]),
      expect: { fires: true, message: /namespace tenant-acme has no LimitRange with Container defaults/ },
    },
    {
      name: 'a LimitRange that defaults GPUs',
      artifacts: k8s([
        exNamespace('acme'),
        limitRange('tenant-acme', [
          { type: 'Container', defaultRequest: { cpu: '1' }, default: { 'nvidia.com/gpu': 1 } },
        ]),
      ]),
      expect: {
        fires: true,
        message: /defaults nvidia\.com\/gpu: every container would ask for GPUs it did not request/,
      },
    },
  ],
});
