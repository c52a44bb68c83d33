import { defineRule } from '../../engine/rule-kit';
import { firstBy, stringKey } from '../../engine/memo';
import {
  clusterOf,
  k8sDocs,
  labels,
  refOf,
  specOf,
  TENANT_LABEL,
  tenantNamespaceIndex,
  tenantOfDoc,
} from '../../engine/k8s';
import { exLocalQueue, k8s } from '../../examples/builders';
import { LABEL } from '../../../infra/contract';

const lq = exLocalQueue('tenant-acme');
const cq = {
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'tenant-acme', labels: { [LABEL.tenant]: 'acme' } },
  spec: { resourceGroups: [] },
};

export default defineRule({
  id: 'GEN-K8S-TEN-011',
  title: 'LocalQueues point at a ClusterQueue of their cluster that admits their namespace',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-6', 'CM-6'],
  rationale:
    "A LocalQueue that names a missing ClusterQueue leaves its workloads pending forever; one that names another tenant's queue would draw on that tenant's quota if the selector allowed it.",
  remediation:
    "Set spec.clusterQueue to the ClusterQueue of the namespace's tenant (named like the namespace).",
  *check(ctx) {
    const queues = k8sDocs(ctx, 'ClusterQueue');
    // the first ClusterQueue of each cluster and name, as a search finds it
    const byName = firstBy(queues, (q) => stringKey(clusterOf(q), q.object.metadata.name));
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx, 'LocalQueue')) {
      const target = specOf(d.object).clusterQueue;
      const key = stringKey(clusterOf(d), target);
      const found =
        key !== undefined
          ? byName.get(key)
          : queues.find((q) => clusterOf(q) === clusterOf(d) && q.object.metadata.name === target);
      const tenant = tenantOfDoc(index, d);
      const owner = found ? labels(found.object)[TENANT_LABEL] : undefined;
      if (!found)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `ClusterQueue "${String(target)}" does not exist on the cluster`,
        };
      else if (owner !== undefined && owner !== tenant)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `points at ClusterQueue "${String(target)}" of tenant ${owner}`,
        };
    }
  },
  examples: [
    { name: "a LocalQueue of its tenant's ClusterQueue", artifacts: k8s([lq, cq]), expect: { fires: false } },
    {
      name: 'a LocalQueue of a ClusterQueue that does not exist',
      artifacts: k8s([lq]),
      expect: { fires: true, message: /ClusterQueue "tenant-acme" does not exist on the cluster/ },
    },
    {
      name: 'a LocalQueue whose ClusterQueue has another name',
      artifacts: k8s([lq, { ...cq, metadata: { name: 'tenant-other' } }]),
      expect: { fires: true, message: /ClusterQueue "tenant-acme" does not exist on the cluster/ },
    },
    {
      name: "a LocalQueue of another tenant's ClusterQueue",
      artifacts: k8s([
        { ...lq, spec: { clusterQueue: 'tenant-other' } },
        { ...cq, metadata: { name: 'tenant-other', labels: { [TENANT_LABEL]: 'other' } } },
      ]),
      expect: { fires: true, message: /points at ClusterQueue "tenant-other" of tenant other/ },
    },
  ],
});
