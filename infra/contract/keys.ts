/**
 * Every tag, label and annotation key that a target writes and a policy reads: the one place
 * they are spelled. Targets import these to write artifacts; the policy engine imports them to
 * read artifacts. A test (test/architecture/contract.test.ts) fails where a key is spelled
 * anywhere else.
 */

/** Kubernetes label keys of the platform (AWS tags use the same words under `genesis:`). */
export const LABEL = {
  tenant: 'genesis.platform/tenant',
  dataset: 'genesis.platform/dataset',
  enclave: 'genesis.platform/enclave',
  classification: 'genesis.platform/classification',
  cluster: 'genesis.platform/cluster',
  pool: 'genesis.platform/pool',
  site: 'genesis.platform/site',
  tier: 'genesis.platform/tier',
  /** On every object a federation creates, on its manager and on its workers: the federation id. */
  federation: 'genesis.platform/federation',
  /** On a manager's MultiKueueCluster: the id of the worker cluster it connects to. */
  worker: 'genesis.platform/worker-cluster',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/** Kubernetes annotation keys of the platform. */
export const ANNOTATION = {
  /** On dataset volumes and claims: the last day of the grant (YYYY-MM-DD). */
  grantExpires: 'genesis.platform/grant-expires',
  /** On dataset volumes and claims: `read` or `write`. */
  access: 'genesis.platform/access',
  /**
   * On a Kueue ResourceFlavor: the capacity it stands for, `resource=quantity` comma separated
   * (`nvidia.com/gpu=32,cpu=768,memory=8Ti`). Kueue does not know what exists; this is the record.
   */
  capacity: 'genesis.platform/capacity',
  /** On a StorageClass: the file system endpoint it mounts. */
  endpoint: 'genesis.platform/endpoint',
  /**
   * On a manager's MultiKueueConfig: the highest data classification among the datasets its
   * tenant holds grants on, the least a listed worker's enclave must allow.
   */
  requires: 'genesis.platform/requires-classification',
  /** On a ServiceAccount: the IAM role it assumes through IRSA (EKS's own key). */
  roleArn: 'eks.amazonaws.com/role-arn',
} as const;

/** Label keys that Kubernetes, Pod Security, Kueue and NVIDIA define, as the platform uses them. */
export const WELL_KNOWN_LABEL = {
  namespaceName: 'kubernetes.io/metadata.name',
  queueName: 'kueue.x-k8s.io/queue-name',
  priorityClass: 'kueue.x-k8s.io/priority-class',
  devicePluginConfig: 'nvidia.com/device-plugin.config',
  migConfig: 'nvidia.com/mig.config',
} as const;

/** The Pod Security modes a namespace label can set. */
export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;

/** `pod-security.kubernetes.io/<mode>` (the level) or `<mode>-version` (the pinned version). */
export function podSecurityLabel(mode: (typeof POD_SECURITY_MODES)[number], version = false): string {
  return `pod-security.kubernetes.io/${mode}${version ? '-version' : ''}`;
}

/** The value of LABEL.managedBy on everything the platform generates. */
export const MANAGED_BY = 'genesis';

/** AWS tag keys. */
export const TAG = {
  tenant: 'genesis:tenant',
  dataset: 'genesis:dataset',
  enclave: 'genesis:enclave',
  classification: 'genesis:classification',
  cluster: 'genesis:cluster',
  site: 'genesis:site',
  tier: 'genesis:tier',
  grantExpires: 'genesis:grant-expires',
  /**
   * On a tenant's data role: its GPU quota, `<cluster>/<pool>=<nominal>` separated by spaces.
   * EKS has no notion of GPU quota; the tag lets a reviewer of the account see what was promised.
   */
  gpuQuota: 'genesis:gpu-quota',
  /** On a tenant's data role: its storage quotas, `<tier>=<bytes>` separated by spaces. */
  storageQuotas: 'genesis:storage-quotas',
  /** On one tenant storage resource: its quota in bytes. */
  storageQuota: 'genesis:storage-quota',
} as const;

/** Prefix of the per-grant tag on a tenant data role: `genesis:grant:<dataset>` = read | write. */
export const GRANT_TAG_PREFIX = 'genesis:grant:';
/** Prefix of the per-classification key tag: `genesis:data-key:<classification>` = read | write. */
export const DATA_KEY_TAG_PREFIX = 'genesis:data-key:';

export function grantTagKey(datasetId: string): string {
  return `${GRANT_TAG_PREFIX}${datasetId}`;
}

export function dataKeyTagKey(classification: string): string {
  return `${DATA_KEY_TAG_PREFIX}${classification}`;
}
