/**
 * The per-tenant bundle on one cluster: Namespace (restricted Pod Security), ResourceQuota and
 * LimitRange from {@link tenantResourcePlan}, default-deny NetworkPolicies with explicit allows,
 * the workload ServiceAccount, a Role and RoleBinding for the tenant's group, and the LocalQueue.
 *
 * Every namespaced object names its namespace itself (the chart has none), so that the Namespace
 * and the dataset PersistentVolumes, which are cluster-scoped, can share the chart without being
 * stamped with a namespace.
 */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { quantityToBytes, type Tenant } from '../../infra/model';
import {
  TENANT_WORKLOAD_SERVICE_ACCOUNT,
  tenantGroupName,
  tenantNamespace,
} from '../../infra/contract/names';
import type { ClusterContext } from './context';
import { localQueue } from './crds/kueue';
import { clusterQueueName, LOCAL_QUEUE } from './kueue';
import { PRIORITY_LEVELS } from './priority';
import { formatBytes, formatCpu } from './quantities';
import { CPU, MEMORY, tenantResourcePlan, type TenantResourcePlan } from './resources';
import { storageClassPlans, type K8sOptions } from './storage';
import { addEgressAllowList } from './tenant-egress';
import { podSecurityLabel, POD_SECURITY_MODES } from '../../infra/contract';

/** Pod Security Standards: enforce, audit and warn at `restricted`, pinned to the cluster's minor. */
export function podSecurityLabels(kubernetesVersion: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of POD_SECURITY_MODES) {
    labels[podSecurityLabel(mode)] = 'restricted';
    labels[podSecurityLabel(mode, true)] = `v${kubernetesVersion}`;
  }
  return labels;
}

/** PersistentVolumeClaims a tenant may hold per StorageClass it has quota on. */
export const PVCS_PER_CLASS = 50;

export const COMPUTE_QUOTA = 'genesis-compute-storage';
export const PRIORITY_QUOTA = 'genesis-priority-classes';
export const LIMIT_RANGE = 'genesis-defaults';

/** ResourceQuota keys of compute resources: `requests.<resource>` for each entry of the plan. */
export function computeQuotaKey(resource: string): string {
  return `requests.${resource}`;
}

function quantity(resource: string, amount: bigint): kplus.k8s.Quantity {
  if (resource === CPU) return kplus.k8s.Quantity.fromString(formatCpu(Number(amount)));
  if (resource === MEMORY) return kplus.k8s.Quantity.fromString(formatBytes(amount));
  return kplus.k8s.Quantity.fromNumber(Number(amount));
}

export function computeQuota(plan: TenantResourcePlan): Record<string, kplus.k8s.Quantity> {
  const hard: Record<string, kplus.k8s.Quantity> = {};
  // The ceiling is nominal plus borrowing: whatever Kueue may admit, the quota lets run.
  for (const resource of plan.resources)
    hard[computeQuotaKey(resource)] = quantity(resource, plan.ceiling.get(resource) ?? 0n);
  return hard;
}

export interface TenantBundleProps {
  readonly ctx: ClusterContext;
  readonly tenantId: string;
  readonly options?: K8sOptions;
}

/** Metadata of a namespaced object of the tenant: its name, the tenant's namespace and labels. */
type TenantMeta = (
  name: string,
  extra?: Record<string, string>,
) => { name: string; namespace: string; labels: Record<string, string> };

/** {@link TenantMeta} for objects in `namespace` carrying `labels` (plus any extra). */
function tenantMeta(namespace: string, labels: Record<string, string>): TenantMeta {
  return (name: string, extra: Record<string, string> = {}) => ({
    name,
    namespace,
    labels: { ...labels, ...extra },
  });
}

/** The ServiceAccounts, and the Role and RoleBinding that give the tenant's group its rights. */
function addIdentity(scope: Construct, tenantId: string, meta: TenantMeta): void {
  // Pods that name no ServiceAccount run as `default`; it gets no API token.
  new kplus.ServiceAccount(scope, 'default-sa', { metadata: meta('default'), automountToken: false });
  // On EKS this account gets the tenant's data role through an EKS Pod Identity association,
  // which the AWS target's tenant stack declares (the role trusts Pod Identity only). It carries
  // no IRSA annotation on purpose: AWS SDKs try web-identity credentials before Pod Identity, so
  // an annotation would make every call fail against a role that does not trust the OIDC issuer.
  new kplus.ServiceAccount(scope, 'workload-sa', {
    metadata: meta(TENANT_WORKLOAD_SERVICE_ACCOUNT),
    // Pods that need the API mount a token explicitly; the Pod Identity agent needs none here.
    automountToken: false,
  });
  const role = new kplus.Role(scope, 'member-role', { metadata: meta('genesis-tenant-member') });
  const core = (resourceType: string) => kplus.ApiResource.custom({ apiGroup: '', resourceType });
  const group = (apiGroup: string, resourceType: string) =>
    kplus.ApiResource.custom({ apiGroup, resourceType });
  const rw = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const ro = ['get', 'list', 'watch'];
  role.allow(
    rw,
    core('pods'),
    core('services'),
    core('configmaps'),
    core('secrets'),
    core('persistentvolumeclaims'),
  );
  role.allow(
    rw,
    group('batch', 'jobs'),
    group('batch', 'cronjobs'),
    group('apps', 'deployments'),
    group('apps', 'statefulsets'),
  );
  role.allow(['create'], core('pods/exec'), core('pods/portforward'));
  role.allow(
    ro,
    core('pods/log'),
    core('events'),
    core('serviceaccounts'),
    core('resourcequotas'),
    core('limitranges'),
  );
  role.allow(
    ro,
    group('kueue.x-k8s.io', 'workloads'),
    group('kueue.x-k8s.io', 'localqueues'),
    group('networking.k8s.io', 'networkpolicies'),
  );
  const binding = new kplus.RoleBinding(scope, 'member-binding', {
    metadata: meta('genesis-tenant-members'),
    role,
  });
  binding.addSubjects(kplus.Group.fromName(scope, 'member-group', tenantGroupName(tenantId)));
}

/**
 * The hard limits of the compute-and-storage quota: compute from the plan, then storage and PVC
 * count per StorageClass, then no LoadBalancer or NodePort Services.
 */
function computeStorageQuota(
  ctx: ClusterContext,
  tenant: Tenant,
  plan: TenantResourcePlan,
  options: K8sOptions,
): Record<string, kplus.k8s.Quantity> {
  const hard = computeQuota(plan);
  const classes = storageClassPlans(ctx, options);
  for (const sc of classes) {
    const size = tenant.quotas.storage[sc.tier.tier.id];
    // A class the tenant has no quota for is closed to it (0), not unlimited.
    hard[`${sc.name}.storageclass.storage.k8s.io/requests.storage`] = kplus.k8s.Quantity.fromString(
      size ? formatBytes(quantityToBytes(size)) : '0',
    );
    hard[`${sc.name}.storageclass.storage.k8s.io/persistentvolumeclaims`] = kplus.k8s.Quantity.fromNumber(
      size ? PVCS_PER_CLASS : 0,
    );
  }
  hard['services.loadbalancers'] = kplus.k8s.Quantity.fromNumber(0);
  hard['services.nodeports'] = kplus.k8s.Quantity.fromNumber(0);
  return hard;
}

/** The ResourceQuotas (compute and storage; priority classes) and the LimitRange. */
function addQuotas(
  scope: Construct,
  hard: Record<string, kplus.k8s.Quantity>,
  plan: TenantResourcePlan,
  meta: TenantMeta,
): void {
  new kplus.k8s.KubeResourceQuota(scope, 'quota', { metadata: meta(COMPUTE_QUOTA), spec: { hard } });
  // Pods may use only the platform's priority classes, not system-node-critical and the like.
  new kplus.k8s.KubeResourceQuota(scope, 'priority-quota', {
    metadata: meta(PRIORITY_QUOTA),
    spec: {
      hard: { pods: kplus.k8s.Quantity.fromNumber(0) },
      scopeSelector: {
        matchExpressions: [
          { scopeName: 'PriorityClass', operator: 'NotIn', values: PRIORITY_LEVELS.map((l) => l.name) },
        ],
      },
    },
  });
  new kplus.k8s.KubeLimitRange(scope, 'limits', {
    metadata: meta(LIMIT_RANGE),
    spec: {
      limits: [
        {
          type: 'Container',
          // Only requests are defaulted: a default limit below a stated request would make the
          // pod invalid, and GPUs are never defaulted (a pod that asks for none gets none).
          defaultRequest: {
            [CPU]: kplus.k8s.Quantity.fromString(formatCpu(plan.defaultRequest.cpuMillis)),
            [MEMORY]: kplus.k8s.Quantity.fromString(formatBytes(plan.defaultRequest.memoryBytes)),
          },
        },
      ],
    },
  });
}

/** Default-deny NetworkPolicies with the explicit allows: DNS, the same namespace, the enclave. */
function addNetworkPolicies(scope: Construct, ctx: ClusterContext, meta: TenantMeta): void {
  const allPods = kplus.Pods.all(scope, 'all-pods');
  new kplus.NetworkPolicy(scope, 'default-deny', {
    metadata: meta('genesis-default-deny'),
    selector: allPods,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const dns = new kplus.NetworkPolicy(scope, 'allow-dns', {
    metadata: meta('genesis-allow-dns'),
    selector: allPods,
  });
  dns.addEgressRule(
    kplus.Pods.select(scope, 'kube-dns', {
      labels: { 'k8s-app': 'kube-dns' },
      namespaces: kplus.Namespaces.select(scope, 'kube-system', { names: ['kube-system'] }),
    }),
    [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
  );
  const same = new kplus.NetworkPolicy(scope, 'allow-same-namespace', {
    metadata: meta('genesis-allow-same-namespace'),
    selector: allPods,
  });
  same.addIngressRule(allPods);
  same.addEgressRule(allPods);
  // HTTPS to addresses inside the enclave: on-prem the object-storage gateway; on AWS the enclave's
  // interface endpoints (KMS, STS, CloudWatch Logs, ECR). S3 on AWS is a gateway endpoint that
  // routes to S3's public prefixes, which this rule does not open: pods reach datasets through
  // their volumes, which the node mounts (Mountpoint for S3, Lustre, CephFS, NFS, EFS, FSx) outside
  // the pod's network namespace. The block is the whole enclave CIDR, wider than the endpoints'
  // own addresses (which the model does not know); other tenants' pods in it stay closed by
  // their own default-deny ingress.
  const storage = new kplus.NetworkPolicy(scope, 'allow-storage', {
    metadata: meta('genesis-allow-storage-endpoints'),
    selector: allPods,
  });
  storage.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(scope, 'enclave-cidr', ctx.enclave.cidr), [
    kplus.NetworkPolicyPort.tcp(443),
  ]);
}

export function addTenantBundle(scope: Construct, { ctx, tenantId, options = {} }: TenantBundleProps): void {
  const namespace = tenantNamespace(tenantId);
  const tenant = ctx.tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new Error(`tenant "${tenantId}" has no GPU quota on cluster "${ctx.cluster.id}"`);
  const labels = ctx.labels({ tenant: tenantId });
  const meta = tenantMeta(namespace, labels);
  const plan = tenantResourcePlan(ctx, tenantId);

  new kplus.Namespace(scope, 'namespace', {
    metadata: { name: namespace, labels: { ...labels, ...podSecurityLabels(ctx.cluster.kubernetesVersion) } },
  });

  addIdentity(scope, tenantId, meta);
  addQuotas(scope, computeStorageQuota(ctx, tenant, plan, options), plan, meta);
  addNetworkPolicies(scope, ctx, meta);
  addEgressAllowList(scope, ctx, tenantId);

  // --- scheduling -----------------------------------------------------------------------------
  localQueue(scope, 'local-queue', {
    metadata: meta(LOCAL_QUEUE),
    spec: { clusterQueue: clusterQueueName(tenantId) },
  });
}
