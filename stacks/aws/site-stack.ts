/**
 * `Site-<site>`: everything one AWS site holds.
 *
 * - Keys: one per data classification, one for logs, one for file systems, one per cluster.
 * - One network per enclave, with its DNS allow-list and egress rules; a peering for each
 *   `reachableFrom` of the site.
 * - A bucket per dataset behind the data perimeter of the enclaves that may reach it, and a
 *   CloudTrail record of every object read and write on them.
 * - The permissions boundary the site's tenant roles carry.
 * - File-system tiers (EFS, FSx for Lustre provisioning) in the enclave of the clusters.
 * - The GPU clusters: a node group per pool, a system node group, storage CSI drivers.
 * - For a federation manager here with workers off AWS: a site-to-site VPN from its enclave that
 *   carries each worker's API endpoint only, and its system nodes' egress to those endpoints; with
 *   workers in a partner's AWS account: a transit gateway per partner site, shared with that
 *   account only, routed to each worker's API endpoint only.
 */
import { CfnOutput, Tags, type App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  KUEUE_NAMESPACE,
  KUEUE_SERVICE_ACCOUNT,
  multiKueueManagerRoleName,
} from '../../infra/contract/federation';
import { TAG, awsPartition, datasetBucketName, siteStackName } from '../../infra/contract/names';
import { AccessLogBucket } from '../../constructs/aws/access-log-bucket';
import { DataAccessTrail } from '../../constructs/aws/data-access-trail';
import { DatasetBucket } from '../../constructs/aws/dataset-bucket';
import { type EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { EnclavePeering } from '../../constructs/aws/enclave-peering';
import {
  FederationVpn,
  federationEgressGroup,
  type FederationEndpoint,
} from '../../constructs/aws/federation-vpn';
import { FederationTransitGateway, type TransitEndpoint } from '../../constructs/aws/federation-transit';
import { CsiDrivers } from '../../constructs/aws/csi-drivers';
import { FileTiers } from '../../constructs/aws/file-tier';
import type { GpuCluster } from '../../constructs/aws/gpu-cluster';
import { MultiKueueManagerIdentity } from '../../constructs/aws/multikueue-manager-identity';
import {
  accessLogBucketName,
  auditBucketName,
  dataAccessTrailLogGroupName,
  dataAccessTrailName,
  dataKeyAlias,
  fileSystemKeyAlias,
  logKeyAlias,
  s3EndpointParameterName,
  efsFileSystemParameterName,
  tenantBoundaryPolicyName,
  tenantBucketPrefix,
} from '../../constructs/aws/names';
import { TenantBoundary } from '../../constructs/aws/tenant-boundary';
import { BreakGlassRole } from '../../constructs/aws/break-glass-role';
import {
  breakGlassRoleName,
  dataKeyTagKey,
  grantTagKey,
  tenantDataRoleArnPattern,
} from '../../constructs/aws/grant-abac';
import { PlatformKey } from '../../constructs/aws/platform-key';
import { CLASSIFICATIONS, type Cluster } from '../../infra/model';
import { addClusterAutoscaler, addClusterCore, tagCluster } from './cluster-core';
import { addEnclaveNetwork, tagEnclave } from './enclave-networks';
import type { SitePlacement } from './placement';
import { constructId } from '../../constructs/aws/ids';
import { SITE_OUTPUT_KEYS } from './outputs';

export { nodeLabels } from './cluster-core';

export class SiteStack extends PlatformStack {
  readonly networks: ReadonlyMap<string, EnclaveNetwork>;
  readonly datasetBuckets: ReadonlyMap<string, DatasetBucket>;
  readonly clusters: ReadonlyMap<string, GpuCluster>;
  readonly fileTiers?: { readonly tiers: FileTiers; readonly key: PlatformKey['key'] };
  private accessLogs?: AccessLogBucket;

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
    this.networks = this.addNetworks(placement, logKey);
    this.addFederationVpns(placement);
    this.addFederationTransits(placement);
    this.datasetBuckets = this.addDatasets(placement);
    this.addDataAccessTrail(placement, logKey);

    // Tenant stacks of this site name it as the boundary of their roles.
    new TenantBoundary(this, 'TenantBoundary', {
      managedPolicyName: tenantBoundaryPolicyName(site.id),
      partition: awsPartition(site.region),
      account: site.account,
      region: site.region,
      datasetBucketPrefix: datasetBucketName(site.account, ''),
      excludedBuckets: [
        accessLogBucketName(site.account, site.region),
        auditBucketName(site.account, site.region),
      ],
      dataKeyAliasPattern: dataKeyAlias(site.id, '*'),
      tenantBucketPrefix: tenantBucketPrefix(site.account),
      tenantTagKey: TAG.tenant,
    });

    this.fileTiers = this.addFileTiers(placement);
    const clusters = new Map<string, GpuCluster>();
    for (const cluster of placement.clusters)
      clusters.set(cluster.id, this.addCluster(placement, cluster, logKey));
    this.clusters = clusters;
  }

  /** A network per enclave, and a peering per reachability between enclaves of the site. */
  private addNetworks(placement: SitePlacement, logKey: PlatformKey['key']): Map<string, EnclaveNetwork> {
    const { site } = placement;
    const networks = new Map<string, EnclaveNetwork>();
    for (const enclave of placement.enclaves) {
      const network = addEnclaveNetwork(this, enclave, {
        siteId: site.id,
        availabilityZones: site.availabilityZones,
        logKey,
        kubernetesEndpoints: placement.clusters.some((c) => c.enclave === enclave.id),
      });
      // Tenant stacks read it by name (their buckets admit data only through it), without a
      // CloudFormation export that would pin the endpoint to them.
      new ssm.StringParameter(network, 'S3EndpointParameter', {
        parameterName: s3EndpointParameterName(site.id, enclave.id),
        stringValue: network.s3Endpoint.vpcEndpointId,
        description: `S3 gateway endpoint of enclave ${enclave.id}`,
      });
      networks.set(enclave.id, network);
    }
    for (const to of placement.enclaves) {
      for (const fromId of [...to.reachableFrom].sort()) {
        const from = placement.enclaves.find((e) => e.id === fromId);
        if (!from) throw new Error(`enclave "${to.id}": "${fromId}" is not on site "${site.id}"`);
        new EnclavePeering(this, `Reach${constructId(from.id)}To${constructId(to.id)}`, {
          from: networks.get(from.id)!,
          to: networks.get(to.id)!,
          fromCidr: from.cidr,
          toCidr: to.cidr,
          name: `genesis-${from.id}-to-${to.id}`,
        });
      }
    }
    return networks;
  }

  /** A VPN per manager enclave that has federation paths off AWS (one gateway per VPC). */
  private addFederationVpns(placement: SitePlacement): void {
    for (const enclave of [...new Set(placement.federationPaths.map((p) => p.managerEnclave))].sort()) {
      const network = this.networks.get(enclave)!;
      new FederationVpn(network, 'FederationVpn', {
        vpc: network.vpc,
        routeTableIds: network.workloadRouteTableIds,
        name: `genesis-${enclave}-federation`,
        endpoints: federationEndpoints(placement, (p) => p.managerEnclave === enclave),
      });
    }
  }

  /**
   * A transit gateway per manager enclave and partner site hosted in the partner's AWS account,
   * shared with that account only; the partner's stack attaches its workers' enclave to it.
   */
  private addFederationTransits(placement: SitePlacement): void {
    for (const t of placement.transits) {
      const network = this.networks.get(t.managerEnclave)!;
      new FederationTransitGateway(network, `FederationTransit${constructId(t.partnerSite)}`, {
        vpc: network.vpc,
        subnetIds: network.vpc.selectSubnets(network.workloadSubnets).subnetIds,
        routeTableIds: network.workloadRouteTableIds,
        endpoints: t.paths.map((p) => ({ worker: p.worker, address: p.address, port: p.port })),
        partnerAccount: t.partnerAccount,
        parameterName: t.parameterName,
        name: `genesis-${t.managerEnclave}-to-${t.partnerSite}`,
        description: `federation manager enclave ${t.managerEnclave} to partner site ${t.partnerSite}`,
      });
    }
  }

  /** A key per classification held on the site, the access-log bucket and a bucket per dataset. */
  private addDatasets(placement: SitePlacement): Map<string, DatasetBucket> {
    const { site } = placement;
    const buckets = new Map<string, DatasetBucket>();
    // Tenant storage buckets (in tenant stacks) log here too.
    if (placement.datasets.length === 0 && placement.tenantStorageBuckets.length === 0) return buckets;
    const classifications = CLASSIFICATIONS.filter((c) =>
      placement.datasets.some((d) => d.dataset.classification === c),
    );
    // Grants are enforced on the data side by ABAC (grant-abac.ts): bucket and key policies admit
    // tenant data roles by their grant tags, and the break-glass role; their size does not grow
    // with tenants.
    const partition = awsPartition(site.region);
    if (placement.datasets.length > 0)
      new BreakGlassRole(this, 'DataBreakGlass', { roleName: breakGlassRoleName(site.id) });
    const abac = (tagKey: string) => ({
      tagKey,
      granteeArnPattern: tenantDataRoleArnPattern(partition, site.account),
      breakGlassRoleArn: `arn:${partition}:iam::${site.account}:role/${breakGlassRoleName(site.id)}`,
    });
    const dataKeys = new Map(
      classifications.map((c) => {
        const key = new PlatformKey(this, `DataKey${constructId(c)}`, {
          alias: dataKeyAlias(site.id, c),
          description: `Datasets of classification ${c} on site ${site.id}`,
          cryptoOnlyVia: `s3.${site.region}.amazonaws.com`,
          grantHolders: abac(dataKeyTagKey(c)),
        });
        Tags.of(key).add(TAG.classification, c);
        return [c, key.key] as const;
      }),
    );
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      bucketName: accessLogBucketName(site.account, site.region),
      otherStackBucketPrefix: tenantBucketPrefix(site.account),
    });
    this.accessLogs = accessLogs;
    for (const d of placement.datasets) {
      const bucket = new DatasetBucket(this, `Dataset${constructId(d.dataset.id)}`, {
        bucketName: d.bucketName,
        encryptionKey: dataKeys.get(d.dataset.classification)!,
        versioned: d.tier.versioning,
        objectLock: d.tier.objectLock,
        noncurrentVersionRetentionDays: d.tier.retentionDays,
        transitionToGlacierDays: d.tier.transitionToGlacierDays,
        accessLogsBucket: accessLogs.bucket,
        allowedVpcEndpointIds: d.readerEnclaves.map((e) => this.networks.get(e.id)!.s3Endpoint.vpcEndpointId),
        grantAbac: abac(grantTagKey(d.dataset.id)),
      });
      Tags.of(bucket).add(TAG.dataset, d.dataset.id);
      Tags.of(bucket).add(TAG.classification, d.dataset.classification);
      Tags.of(bucket).add(TAG.enclave, d.enclave.id);
      Tags.of(bucket).add(TAG.tier, d.tier.id);
      buckets.set(d.dataset.id, bucket);
    }
    return buckets;
  }

  /** CloudTrail data events of every dataset bucket, into a locked audit bucket. */
  private addDataAccessTrail(placement: SitePlacement, logKey: PlatformKey['key']): void {
    if (!this.accessLogs) return;
    const { site } = placement;
    new DataAccessTrail(this, 'DataAccessTrail', {
      trailName: dataAccessTrailName(site.id),
      logGroupName: dataAccessTrailLogGroupName(site.id),
      bucketName: auditBucketName(site.account, site.region),
      buckets: [...this.datasetBuckets.values()].map((b) => b.bucket),
      otherStackBucketPrefix: tenantBucketPrefix(site.account),
      key: logKey,
      accessLogsBucket: this.accessLogs.bucket,
    });
  }

  /** File-system tiers in the enclave that hosts the site's clusters, with their outputs. */
  private addFileTiers(placement: SitePlacement): { tiers: FileTiers; key: PlatformKey['key'] } | undefined {
    const enclave = placement.storageEnclave;
    if (!enclave || (placement.fileTiers.length === 0 && placement.lustreTiers.length === 0))
      return undefined;
    const network = this.networks.get(enclave.id)!;
    const key = new PlatformKey(this, 'FileSystemKey', {
      alias: fileSystemKeyAlias(placement.site.id),
      description: `File-system tiers (EFS, FSx for Lustre) of site ${placement.site.id}`,
    }).key;
    const tiers = new FileTiers(this, 'FileTiers', {
      name: `genesis-${placement.site.id}`,
      vpc: network.vpc,
      cidr: network.cidr,
      subnets: network.workloadSubnets,
      key,
      fileTiers: placement.fileTiers.map((t) => ({ id: t.id, retentionDays: t.retentionDays })),
      lustre: placement.lustreTiers.length > 0,
    });
    for (const tier of placement.fileTiers) {
      const fs = tiers.efs.get(tier.id)!;
      Tags.of(fs).add(TAG.tier, tier.id);
      new CfnOutput(this, SITE_OUTPUT_KEYS.efsFileSystemId(tier.id), {
        value: fs.fileSystemId,
        description: `EFS file system of tier ${tier.id}`,
      });
      // Tenant stacks put their access points on it, found by this name.
      new ssm.StringParameter(tiers, `EfsParameter${constructId(tier.id)}`, {
        parameterName: efsFileSystemParameterName(placement.site.id, tier.id),
        stringValue: fs.fileSystemId,
        description: `EFS file system of tier ${tier.id}`,
      });
    }
    if (tiers.lustreSecurityGroup && tiers.lustreSubnet) {
      new CfnOutput(this, SITE_OUTPUT_KEYS.fsxSubnetId, {
        value: tiers.lustreSubnet.subnetId,
        description: 'Subnet of FSx for Lustre file systems',
      });
      new CfnOutput(this, SITE_OUTPUT_KEYS.fsxSecurityGroupId, {
        value: tiers.lustreSecurityGroup.securityGroupId,
        description: 'Security group of FSx for Lustre file systems',
      });
      new CfnOutput(this, SITE_OUTPUT_KEYS.fsxKmsKeyId, {
        value: key.keyId,
        description: 'KMS key of FSx for Lustre file systems',
      });
    }
    tagEnclave(tiers, enclave);
    return { tiers, key };
  }

  /**
   * An EKS cluster with a node group per pool, the system node group and the storage drivers; on
   * a federation manager with workers in partners' AWS accounts, MultiKueue's identity.
   */
  private addCluster(placement: SitePlacement, cluster: Cluster, logKey: PlatformKey['key']): GpuCluster {
    const { site } = placement;
    const network = this.networks.get(cluster.enclave);
    const enclave = placement.enclaves.find((e) => e.id === cluster.enclave);
    if (!network || !enclave)
      throw new Error(`cluster "${cluster.id}": enclave "${cluster.enclave}" is not on site "${site.id}"`);
    const endpoints = managerEndpoints(placement, cluster.id);
    const host = { siteId: site.id, account: site.account, region: site.region };
    const core = addClusterCore(this, host, cluster, network, logKey, (scope) =>
      endpoints.length
        ? [federationEgressGroup(scope, 'FederationEgress', network.vpc, endpoints)]
        : undefined,
    );
    const { gpu } = core;
    const mountsFileTiers = this.fileTiers !== undefined && placement.storageEnclave?.id === cluster.enclave;
    new CsiDrivers(gpu, 'StorageDrivers', {
      clusterName: core.name,
      clusterArn: core.arn,
      after: [gpu.cluster, gpu.systemNodes],
      efsFileSystemArns: mountsFileTiers
        ? [...this.fileTiers!.tiers.efs.values()].map((fs) => fs.fileSystemArn)
        : [],
      lustreKey:
        mountsFileTiers && this.fileTiers!.tiers.lustreSecurityGroup ? this.fileTiers!.key : undefined,
      mountpointS3: placement.datasets.length > 0,
    });
    addClusterAutoscaler(core, cluster);
    const workerRoleArns = placement.managerGrants.get(cluster.id);
    if (workerRoleArns?.length)
      new MultiKueueManagerIdentity(gpu, 'MultiKueueManager', {
        roleName: multiKueueManagerRoleName(cluster.id),
        clusterName: core.name,
        clusterArn: core.arn,
        namespace: KUEUE_NAMESPACE,
        serviceAccount: KUEUE_SERVICE_ACCOUNT,
        workerRoleArns,
        after: [gpu.cluster],
      });
    tagCluster(core, cluster, enclave);
    return gpu;
  }
}

/** The worker endpoints of the site's federation paths that `keep` selects, one per worker. */
function federationEndpoints(
  placement: SitePlacement,
  keep: (p: SitePlacement['federationPaths'][number]) => boolean,
): FederationEndpoint[] {
  const byWorker = new Map<string, FederationEndpoint>();
  for (const p of placement.federationPaths.filter(keep))
    byWorker.set(p.worker, { worker: p.worker, address: p.address, port: p.port, vpnPeer: p.vpnPeer! });
  return [...byWorker.values()].sort((a, b) => (a.worker < b.worker ? -1 : 1));
}

/** The endpoints a manager cluster calls, over a VPN or a transit gateway, one per worker. */
function managerEndpoints(placement: SitePlacement, manager: string): TransitEndpoint[] {
  const byWorker = new Map<string, TransitEndpoint>();
  for (const e of federationEndpoints(placement, (p) => p.manager === manager)) byWorker.set(e.worker, e);
  for (const p of placement.transits.flatMap((t) => t.paths).filter((x) => x.manager === manager))
    byWorker.set(p.worker, { worker: p.worker, address: p.address, port: p.port });
  return [...byWorker.values()].sort((a, b) => (a.worker < b.worker ? -1 : 1));
}
