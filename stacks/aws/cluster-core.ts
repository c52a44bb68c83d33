/**
 * The part of a GPU cluster every AWS stack that runs one builds alike (a platform site's or a
 * partner's): its key, the EKS cluster with the platform's secure defaults (GpuCluster) and a
 * node group per pool; the cluster autoscaler's identity when a pool has a node range; and the
 * cluster's tags. Construct ids and order are those the site stack always had.
 */
import { Tags, type Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { gpuNodeLabels, gpuNodeTaint } from '../../infra/contract/gpu-nodes';
import { LABEL, TAG, awsPartition } from '../../infra/contract/names';
import { ClusterAutoscalerIdentity } from '../../constructs/aws/cluster-autoscaler';
import type { EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { GpuCluster, SYSTEM_NODEGROUP_NAME, type GpuClusterProps } from '../../constructs/aws/gpu-cluster';
import { clusterKeyAlias, eksClusterArn, eksClusterName } from '../../constructs/aws/names';
import { NodeGroup } from '../../constructs/aws/node-group';
import { PlatformKey } from '../../constructs/aws/platform-key';
import {
  GPU_INFO,
  maxNodes,
  poolCapacity,
  type Cluster,
  type Enclave,
  type NodePool,
} from '../../infra/model';
import { constructId } from '../../constructs/aws/ids';

/**
 * Kubernetes labels of the nodes of a pool: the shared GPU node contract (pool, device-plugin and
 * MIG configuration), which the Kubernetes target selects by, plus the cluster.
 */
export function nodeLabels(cluster: Cluster, pool: NodePool): Record<string, string> {
  return { ...gpuNodeLabels(pool, GPU_INFO[pool.gpu.model]), [LABEL.cluster]: cluster.id };
}

/** Where a cluster runs: the site id (names of keys and logs), its account and region. */
export interface ClusterHost {
  readonly siteId: string;
  readonly account: string;
  readonly region: string;
}

export interface ClusterCore {
  /** `Cluster<Id>`: everything of the cluster lives below it. */
  readonly scope: Construct;
  readonly gpu: GpuCluster;
  readonly key: kms.IKey;
  readonly name: string;
  readonly arn: string;
}

/** The cluster's key, EKS cluster and a node group per pool. */
export function addClusterCore(
  stack: Stack,
  host: ClusterHost,
  cluster: Cluster,
  network: EnclaveNetwork,
  logKey: kms.IKey,
  /** Extra security groups of the system nodes, made in the cluster's scope (a manager's federation egress). */
  systemNodeSecurityGroups?: (scope: Construct) => ec2.ISecurityGroup[] | undefined,
  /** Networks outside the VPC that may call the API endpoint (GpuClusterProps.apiCallers). */
  apiCallers?: GpuClusterProps['apiCallers'],
): ClusterCore {
  const scope = new Construct(stack, `Cluster${constructId(cluster.id)}`);
  const key = new PlatformKey(scope, 'Key', {
    alias: clusterKeyAlias(host.siteId, cluster.id),
    description: `Kubernetes secrets and node volumes of cluster ${cluster.id}`,
    allowEc2AutoScaling: true,
  }).key;
  const name = eksClusterName(cluster.id);
  const gpu = new GpuCluster(scope, 'Eks', {
    clusterName: name,
    version: cluster.kubernetesVersion,
    vpc: network.vpc,
    subnets: network.workloadSubnets,
    secretsKey: key,
    logKey,
    systemNodeLabels: { [LABEL.cluster]: cluster.id },
    systemNodeSecurityGroups: systemNodeSecurityGroups?.(scope),
    apiCallers,
  });
  for (const pool of cluster.nodePools) {
    if (pool.name === SYSTEM_NODEGROUP_NAME)
      throw new Error(`node pool "${cluster.id}/${pool.name}": the name is taken by the system node group`);
    if (!pool.instanceType) throw new Error(`node pool "${cluster.id}/${pool.name}" has no instance type`);
    new NodeGroup(scope, `Pool${constructId(pool.name)}`, {
      cluster: gpu.cluster,
      nodegroupName: pool.name,
      launchTemplateName: `${name}-${pool.name}`,
      instanceType: pool.instanceType,
      minSize: poolCapacity(pool).guaranteedNodes,
      maxSize: maxNodes(pool),
      labels: nodeLabels(cluster, pool),
      taints: [gpuNodeTaint(GPU_INFO[pool.gpu.model])],
      subnets: network.workloadSubnets,
      volumeKey: key,
    });
  }
  const arn = eksClusterArn(awsPartition(host.region), host.region, host.account, name);
  return { scope, gpu, key, name, arn };
}

/** The cluster autoscaler's identity, when a pool of the cluster has a node range. */
export function addClusterAutoscaler(core: ClusterCore, cluster: Cluster): void {
  if (!cluster.nodePools.some((p) => poolCapacity(p).guaranteedNodes < maxNodes(p))) return;
  new ClusterAutoscalerIdentity(core.gpu, 'Autoscaler', {
    clusterName: core.name,
    clusterArn: core.arn,
    after: [core.gpu.cluster],
  });
}

/** Tags of everything of the cluster: cluster, enclave and classification. */
export function tagCluster(core: ClusterCore, cluster: Cluster, enclave: Enclave): void {
  Tags.of(core.scope).add(TAG.cluster, cluster.id);
  Tags.of(core.scope).add(TAG.enclave, enclave.id);
  Tags.of(core.scope).add(TAG.classification, enclave.classification);
}
