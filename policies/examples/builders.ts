/**
 * Builders of the artifact fragments that rule examples are made of (the `examples` of each rule
 * file, run by test/policies/rules.test.ts). Example code only: no engine module imports this one.
 */
import {
  ANNOTATION,
  LABEL,
  podSecurityLabel,
  TAG,
  tenantGroupName,
  WELL_KNOWN_LABEL,
} from '../../infra/contract';
import type { CfnTemplate, ExampleArtifacts, K8sObject } from '../engine/types';

// ---- artifact sets -------------------------------------------------------------------------

/** One stack named `stack` holding `resources`. */
export const cfn = (
  resources: Record<string, unknown>,
  stack = 'Site-example',
  extra: Partial<CfnTemplate> = {},
): ExampleArtifacts => ({
  aws: { [stack]: { Resources: resources as CfnTemplate['Resources'], ...extra } },
});

/** Objects in one chart file of cluster `site/cluster`. */
export const k8s = (
  objects: readonly K8sObject[],
  file = 'site-a/cluster-a/chart.yaml',
): ExampleArtifacts => ({
  k8s: { [file]: objects },
});

/** Several fragments as one artifact set: stacks of the same name and files of the same path are joined. */
export const merge = (...parts: ExampleArtifacts[]): ExampleArtifacts => {
  const aws: Record<string, CfnTemplate> = {};
  const k: Record<string, K8sObject[]> = {};
  let hasAws = false;
  let hasK8s = false;
  for (const p of parts) {
    for (const [name, t] of Object.entries(p.aws ?? {})) {
      hasAws = true;
      aws[name] = aws[name]
        ? { ...aws[name], ...t, Resources: { ...aws[name].Resources, ...t.Resources } }
        : t;
    }
    for (const [file, objs] of Object.entries(p.k8s ?? {})) {
      hasK8s = true;
      k[file] = [...(k[file] ?? []), ...objs];
    }
  }
  return { aws: hasAws ? aws : undefined, k8s: hasK8s ? k : undefined };
};

/** n similar entries keyed name0..name(n-1). */
export function many<T>(n: number, prefix: string, make: (i: number) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (let i = 0; i < n; i++) out[`${prefix}${i}`] = make(i);
  return out;
}

// ---- CloudFormation resources --------------------------------------------------------------

export const tags = (t: Record<string, string>): Array<{ Key: string; Value: string }> =>
  Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

/** A restricted-enclave VPC. */
export const restrictedVpc = {
  Type: 'AWS::EC2::VPC',
  Properties: { CidrBlock: '10.41.0.0/16', Tags: [{ Key: TAG.classification, Value: 'cui' }] },
};
export const publicVpc = {
  Type: 'AWS::EC2::VPC',
  Properties: { CidrBlock: '10.40.0.0/16', Tags: [{ Key: TAG.classification, Value: 'public' }] },
};
/** A VPC without classification tag, tagged with enclave `e`. */
export const untaggedVpc = {
  Type: 'AWS::EC2::VPC',
  Properties: { CidrBlock: '10.41.0.0/16', Tags: [{ Key: TAG.enclave, Value: 'e' }] },
};
/** A subnet of VPC `Vpc` tagged cui. */
export const cuiSubnet = {
  Type: 'AWS::EC2::Subnet',
  Properties: {
    VpcId: { Ref: 'Vpc' },
    CidrBlock: '10.41.0.0/24',
    Tags: [{ Key: TAG.classification, Value: 'cui' }],
  },
};
/** A dataset bucket of enclave `e`, tagged cui. */
export const cuiBucket = {
  Type: 'AWS::S3::Bucket',
  Properties: {
    Tags: [
      { Key: TAG.classification, Value: 'cui' },
      { Key: TAG.enclave, Value: 'e' },
    ],
  },
};

/** A bucket named `data` and nothing else (logical id `Data` in the examples that use it). */
export const dataBucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data' } };

/** A role that no one may assume and that belongs to no tenant. */
export const plainRole = {
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [] } },
};

/** A tenant's data role, trusted by EKS Pod Identity from the tenant's namespace. */
export const tenantRole = (tenant: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: `genesis-${tenant}-data`,
    Tags: [{ Key: TAG.tenant, Value: tenant }],
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111122223333',
              'aws:RequestTag/kubernetes-namespace': `tenant-${tenant}`,
              'aws:RequestTag/kubernetes-service-account': 'workload',
            },
          },
        },
      ],
    },
    ...extra,
  },
});

/** A managed policy attached to the role of logical id `roleLogicalId`. */
export const managedPolicy = (roleLogicalId: string, statements: unknown[]) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
    Roles: [{ Ref: roleLogicalId }],
  },
});

/** A read grant on the objects of a dataset's bucket that ends at `until`. */
export const readGrant = (dataset: string, until = '2027-07-01T00:00:00Z') => ({
  Effect: 'Allow',
  Action: ['s3:GetObject'],
  Resource: `arn:aws-us-gov:s3:::genesis-111122223333-${dataset}/*`,
  Condition: { DateLessThan: { 'aws:CurrentTime': until } },
});

/** An EKS Pod Identity association of ServiceAccount `workload` in `namespace` with the role of logical id `role`. */
export const podIdentityAssociation = (namespace: string, role: string, cluster: string) => ({
  Type: 'AWS::EKS::PodIdentityAssociation',
  Properties: {
    ClusterName: cluster,
    Namespace: namespace,
    ServiceAccount: 'workload',
    RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
  },
});

// ---- Kubernetes objects --------------------------------------------------------------------

/** The namespace of a tenant as the platform writes it: named, labelled, Pod Security restricted. */
export const exNamespace = (tenant: string, extraLabels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: `tenant-${tenant}`,
    labels: {
      [LABEL.tenant]: tenant,
      [podSecurityLabel('enforce')]: 'restricted',
      [podSecurityLabel('audit')]: 'restricted',
      [podSecurityLabel('warn')]: 'restricted',
      ...extraLabels,
    },
  },
});

/** A namespace with a name and no labels. */
export const plainNamespace = (name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

/** A namespace whose name does not say whose it is; only its label does. */
export const labelledNamespace = (name: string, tenant: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { [LABEL.tenant]: tenant } },
});

/** A container that meets Pod Security "restricted". */
export const restrictedContainer = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'main',
  image: 'registry.example/app:1',
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  ...extra,
});

/** A Job named `train` in `ns` with the given pod spec. */
export const exJob = (ns: string, podSpec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: ns },
  spec: { template: { spec: { restartPolicy: 'Never', ...podSpec } } },
});

/** The identity provider's group of a tenant, as an RBAC subject. */
export const tenantGroup = (tenant: string) => ({
  kind: 'Group',
  name: tenantGroupName(tenant),
  apiGroup: 'rbac.authorization.k8s.io',
});

/** A Kueue ResourceFlavor of node pool `name`, with its capacity annotation when given. */
export const exFlavor = (name: string, capacity?: string): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ResourceFlavor',
  metadata: { name, ...(capacity ? { annotations: { [ANNOTATION.capacity]: capacity } } : {}) },
  spec: { nodeLabels: { [LABEL.pool]: name } },
});

/** A tenant's ClusterQueue: nominal quotas per flavor, admitting the tenant's namespace only. */
export const exClusterQueue = (
  tenant: string,
  flavors: Record<string, Record<string, number | string>>,
  covered?: string[],
): K8sObject => {
  const resources = covered ?? [...new Set(Object.values(flavors).flatMap((r) => Object.keys(r)))].sort();
  return {
    apiVersion: 'kueue.x-k8s.io/v1beta2',
    kind: 'ClusterQueue',
    metadata: { name: `tenant-${tenant}`, labels: { [LABEL.tenant]: tenant } },
    spec: {
      namespaceSelector: { matchLabels: { [WELL_KNOWN_LABEL.namespaceName]: `tenant-${tenant}` } },
      resourceGroups: [
        {
          coveredResources: resources,
          flavors: Object.entries(flavors).map(([name, r]) => ({
            name,
            resources: Object.entries(r).map(([n, q]) => ({ name: n, nominalQuota: q })),
          })),
        },
      ],
    },
  };
};

/** The LocalQueue `default` of namespace `ns`, feeding ClusterQueue `clusterQueue` (by default the one named like `ns`). */
export const exLocalQueue = (ns: string, clusterQueue = ns): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'LocalQueue',
  metadata: { name: 'default', namespace: ns },
  spec: { clusterQueue },
});
