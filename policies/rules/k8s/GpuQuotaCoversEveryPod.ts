import { exNamespace, k8s } from '../../examples/builders';
import { clusterOf, isGpuResource, isRec, k8sDocs, refOf, specOf, tenantNamespaces } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject } from '../../engine/types';

/** The GPU keys a ResourceQuota limits (requests.<gpu> and limits.<gpu>). */
const gpuKeys = (o: K8sObject): string[] =>
  Object.keys(isRec(specOf(o).hard) ? (specOf(o).hard as object) : {}).filter((k) =>
    isGpuResource(k.replace(/^(requests|limits)\./, '')),
  );
const scoped = (o: K8sObject): boolean => {
  const s = specOf(o);
  return (Array.isArray(s.scopes) && s.scopes.length > 0) || isRec(s.scopeSelector);
};

const quota = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'gpu', namespace: 'tenant-acme' },
  spec,
});

export default defineRule({
  id: 'GEN-K8S-SCH-001',
  title: "A tenant namespace's GPU ResourceQuota counts every pod of the namespace",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['SC-6', 'AC-3'],
  rationale:
    "A ResourceQuota with scopes or a scopeSelector counts only the pods in its scope: a GPU quota scoped to Terminating, BestEffort or one PriorityClass leaves every other pod of the namespace free to request GPUs beyond the tenant's share. The GPU quota of a tenant namespace must be unscoped.",
  remediation:
    'Remove scopes and scopeSelector from the GPU ResourceQuota of the tenant namespace (regenerate with `genesis synth`).',
  *check(ctx) {
    const tenantNs = new Set(
      tenantNamespaces(ctx).map((t) => `${clusterOf(t.doc)}|${t.doc.object.metadata.name}`),
    );
    const byNs = new Map<string, typeof quotas>();
    const quotas = k8sDocs(ctx, 'ResourceQuota').filter(
      (d) => tenantNs.has(`${clusterOf(d)}|${d.object.metadata.namespace}`) && gpuKeys(d.object).length > 0,
    );
    for (const d of quotas) {
      const k = `${clusterOf(d)}|${d.object.metadata.namespace}`;
      byNs.set(k, [...(byNs.get(k) ?? []), d]);
    }
    for (const docs of byNs.values()) {
      if (docs.some((d) => !scoped(d.object))) continue;
      for (const d of docs) {
        const s = specOf(d.object);
        const scope = JSON.stringify({ scopes: s.scopes, scopeSelector: s.scopeSelector });
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `limits ${gpuKeys(d.object).join(', ')} only for pods in scope ${scope}; no unscoped GPU quota covers the other pods of ${String(d.object.metadata.namespace)}`,
        };
      }
    }
  },
  examples: [
    {
      name: 'an unscoped GPU quota',
      artifacts: k8s([exNamespace('acme'), quota({ hard: { 'requests.nvidia.com/gpu': 8 } })]),
      expect: { fires: false },
    },
    {
      name: 'a GPU quota scoped to Terminating pods',
      artifacts: k8s([
        exNamespace('acme'),
        quota({ hard: { 'requests.nvidia.com/gpu': 8 }, scopes: ['Terminating'] }),
      ]),
      expect: { fires: true, message: /Terminating/ },
    },
    {
      name: 'a GPU quota for one priority class only',
      artifacts: k8s([
        exNamespace('acme'),
        quota({
          hard: { 'requests.nvidia.com/gpu': 8 },
          scopeSelector: {
            matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['genesis-low'] }],
          },
        }),
      ]),
      expect: { fires: true, message: /PriorityClass/ },
    },
    {
      name: 'a scoped quota on CPU only',
      artifacts: k8s([exNamespace('acme'), quota({ hard: { 'requests.cpu': 8 }, scopes: ['Terminating'] })]),
      expect: { fires: false },
    },
  ],
});
