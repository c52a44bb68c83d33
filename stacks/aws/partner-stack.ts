/**
 * `Partner-<site>`: what a partner deploys in its own AWS account for a partner site hosted there
 * (`cdk deploy Partner-<site>` with the partner's credentials). It holds:
 *
 * - a key for logs and one network per enclave of the site, as on a platform site (private
 *   subnets, flow logs, DNS allow-list, the endpoints EKS nodes need);
 * - the GPU clusters with the platform's defaults (private endpoint, every control-plane log,
 *   secrets under the cluster's key, IMDSv2 on every node);
 * - per federation the clusters work for, the one cross-account trust: a role only the
 *   manager's MultiKueue role may assume, mapped by EKS access entries to the manager's group.
 *
 * - per transit gateway of a manager's site that reaches the site (shared with the partner's
 *   account by AWS RAM, its id read from a shared SSM parameter at deploy time): the attachment of
 *   each enclave that holds the manager's workers, and a return route for the manager's enclave.
 *
 * No storage, datasets or tenant roles: datasets never leave platform sites. Deploy after the
 * manager's site stack (which creates and shares the transit gateway).
 */
import { Tags, type App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack';
import { TAG, partnerStackName } from '../../infra/contract/names';
import { type EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { FederationTransitAttachment } from '../../constructs/aws/federation-transit';
import { MultiKueueWorkerAccess } from '../../constructs/aws/multikueue-worker-access';
import { logKeyAlias } from '../../constructs/aws/names';
import { PlatformKey } from '../../constructs/aws/platform-key';
import { addClusterAutoscaler, addClusterCore, tagCluster, type ClusterCore } from './cluster-core';
import { addEnclaveNetwork } from './enclave-networks';
import { constructId } from '../../constructs/aws/ids';
import type { PartnerPlacement } from './partner-placement';

export class PartnerStack extends PlatformStack {
  readonly networks: ReadonlyMap<string, EnclaveNetwork>;
  readonly clusters: ReadonlyMap<string, ClusterCore>;
  readonly access: ReadonlyMap<string, MultiKueueWorkerAccess>;

  constructor(scope: App, placement: PartnerPlacement) {
    const { site, host } = placement;
    super(scope, partnerStackName(site.id), {
      stackName: partnerStackName(site.id),
      env: { account: host.account, region: host.region },
      description: `Genesis partner site ${site.id}, contributed by ${site.partner} under ${site.agreement.id}`,
      terminationProtection: true,
    });
    Tags.of(this).add(TAG.site, site.id);

    const logKey = new PlatformKey(this, 'LogKey', {
      alias: logKeyAlias(site.id),
      description: `Logs of partner site ${site.id}: VPC flow logs and EKS control-plane logs`,
      allowCloudWatchLogs: true,
    }).key;
    const networks = new Map<string, EnclaveNetwork>();
    for (const enclave of placement.enclaves) {
      const network = addEnclaveNetwork(this, enclave, {
        siteId: site.id,
        availabilityZones: host.availabilityZones,
        logKey,
        kubernetesEndpoints: placement.clusters.some((c) => c.enclave === enclave.id),
      });
      networks.set(enclave.id, network);
    }
    this.networks = networks;
    this.addFederationTransits(placement);

    const clusters = new Map<string, ClusterCore>();
    const hostOf = { siteId: site.id, account: host.account, region: host.region };
    for (const cluster of placement.clusters) {
      const network = networks.get(cluster.enclave);
      const enclave = placement.enclaves.find((e) => e.id === cluster.enclave);
      if (!network || !enclave)
        throw new Error(`cluster "${cluster.id}": enclave "${cluster.enclave}" is not on site "${site.id}"`);
      // The manager of each federation the cluster works for calls its API from its enclave (over
      // its site's transit gateway), on the port the model declares (EKS answers on 443).
      const callers = placement.access
        .filter((a) => a.clusters.some((c) => c.id === cluster.id))
        .map((a) => ({
          cidr: a.managerCidr,
          port: cluster.apiServer?.port ?? 443,
          description: `MultiKueue manager of federation ${a.federation}`,
        }));
      const core = addClusterCore(this, hostOf, cluster, network, logKey, undefined, callers);
      addClusterAutoscaler(core, cluster);
      tagCluster(core, cluster, enclave);
      clusters.set(cluster.id, core);
    }
    this.clusters = clusters;

    const access = new Map<string, MultiKueueWorkerAccess>();
    for (const a of placement.access) {
      access.set(
        a.federation,
        new MultiKueueWorkerAccess(this, `MultiKueue${constructId(a.federation)}`, {
          roleName: a.roleName,
          federation: a.federation,
          managerRoleArn: a.managerRoleArn,
          group: a.group,
          clusters: a.clusters.map((c) => ({
            key: constructId(c.id),
            name: clusters.get(c.id)!.name,
            after: clusters.get(c.id)!.gpu.cluster,
          })),
        }),
      );
    }
    this.access = access;
  }

  /** The attachment of each enclave holding a manager's workers to its site's transit gateway, with the return route. */
  private addFederationTransits(placement: PartnerPlacement): void {
    for (const t of placement.transits)
      for (const enclave of t.workerEnclaves) {
        const network = this.networks.get(enclave)!;
        new FederationTransitAttachment(network, `FederationTransit${constructId(t.managerEnclave)}`, {
          vpc: network.vpc,
          subnetIds: network.vpc.selectSubnets(network.workloadSubnets).subnetIds,
          routeTableIds: network.workloadRouteTableIds,
          parameterArn: t.parameterArn,
          managerCidr: t.managerCidr,
          name: `genesis-${enclave}-from-${t.managerEnclave}`,
        });
      }
  }
}
