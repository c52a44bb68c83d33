/**
 * Federations on Kubernetes: Kueue MultiKueue (`kueue.x-k8s.io/v1beta2`, Kueue 0.19). Where each
 * tenant's federated queue may dispatch is the model's answer ({@link federationPlacement}); this
 * file only writes it down, under the names of infra/contract/federation.ts.
 *
 * On the manager (cluster.yaml):
 *   - a MultiKueueCluster per worker, reading the worker's kubeconfig from the Secret
 *     `workerKubeconfigSecret(federation, worker)` in Kueue's namespace. The platform never writes
 *     those Secrets: a credential does not belong in generated manifests. They are created out of
 *     band, by the manager's operators, from credentials the worker's operators issue to the
 *     manager's group `managerGroupName(federation)` (the organisation of a client certificate,
 *     or the group of an OIDC token), under the key `kubeconfig`;
 *   - per federated tenant, a MultiKueueConfig listing the MultiKueueClusters of the workers its
 *     data may go to (annotated with the classification it requires), an AdmissionCheck of the
 *     MultiKueue controller pointing at it, and the tenant's ClusterQueue naming that check. Every
 *     workload admitted on that queue then runs on a worker, never on the manager: the manager's
 *     quota for the tenant bounds how much of its work is dispatched at once.
 *
 * On each worker:
 *   - cluster.yaml: the ClusterRole MULTIKUEUE_WORKER_ROLE, with what MultiKueue needs to mirror
 *     the kinds tenants may queue (MULTIKUEUE_WORKER_RULES of the contract, which says why each
 *     right is there and which are left out);
 *   - cluster.yaml also: the read-only ClusterRole MULTIKUEUE_WATCH_ROLE (list and watch of
 *     Workloads and the mirrored kinds) and, per federation, a ClusterRoleBinding of it to the
 *     manager's group. Kueue 0.19's MultiKueue opens its watches on a worker across all namespaces,
 *     filtered by an origin label RBAC does not see: without these the manager's
 *     MultiKueueCluster never becomes active. The cost, stated in the README: the manager can read
 *     the Jobs, Pods, StatefulSets and Workloads of every namespace of the worker;
 *   - tenant-<id>.yaml of each tenant whose queue may dispatch to the worker: a RoleBinding of the
 *     worker ClusterRole to the manager's group, in the tenant's namespace only: every write stays
 *     there. The tenant's namespace, ClusterQueue and LocalQueue on the worker carry the same
 *     names as on the manager (tenant-<id>, default), as MultiKueue requires.
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { federationPlacement, type FederatedQueue, type Federation, type Platform } from '../../infra/model';
import {
  ANNOTATION,
  federatedQueueCheckName,
  LABEL,
  managerGroupName,
  managerRoleBindingName,
  MULTIKUEUE_CONTROLLER,
  MULTIKUEUE_WATCH_ROLE,
  MULTIKUEUE_WATCH_RULES,
  MULTIKUEUE_WORKER_ROLE,
  managerWatchBindingName,
  MULTIKUEUE_WORKER_RULES,
  multiKueueClusterName,
  tenantNamespace,
  workerKubeconfigSecret,
} from '../../infra/contract';
import type { ClusterContext } from './context';
import { admissionCheck, KUEUE_GROUP, multiKueueCluster, multiKueueConfig } from './crds/kueue';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

const byId = (a: Federation, b: Federation): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const placements = new WeakMap<Platform, readonly FederatedQueue[]>();

/** The platform's federated queues (computed once per platform). */
export function placementOf(platform: Platform): readonly FederatedQueue[] {
  let p = placements.get(platform);
  if (!p) placements.set(platform, (p = federationPlacement(platform)));
  return p;
}

/**
 * The federated queues this cluster manages that may dispatch somewhere. A queue with no eligible
 * worker gets no MultiKueueConfig (it needs at least one cluster) and stays a local queue; the
 * model refuses such a platform anyway.
 */
export function managedQueues(ctx: ClusterContext): FederatedQueue[] {
  return placementOf(ctx.platform).filter((q) => q.manager === ctx.cluster.id && q.workers.length > 0);
}

/** The admission checks the tenant's ClusterQueue on this cluster names (none unless federated here). */
export function federatedQueueChecks(ctx: ClusterContext, tenantId: string): string[] {
  return managedQueues(ctx)
    .filter((q) => q.tenant === tenantId)
    .map((q) => federatedQueueCheckName(q.federation, q.tenant));
}

/** The federations in which this cluster is a worker, sorted by id. */
export function workerFederations(ctx: ClusterContext): Federation[] {
  return (ctx.platform.federations ?? []).filter((f) => f.workers.includes(ctx.cluster.id)).sort(byId);
}

/** Manager side: a MultiKueueCluster per worker, then a MultiKueueConfig and AdmissionCheck per tenant. */
export function addFederationManager(scope: Construct, ctx: ClusterContext): void {
  const managed = (ctx.platform.federations ?? []).filter((f) => f.manager === ctx.cluster.id).sort(byId);
  for (const f of managed) {
    for (const worker of [...new Set(f.workers)].sort()) {
      const name = multiKueueClusterName(f.id, worker);
      multiKueueCluster(scope, `multikueue-cluster-${name}`, {
        metadata: {
          name,
          labels: { ...ctx.labels(), [LABEL.federation]: f.id, [LABEL.worker]: worker },
        },
        // The Secret is created out of band (see the file comment): never generated, never in git.
        spec: {
          clusterSource: {
            kubeConfig: { location: workerKubeconfigSecret(f.id, worker), locationType: 'Secret' },
          },
        },
      });
    }
  }
  for (const q of managedQueues(ctx)) addFederatedQueue(scope, ctx, q);
}

function addFederatedQueue(scope: Construct, ctx: ClusterContext, q: FederatedQueue): void {
  const name = federatedQueueCheckName(q.federation, q.tenant);
  const labels = { ...ctx.labels({ tenant: q.tenant }), [LABEL.federation]: q.federation };
  multiKueueConfig(scope, `multikueue-config-${name}`, {
    metadata: { name, labels, annotations: { [ANNOTATION.requires]: q.requires } },
    spec: { clusters: q.workers.map((w) => multiKueueClusterName(q.federation, w)) },
  });
  admissionCheck(scope, `admission-check-${name}`, {
    metadata: { name, labels },
    spec: {
      controllerName: MULTIKUEUE_CONTROLLER,
      parameters: { apiGroup: KUEUE_GROUP, kind: 'MultiKueueConfig', name },
    },
  });
}

/**
 * Worker side, cluster-wide: the ClusterRole the federations' RoleBindings refer to. It grants
 * nothing until bound. A cluster that is a worker of several federations has one role, labelled
 * with their ids joined by "." (ids are DNS labels: they never hold one).
 */
export function addFederationWorkerRole(scope: Construct, ctx: ClusterContext): void {
  const federations = workerFederations(ctx);
  if (federations.length === 0) return;
  new kplus.k8s.KubeClusterRole(scope, 'multikueue-worker-role', {
    metadata: {
      name: MULTIKUEUE_WORKER_ROLE,
      labels: { ...ctx.labels(), [LABEL.federation]: federations.map((f) => f.id).join('.') },
    },
    rules: MULTIKUEUE_WORKER_RULES.map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      verbs: [...r.verbs],
    })),
  });
  addFederationWatch(scope, ctx, federations);
}

/**
 * Worker side, cluster-wide and read-only: MultiKueue's remote informers list and watch Workloads
 * and the mirrored kinds across all namespaces (by an origin label RBAC cannot see), so each
 * federation's manager group is bound, cluster-wide, to list and watch of those kinds only.
 */
function addFederationWatch(scope: Construct, ctx: ClusterContext, federations: readonly Federation[]): void {
  new kplus.k8s.KubeClusterRole(scope, 'multikueue-watch-role', {
    metadata: {
      name: MULTIKUEUE_WATCH_ROLE,
      labels: { ...ctx.labels(), [LABEL.federation]: federations.map((f) => f.id).join('.') },
    },
    rules: MULTIKUEUE_WATCH_RULES.map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      verbs: [...r.verbs],
    })),
  });
  for (const f of federations)
    new kplus.k8s.KubeClusterRoleBinding(scope, `multikueue-watch-${f.id}`, {
      metadata: {
        name: managerWatchBindingName(f.id),
        labels: { ...ctx.labels(), [LABEL.federation]: f.id },
      },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: MULTIKUEUE_WATCH_ROLE },
      subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: managerGroupName(f.id) }],
    });
}

/**
 * Worker side, in one tenant's namespace: a RoleBinding of the worker role to the manager's group
 * for each federation whose placement sends this tenant's work here. Nothing for a tenant the
 * placement keeps off this worker, even if it has quota here.
 */
export function addFederationWorkerBindings(scope: Construct, ctx: ClusterContext, tenantId: string): void {
  const queues = placementOf(ctx.platform).filter(
    (q) => q.tenant === tenantId && q.workers.includes(ctx.cluster.id),
  );
  for (const q of queues) {
    new kplus.k8s.KubeRoleBinding(scope, `multikueue-binding-${q.federation}`, {
      metadata: {
        name: managerRoleBindingName(q.federation),
        namespace: tenantNamespace(tenantId),
        labels: { ...ctx.labels({ tenant: tenantId }), [LABEL.federation]: q.federation },
      },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: MULTIKUEUE_WORKER_ROLE },
      subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: managerGroupName(q.federation) }],
    });
  }
}
