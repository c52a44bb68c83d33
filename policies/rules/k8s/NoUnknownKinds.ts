import { k8s } from '../../examples/builders';
import { apiGroupOf, knownTypes } from '../../analysis/known-types';
import { refOf } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject } from '../../engine/types';

export default defineRule({
  id: 'GEN-K8S-KIND-001',
  title: 'Every Kubernetes kind in the manifests is one the policy engine knows',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['CM-8', 'CM-7'],
  rationale:
    "Rules judge the kinds they know; a kind no rule reads (an operator's custom resource, an Ingress, a webhook of a new API group) would pass every check unseen. The world is closed: an API group and kind must be listed, with the reason it is known, in the reviewed allow-list policies/known-types.yaml.",
  remediation:
    'Remove the object, or add its API group and kind to policies/known-types.yaml with the rules that judge it or why it needs none, in a reviewed change; write a rule if it carries risk no rule sees.',
  *check(ctx) {
    const { kinds } = knownTypes();
    for (const d of ctx.artifacts.k8s?.documents ?? []) {
      const group = apiGroupOf(d.object.apiVersion);
      if (!kinds.has(`${group}/${d.object.kind}`))
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `kind ${d.object.kind} of API group '${group}' is not in policies/known-types.yaml`,
        };
    }
  },
  examples: [
    {
      name: 'a namespace, a known kind',
      artifacts: k8s([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }]),
      expect: { fires: false },
    },
    {
      name: 'an operator CRD kind no rule reads',
      artifacts: k8s([
        { apiVersion: 'example.com/v1', kind: 'Tunnel', metadata: { name: 'out' } } as K8sObject,
      ]),
      expect: { fires: true, message: /kind Tunnel of API group 'example.com'/ },
    },
    {
      name: 'a known kind under another API group',
      artifacts: k8s([
        {
          apiVersion: 'example.com/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'x', namespace: 'y' },
        } as K8sObject,
      ]),
      expect: { fires: true, message: /NetworkPolicy of API group 'example.com'/ },
    },
  ],
});
