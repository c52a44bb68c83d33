import { WELL_KNOWN_LABEL } from '../../../infra/contract';
import { defineRule } from '../../engine/rule-kit';
import { isRec, labels, refOf, specOf, TENANT_LABEL } from '../../engine/k8s';
import { clusterQueues } from '../../engine/kueue';
import { exClusterQueue, k8s } from '../../examples/builders';

const NAME_LABEL = WELL_KNOWN_LABEL.namespaceName;

/** Whether a selector admits exactly the namespace `ns`, by the name label the API server sets. */
function pinsNamespace(selector: unknown, ns: string): boolean {
  if (!isRec(selector)) return false;
  const ml = isRec(selector.matchLabels) ? selector.matchLabels : {};
  if (ml[NAME_LABEL] === ns) return true;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return exprs.some(
    (e) =>
      isRec(e) &&
      e.key === NAME_LABEL &&
      e.operator === 'In' &&
      Array.isArray(e.values) &&
      e.values.length === 1 &&
      e.values[0] === ns,
  );
}

export default defineRule({
  id: 'GEN-K8S-CAP-004',
  title: "A tenant's ClusterQueue admits only that tenant's namespace",
  pack: 'k8s-capacity',
  severity: 'error',
  controls: ['AC-3', 'SC-6'],
  rationale:
    "namespaceSelector {} admits every namespace: any namespace with a LocalQueue pointing at the queue spends the tenant's quota. Selecting by kubernetes.io/metadata.name (set by the API server, not forgeable by a label edit) pins the queue to its tenant.",
  remediation: `Set namespaceSelector.matchLabels ${NAME_LABEL}: tenant-<id> on the ClusterQueue labelled ${TENANT_LABEL}: <id>.`,
  *check(ctx) {
    for (const q of clusterQueues(ctx)) {
      const tenant = labels(q.object)[TENANT_LABEL];
      const selector = specOf(q.object).namespaceSelector;
      if (isRec(selector) && Object.keys(selector).length === 0)
        yield { resource: refOf(q), status: 'fail', message: 'namespaceSelector {} admits every namespace' };
      else if (tenant !== undefined && !pinsNamespace(selector, `tenant-${tenant}`))
        yield {
          resource: refOf(q),
          status: 'fail',
          message: `queue of tenant ${tenant} does not pin namespace tenant-${tenant} by ${NAME_LABEL}`,
        };
    }
  },
  examples: [
    {
      name: "a queue pinned to its tenant's namespace by name",
      artifacts: k8s([exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } })]),
      expect: { fires: false },
    },
    {
      name: 'a queue with an empty namespaceSelector',
      artifacts: k8s([
        {
          ...exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }),
          spec: { ...(exClusterQueue('a', {}).spec as object), namespaceSelector: {} },
        },
      ]),
      expect: { fires: true, message: /namespaceSelector \{\} admits every namespace/ },
    },
    {
      name: 'a queue that selects namespaces by a team label',
      artifacts: k8s([
        {
          ...exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }),
          spec: {
            ...(exClusterQueue('a', {}).spec as object),
            namespaceSelector: { matchLabels: { team: 'a' } },
          },
        },
      ]),
      expect: {
        fires: true,
        message: /queue of tenant a does not pin namespace tenant-a by kubernetes\.io\/metadata\.name/,
      },
    },
  ],
});
