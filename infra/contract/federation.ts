/**
 * Names of the objects a federation (Kueue MultiKueue) consists of, on its manager and on its
 * workers: the Kubernetes target writes them, the federation policies join them. A leaf.
 *
 * On the manager:  a MultiKueueCluster per worker (kubeconfig Secret in Kueue's namespace, created
 *                  out of band), a MultiKueueConfig and an AdmissionCheck per federated tenant, and
 *                  the tenant's ClusterQueue naming that check.
 * On each worker:  the tenant's namespace, ClusterQueue and LocalQueue under the same names as on
 *                  the manager, a ClusterRole with what MultiKueue needs, and a RoleBinding of it
 *                  to the manager's group in each federated tenant's namespace only.
 */

/** The controller of MultiKueue admission checks. */
export const MULTIKUEUE_CONTROLLER = 'kueue.x-k8s.io/multikueue';

/** Kueue's own namespace, where MultiKueue reads the workers' kubeconfig Secrets. */
export const KUEUE_NAMESPACE = 'kueue-system';

/** The manager's MultiKueueCluster for one worker. */
export function multiKueueClusterName(federationId: string, workerId: string): string {
  return `${federationId}-${workerId}`;
}

/** The Secret (in KUEUE_NAMESPACE on the manager) holding the kubeconfig for one worker. */
export function workerKubeconfigSecret(federationId: string, workerId: string): string {
  return `multikueue-${federationId}-${workerId}`;
}

/** The MultiKueueConfig, and the AdmissionCheck pointing at it, of one federated tenant queue. */
export function federatedQueueCheckName(federationId: string, tenantId: string): string {
  return `${federationId}-${tenantId}`;
}

/**
 * The Kubernetes group the manager's credentials carry on a worker (the organisation of its client
 * certificate, or the group of its token): the only subject the worker binds for the federation.
 */
export function managerGroupName(federationId: string): string {
  return `${MANAGER_GROUP_PREFIX}${federationId}`;
}

/** Prefix of every federation manager's group. */
export const MANAGER_GROUP_PREFIX = 'genesis:multikueue:';

/** The ClusterRole on a worker with what MultiKueue needs; bound per tenant namespace only. */
export const MULTIKUEUE_WORKER_ROLE = 'genesis-multikueue-worker';

/** The RoleBinding, in a federated tenant's namespace on a worker, of MULTIKUEUE_WORKER_ROLE. */
export function managerRoleBindingName(federationId: string): string {
  return `multikueue-${federationId}`;
}
