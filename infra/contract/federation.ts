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

/** The service account of Kueue's controller manager (upstream manifests), which runs MultiKueue. */
export const KUEUE_SERVICE_ACCOUNT = 'kueue-controller-manager';

/**
 * On AWS, the IAM role of a manager cluster's MultiKueue controller (Pod Identity of
 * KUEUE_NAMESPACE/KUEUE_SERVICE_ACCOUNT), in the platform account of the manager's site: the only
 * principal a partner's worker role trusts.
 */
export function multiKueueManagerRoleName(managerClusterId: string): string {
  return `genesis-${managerClusterId}-multikueue`;
}

/**
 * On AWS, the IAM role in a partner's account that the manager of one federation assumes to reach
 * the partner's worker clusters; their EKS access entries map it to managerGroupName only.
 */
export function multiKueueWorkerRoleName(federationId: string): string {
  return `genesis-multikueue-${federationId}`;
}

/** ARN of an IAM role by name. */
export function iamRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/** The ClusterRole on a worker with what MultiKueue needs; bound per tenant namespace only. */
export const MULTIKUEUE_WORKER_ROLE = 'genesis-multikueue-worker';

/** The RoleBinding, in a federated tenant's namespace on a worker, of MULTIKUEUE_WORKER_ROLE. */
export function managerRoleBindingName(federationId: string): string {
  return `multikueue-${federationId}`;
}

/** One rule of an RBAC role, as the API writes it. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * The rules of MULTIKUEUE_WORKER_ROLE, exactly: what the manager's MultiKueue does on a worker
 * (Kueue 0.19, `create-multikueue-kubeconfig.sh` and pkg/controller/admissionchecks/multikueue),
 * kept to the kinds tenants may queue (batch Jobs, and Pods and StatefulSets through Kueue's pod
 * and statefulset integrations; Deployments are queued as their pods): create the mirror of a job
 * and of its Workload, read and watch them, delete them when done; Workloads are also updated
 * (finalizer removed, priority kept in step with the manager's). The Kubernetes target writes
 * them; a policy may hold the role to them, as PriorityClasses are held to PRIORITY_LEVELS.
 *
 * Left out on purpose: Secrets, pods/exec, RBAC, namespaces, nodes and wildcards; the job kinds of
 * operators the platform does not install (JobSet, Kubeflow, Ray, LeaderWorkerSet, AppWrapper);
 * ClusterQueue and LocalQueue reads (only the alpha MultiKueueManagerQuotaAutomation uses them,
 * and ClusterQueues are cluster-scoped, out of a RoleBinding's reach); Workload status writes
 * (only the alpha MultiKueueOrchestratedPreemption writes it, and it would let the manager's
 * credentials write a Workload's admission around the worker's own quota); Job patches (only
 * elastic Jobs, which resize a running Job, need them).
 */
export const MULTIKUEUE_WORKER_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['statefulsets/status'], verbs: ['get'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['get'] },
  {
    apiGroups: ['kueue.x-k8s.io'],
    resources: ['workloads'],
    verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
  },
];

/**
 * The ClusterRole on a worker with what MultiKueue's remote informers need across namespaces:
 * list and watch of Workloads and of each mirrored kind, nothing else. MultiKueue (Kueue 0.19)
 * opens these watches on the whole worker, selected by its origin label, which RBAC cannot see;
 * writes stay in MULTIKUEUE_WORKER_ROLE, bound per tenant namespace.
 */
export const MULTIKUEUE_WATCH_ROLE = 'genesis-multikueue-watch';

/** The rules of MULTIKUEUE_WATCH_ROLE: list and watch of the kinds MULTIKUEUE_WORKER_RULES writes. */
export const MULTIKUEUE_WATCH_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch'] },
  { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads'], verbs: ['list', 'watch'] },
];

/** The ClusterRoleBinding, on a worker, of MULTIKUEUE_WATCH_ROLE to one federation's manager group. */
export function managerWatchBindingName(federationId: string): string {
  return `multikueue-${federationId}-watch`;
}
