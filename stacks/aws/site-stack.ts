/**
 * `Site-<site>`: everything one AWS site holds. Keys, one network per enclave, a bucket per
 * dataset behind its enclave's data perimeter, and the GPU clusters with a node group per pool.
 */
import { Stack, Tags, type App } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { gpuNodeLabels, gpuNodeTaint } from '../../constructs/common/gpu-nodes';
import { LABEL, TAG, siteStackName } from '../../constructs/common/names';
import { AccessLogBucket } from '../../constructs/aws/access-log-bucket';
import { DatasetBucket } from '../../constructs/aws/dataset-bucket';
import { EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { GpuCluster } from '../../constructs/aws/gpu-cluster';
import { GpuNodeGroup } from '../../constructs/aws/gpu-node-group';
import {
  accessLogBucketName,
  clusterKeyAlias,
  dataKeyAlias,
  eksClusterName,
  flowLogGroupName,
  logKeyAlias,
} from '../../constructs/aws/names';
import { PlatformKey } from '../../constructs/aws/platform-key';
import { CLASSIFICATIONS, maxNodes, poolCapacity, type Cluster, type Enclave, type NodePool } from '../../infra/model';
import type { SitePlacement } from './placement';

/** PascalCase construct id of a model id (model ids are DNS labels). */
export function constructId(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Kubernetes labels of the nodes of a pool: the shared GPU node contract (pool, device-plugin and
 * MIG configuration), which the Kubernetes target selects by, plus the cluster.
 */
export function nodeLabels(cluster: Cluster, pool: NodePool): Record<string, string> {
  return { ...gpuNodeLabels(pool), [LABEL.cluster]: cluster.id };
}

export class SiteStack extends Stack {
  readonly networks: ReadonlyMap<string, EnclaveNetwork>;
  readonly datasetBuckets: ReadonlyMap<string, DatasetBucket>;
  readonly clusters: ReadonlyMap<string, GpuCluster>;

  constructor(scope: App, placement: SitePlacement) {
    const { site } = placement;
    super(scope, siteStackName(site.id), {
      stackName: siteStackName(site.id),
      env: { account: site.account, region: site.region },
      description: `Genesis site ${site.id}${site.description ? `: ${site.description}` : ''}`,
      terminationProtection: true,
    });
    Tags.of(this).add(TAG.site, site.id);

    const logKey = new PlatformKey(this, 'LogKey', {
      alias: logKeyAlias(site.id),
      description: `Logs of site ${site.id}: VPC flow logs and EKS control-plane logs`,
      allowCloudWatchLogs: true,
    }).key;

    const classifications = CLASSIFICATIONS.filter((c) => placement.datasets.some((d) => d.dataset.classification === c));
    const dataKeys = new Map(
      classifications.map((c) => {
        const key = new PlatformKey(this, `DataKey${constructId(c)}`, {
          alias: dataKeyAlias(site.id, c),
          description: `Datasets of classification ${c} on site ${site.id}`,
        });
        Tags.of(key).add(TAG.classification, c);
        return [c, key.key] as const;
      }),
    );

    const networks = new Map<string, EnclaveNetwork>();
    for (const enclave of placement.enclaves) {
      const network = new EnclaveNetwork(this, `Enclave${constructId(enclave.id)}`, {
        name: `genesis-${enclave.id}`,
        cidr: enclave.cidr,
        egress: enclave.egress,
        availabilityZones: site.availabilityZones,
        logKey,
        flowLogGroupName: flowLogGroupName(site.id, enclave.id),
        kubernetesEndpoints: placement.clusters.some((c) => c.enclave === enclave.id),
      });
      tagEnclave(network, enclave);
      networks.set(enclave.id, network);
    }
    this.networks = networks;

    const datasetBuckets = new Map<string, DatasetBucket>();
    if (placement.datasets.length > 0) {
      const accessLogs = new AccessLogBucket(this, 'AccessLogs', { bucketName: accessLogBucketName(site.account, site.region) });
      for (const d of placement.datasets) {
        const endpoints = d.readerEnclaves.map((e) => networks.get(e.id)!.s3Endpoint.vpcEndpointId);
        const bucket = new DatasetBucket(this, `Dataset${constructId(d.dataset.id)}`, {
          bucketName: d.bucketName,
          encryptionKey: dataKeys.get(d.dataset.classification)!,
          versioned: d.tier.versioning,
          objectLock: d.tier.objectLock,
          noncurrentVersionRetentionDays: d.tier.retentionDays,
          transitionToGlacierDays: d.tier.transitionToGlacierDays,
          accessLogsBucket: accessLogs.bucket,
          allowedVpcEndpointIds: endpoints,
        });
        Tags.of(bucket).add(TAG.dataset, d.dataset.id);
        Tags.of(bucket).add(TAG.classification, d.dataset.classification);
        Tags.of(bucket).add(TAG.enclave, d.enclave.id);
        Tags.of(bucket).add(TAG.tier, d.tier.id);
        datasetBuckets.set(d.dataset.id, bucket);
      }
    }
    this.datasetBuckets = datasetBuckets;

    const clusters = new Map<string, GpuCluster>();
    for (const cluster of placement.clusters) {
      const network = networks.get(cluster.enclave);
      const enclave = placement.enclaves.find((e) => e.id === cluster.enclave);
      if (!network || !enclave) throw new Error(`cluster "${cluster.id}": enclave "${cluster.enclave}" is not on site "${site.id}"`);
      clusters.set(cluster.id, this.addCluster(site.id, cluster, enclave, network, logKey));
    }
    this.clusters = clusters;
  }

  private addCluster(siteId: string, cluster: Cluster, enclave: Enclave, network: EnclaveNetwork, logKey: PlatformKey['key']): GpuCluster {
    const scope = new Construct(this, `Cluster${constructId(cluster.id)}`);
    const key = new PlatformKey(scope, 'Key', {
      alias: clusterKeyAlias(siteId, cluster.id),
      description: `Kubernetes secrets and node volumes of cluster ${cluster.id}`,
      allowEc2AutoScaling: true,
    }).key;
    const gpu = new GpuCluster(scope, 'Eks', {
      clusterName: eksClusterName(cluster.id),
      version: cluster.kubernetesVersion,
      vpc: network.vpc,
      subnets: network.workloadSubnets,
      secretsKey: key,
      logKey,
    });
    for (const pool of cluster.nodePools) {
      if (!pool.instanceType) throw new Error(`node pool "${cluster.id}/${pool.name}" has no instance type`);
      const capacity = poolCapacity(pool);
      new GpuNodeGroup(scope, `Pool${constructId(pool.name)}`, {
        cluster: gpu.cluster,
        nodegroupName: pool.name,
        launchTemplateName: `${eksClusterName(cluster.id)}-${pool.name}`,
        instanceType: pool.instanceType,
        minSize: capacity.guaranteedNodes,
        maxSize: maxNodes(pool),
        labels: nodeLabels(cluster, pool),
        taints: [gpuNodeTaint(pool)],
        subnets: network.workloadSubnets,
        volumeKey: key,
      });
    }
    Tags.of(scope).add(TAG.cluster, cluster.id);
    Tags.of(scope).add(TAG.enclave, enclave.id);
    Tags.of(scope).add(TAG.classification, enclave.classification);
    return gpu;
  }
}

function tagEnclave(scope: Construct, enclave: Enclave): void {
  Tags.of(scope).add(TAG.enclave, enclave.id);
  Tags.of(scope).add(TAG.classification, enclave.classification);
}
