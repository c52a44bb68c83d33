import { defineRule } from '../../engine/rule-kit';
import { clusterOf, inNamespace, isRec, refOf, specOf, tenantNamespaces } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { exNamespace, k8s } from '../../examples/builders';

export const denyAll = (ns: string, policyTypes = ['Ingress', 'Egress']): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: ns },
  spec: { podSelector: {}, policyTypes },
});

/** A NetworkPolicy that selects every pod and admits nothing in both directions. */
export function isDefaultDeny(o: K8sObject): boolean {
  const s = specOf(o);
  const selectsAll =
    isRec(s.podSelector) &&
    Object.values(s.podSelector).every(
      (v) =>
        v === undefined || (isRec(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0),
    );
  const types = Array.isArray(s.policyTypes) ? s.policyTypes : [];
  const empty = (k: string) =>
    s[k] === undefined || (Array.isArray(s[k]) && (s[k] as unknown[]).length === 0);
  return (
    selectsAll && types.includes('Ingress') && types.includes('Egress') && empty('ingress') && empty('egress')
  );
}

export default defineRule({
  id: 'GEN-K8S-TEN-003',
  title: 'Every tenant namespace has a default-deny NetworkPolicy for ingress and egress',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-7', 'AC-4', 'SC-7(5)'],
  rationale:
    'Kubernetes allows all pod traffic until a policy selects a pod; a namespace-wide deny of both directions makes every flow an explicit, reviewable allow (deny by default, SC-7(5)).',
  remediation:
    'Add a NetworkPolicy with podSelector: {}, policyTypes [Ingress, Egress] and no rules to the namespace; add allows as separate policies.',
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const policies = inNamespace(ctx, 'NetworkPolicy', clusterOf(doc), doc.object.metadata.name);
      if (!policies.some((p) => isDefaultDeny(p.object)))
        yield {
          resource: refOf(doc),
          status: 'fail',
          message: `namespace ${String(doc.object.metadata.name)} has no default-deny NetworkPolicy for Ingress and Egress`,
        };
    }
  },
  examples: [
    {
      name: 'a default deny of ingress and egress',
      artifacts: k8s([exNamespace('acme'), denyAll('tenant-acme')]),
      expect: { fires: false },
    },
    {
      name: 'a tenant namespace without NetworkPolicy',
      artifacts: k8s([exNamespace('acme')]),
      expect: {
        fires: true,
        message: /namespace tenant-acme has no default-deny NetworkPolicy for Ingress and Egress/,
      },
    },
    {
      name: 'a default deny of ingress only',
      artifacts: k8s([exNamespace('acme'), denyAll('tenant-acme', ['Ingress'])]),
      expect: {
        fires: true,
        message: /namespace tenant-acme has no default-deny NetworkPolicy for Ingress and Egress/,
      },
    },
    {
      name: 'a default deny in another namespace',
      artifacts: k8s([exNamespace('acme'), denyAll('tenant-other')]),
      expect: {
        fires: true,
        message: /namespace tenant-acme has no default-deny NetworkPolicy for Ingress and Egress/,
      },
    },
  ],
});
