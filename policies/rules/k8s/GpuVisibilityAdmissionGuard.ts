import { defineRule, k8s } from '../../engine/rule-kit';
import { clusterOf, clusterRef, clusters, exNamespace, isRec, k8sDocs, specOf, tenantNamespaces } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';

const policy: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'deny-gpu-env' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
    validations: [{ expression: "object.spec.containers.all(c, !has(c.env) || c.env.all(e, e.name != 'NVIDIA_VISIBLE_DEVICES'))" }],
  },
};
const binding = (actions: string[]): K8sObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: 'deny-gpu-env' },
  spec: { policyName: 'deny-gpu-env', validationActions: actions },
});

export default defineRule({
  id: 'GEN-K8S-TEN-012',
  title: 'Each cluster with tenants denies NVIDIA_VISIBLE_DEVICES at admission',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'SC-4', 'SC-6'],
  target: 'k8s',
  rationale:
    'The NVIDIA device plugin exposes every GPU of a node to a container that requests none and sets NVIDIA_VISIBLE_DEVICES=all, bypassing quotas and reading other tenants\' GPU memory. A ValidatingAdmissionPolicy (failurePolicy Fail) and a Binding with the Deny action close that path.',
  remediation: 'Add a ValidatingAdmissionPolicy whose validations forbid NVIDIA_VISIBLE_DEVICES in pod env, failurePolicy Fail, and a ValidatingAdmissionPolicyBinding with validationActions [Deny] that covers tenant namespaces.',
  *check(ctx) {
    const withTenants = new Set(tenantNamespaces(ctx).map((t) => clusterOf(t.doc)));
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      if (!withTenants.has(key)) continue;
      const policies = k8sDocs(ctx, 'ValidatingAdmissionPolicy').filter(
        (p) => clusterOf(p) === key && JSON.stringify(specOf(p.object).validations ?? []).includes('NVIDIA_VISIBLE_DEVICES') && (specOf(p.object).failurePolicy ?? 'Fail') === 'Fail',
      );
      const bound = policies.some((p) =>
        k8sDocs(ctx, 'ValidatingAdmissionPolicyBinding').some((b) => {
          const s = specOf(b.object);
          return clusterOf(b) === key && s.policyName === p.object.metadata.name && Array.isArray(s.validationActions) && s.validationActions.includes('Deny') && (s.paramRef === undefined || isRec(s.paramRef));
        }),
      );
      if (!bound)
        yield {
          resource: clusterRef(site, cluster),
          status: 'fail',
          message: policies.length ? 'the NVIDIA_VISIBLE_DEVICES admission policy has no binding with validationActions Deny' : 'no ValidatingAdmissionPolicy (failurePolicy Fail) forbids NVIDIA_VISIBLE_DEVICES',
        };
    }
  },
  examples: {
    pass: [k8s([exNamespace('acme'), policy, binding(['Deny'])])],
    fail: [k8s([exNamespace('acme')]), k8s([exNamespace('acme'), policy, binding(['Audit'])]), k8s([exNamespace('acme'), policy])],
  },
});
