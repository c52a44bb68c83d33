import { defineRule, k8s } from '../../engine/rule-kit';
import { clusterOf, clusterRef, clusters, exNamespace, isRec, k8sDocs, namespaceLabels, selectorMatches, specOf, tenantNamespaces } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';

/** A policy that forbids the variable on pod creation and fails closed. */
function guardsEnv(o: K8sObject): boolean {
  const s = specOf(o);
  if ((s.failurePolicy ?? 'Fail') !== 'Fail' || !JSON.stringify(s.validations ?? []).includes('NVIDIA_VISIBLE_DEVICES')) return false;
  const rules = isRec(s.matchConstraints) && Array.isArray(s.matchConstraints.resourceRules) ? s.matchConstraints.resourceRules : [];
  return rules.some(
    (r) =>
      isRec(r) &&
      Array.isArray(r.resources) &&
      (r.resources.includes('pods') || r.resources.includes('*')) &&
      Array.isArray(r.operations) &&
      (r.operations.includes('CREATE') || r.operations.includes('*')),
  );
}

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
    const tenants = tenantNamespaces(ctx);
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      const namespaces = tenants.filter((t) => clusterOf(t.doc) === key).map((t) => t.doc.object);
      if (namespaces.length === 0) continue;
      const bindings = k8sDocs(ctx, 'ValidatingAdmissionPolicyBinding').filter((b) => clusterOf(b) === key);
      const guards = k8sDocs(ctx, 'ValidatingAdmissionPolicy').filter((p) => clusterOf(p) === key && guardsEnv(p.object));
      // A tenant namespace is covered when some guard policy and a Deny binding of it both select it.
      const uncovered = namespaces.filter(
        (ns) =>
          !guards.some((p) => {
            const constraints = isRec(specOf(p.object).matchConstraints) ? (specOf(p.object).matchConstraints as Record<string, unknown>) : {};
            if (!selectorMatches(constraints.namespaceSelector, namespaceLabels(ns))) return false;
            return bindings.some((b) => {
              const s = specOf(b.object);
              const match = isRec(s.matchResources) ? s.matchResources : {};
              return s.policyName === p.object.metadata.name && Array.isArray(s.validationActions) && s.validationActions.includes('Deny') && selectorMatches(match.namespaceSelector, namespaceLabels(ns));
            });
          }),
      );
      if (uncovered.length === 0) continue;
      yield {
        resource: clusterRef(site, cluster),
        status: 'fail',
        message:
          guards.length === 0
            ? 'no ValidatingAdmissionPolicy (failurePolicy Fail, on pod CREATE) forbids NVIDIA_VISIBLE_DEVICES'
            : `no Deny-bound NVIDIA_VISIBLE_DEVICES policy selects ${uncovered.map((n) => String(n.metadata.name)).join(', ')}`,
      };
    }
  },
  examples: {
    pass: [
      k8s([exNamespace('acme'), policy, binding(['Deny'])]),
      k8s([
        exNamespace('acme'),
        policy,
        { ...binding(['Deny']), spec: { policyName: 'deny-gpu-env', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }] } } } },
      ]),
    ],
    fail: [
      k8s([exNamespace('acme')]),
      k8s([exNamespace('acme'), policy, binding(['Audit'])]),
      k8s([exNamespace('acme'), policy]),
      k8s([exNamespace('acme'), policy, { ...binding(['Deny']), spec: { policyName: 'deny-gpu-env', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { team: 'x' } } } } }]),
      k8s([exNamespace('acme'), { ...policy, spec: { ...(policy.spec as object), failurePolicy: 'Ignore' } }, binding(['Deny'])]),
    ],
  },
});
