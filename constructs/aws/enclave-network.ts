/**
 * The network of one enclave: a VPC of the enclave's CIDR, with flow logs, a locked default
 * security group and an S3 gateway endpoint that reaches only buckets of its own account.
 *
 * - Egress `none`: isolated subnets only. No internet gateway, no NAT; AWS APIs through VPC
 *   endpoints.
 * - Egress `allow-list`: workload subnets behind NAT gateways and an AWS Network Firewall that
 *   lets out HTTPS and HTTP to allow-listed names only (TLS SNI, HTTP Host) and other traffic to
 *   allow-listed CIDR blocks only; a network ACL keeps workloads from DNS resolvers outside the VPC.
 * - Either way, a DNS allow-list: the enclave's egress names, AWS service names and EC2 internal
 *   names resolve; every other name is NXDOMAIN.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Egress } from '../../infra/model';
import { parseCidr } from '../../infra/model';
import { DnsAllowList } from './dns-allow-list';
import { EgressFirewall } from './egress-firewall';
import { addPeerEntries, addWorkloadAcl } from './enclave-network-acl';
import { acknowledge } from './acknowledge';

export { RETURN_PORT_RANGES } from './enclave-network-acl';

/**
 * Interface endpoints that EKS worker nodes and workloads in a subnet without internet access
 * need: KMS among them, so that calls to the account's keys stay inside the enclave and pass the
 * endpoint's policy.
 */
export const KUBERNETES_NODE_ENDPOINTS: readonly string[] = [
  'ec2',
  'ecr.api',
  'ecr.dkr',
  'eks',
  'eks-auth',
  'kms',
  'logs',
  'sts',
];

/**
 * Interface endpoints whose resources all belong to the account, so their policy also limits
 * resources to it (`aws:ResourceAccount`): a workload cannot use a key of another account through
 * them. The others keep resources open because nodes pull EKS add-on images from AWS-owned
 * registries.
 */
export const OWN_RESOURCES_ONLY_ENDPOINTS: ReadonlySet<string> = new Set(['kms']);

/** AWS service names every enclave resolves (DNS Firewall wildcards match every depth). */
export const AWS_SERVICE_NAMES: readonly string[] = ['amazonaws.com', '*.amazonaws.com'];

/** The domain of EC2 private host names in a region (us-east-1 keeps its historical name). */
export function ec2InternalDomain(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

/** At most this many availability zones are used, so that subnets stay large (EKS pods take VPC addresses). */
export const MAX_AZS = 3;

export interface EnclaveNetworkProps {
  /** Name of the VPC and prefix of the names of its parts. */
  readonly name: string;
  readonly cidr: string;
  readonly egress: Egress;
  /** The first {@link MAX_AZS} are used. */
  readonly availabilityZones: readonly string[];
  /** Key for the flow-log group (its policy must allow CloudWatch Logs). */
  readonly logKey: kms.IKey;
  readonly flowLogGroupName: string;
  /**
   * Create the interface endpoints EKS nodes need (ECR, STS, EKS, ...). Each costs an ENI per
   * zone and an hourly charge, so only enclaves that host clusters get them.
   * @default false
   */
  readonly kubernetesEndpoints?: boolean;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly flowLogRetention?: logs.RetentionDays;
  /** Log group of the egress firewall's alerts (allow-list enclaves). */
  readonly firewallLogGroupName?: string;
}

/** The subnets of an enclave network: zones used, masks and the type of the workload subnets. */
interface SubnetLayout {
  readonly azs: string[];
  /** Allow-list egress: NAT and firewall subnets besides the workload ones. */
  readonly withEgress: boolean;
  readonly workloadMask: number;
  readonly publicMask: number;
  readonly workloadType: ec2.SubnetType;
}

/**
 * Works out the subnet layout of a network, refusing a CIDR that is invalid or too small and a
 * zone list shorter than two. Workload subnets take a quarter of the CIDR each (three zones at
 * most). Public subnets hold only NAT gateways and take a 1/256th each, inside the fourth quarter.
 */
function subnetLayout(props: EnclaveNetworkProps): SubnetLayout {
  const cidr = parseCidr(props.cidr);
  if (typeof cidr === 'string')
    throw new Error(`enclave network "${props.name}": CIDR ${props.cidr} ${cidr}`);
  const azs = props.availabilityZones.slice(0, MAX_AZS);
  if (azs.length < 2)
    throw new Error(`enclave network "${props.name}" needs at least two availability zones`);
  const withEgress = props.egress.mode === 'allow-list';
  const workloadMask = cidr.prefix + 2;
  const publicMask = cidr.prefix + 8;
  if (workloadMask > 24 || (withEgress && publicMask > 28)) {
    throw new Error(
      `enclave network "${props.name}": ${props.cidr} is too small; use a /${withEgress ? 20 : 22} or larger`,
    );
  }
  const workloadType = withEgress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;
  return { azs, withEgress, workloadMask, publicMask, workloadType };
}

export class EnclaveNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /**
   * The enclave's CIDR as written in the spec. Rules use it rather than the VPC's CidrBlock
   * attribute, so a reviewer (and cdk-nag) sees the literal range a rule admits.
   */
  readonly cidr: string;
  /** The subnets workloads (EKS nodes, endpoints) run in. */
  readonly workloadSubnets: ec2.SubnetSelection;
  /** The S3 gateway endpoint: bucket policies admit data requests only through these. */
  readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  readonly flowLogGroup: logs.LogGroup;
  /** Set for allow-list enclaves. */
  readonly egressFirewall?: EgressFirewall;
  /** Network ACL of the workload subnets; set for allow-list enclaves. */
  private workloadAcl?: ec2.NetworkAcl;
  private admittedPeers = 0;

  constructor(scope: Construct, id: string, props: EnclaveNetworkProps) {
    super(scope, id);
    this.cidr = props.cidr;
    const layout = subnetLayout(props);
    this.workloadSubnets = { subnetType: layout.workloadType };
    this.vpc = this.createVpc(props.name, layout);
    this.flowLogGroup = this.addFlowLogs(props);

    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.workloadSubnets],
    });
    this.restrictS3EndpointToOwnAccount();

    if (props.kubernetesEndpoints) this.addInterfaceEndpoints(KUBERNETES_NODE_ENDPOINTS);

    this.addDnsAllowList(props);
    if (props.egress.mode === 'allow-list') {
      this.egressFirewall = this.addAllowListEgress(props, props.egress);
    }
  }

  /** The VPC: workload subnets and, with allow-list egress, NAT and firewall subnets. */
  private createVpc(name: string, layout: SubnetLayout): ec2.Vpc {
    const { azs, withEgress, workloadMask, publicMask, workloadType } = layout;
    return new ec2.Vpc(this, 'Vpc', {
      vpcName: name,
      ipAddresses: ec2.IpAddresses.cidr(this.cidr),
      availabilityZones: azs,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      createInternetGateway: withEgress,
      natGateways: withEgress ? azs.length : 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'workload', subnetType: workloadType, cidrMask: workloadMask },
        ...(withEgress
          ? [
              {
                name: 'nat',
                subnetType: ec2.SubnetType.PUBLIC,
                cidrMask: publicMask,
                mapPublicIpOnLaunch: false,
              },
              {
                name: 'firewall',
                subnetType: ec2.SubnetType.PUBLIC,
                cidrMask: 28,
                mapPublicIpOnLaunch: false,
              },
            ]
          : []),
      ],
      ...(withEgress ? { natGatewaySubnets: { subnetGroupName: 'nat' } } : {}),
    });
  }

  /** The encrypted flow-log group and the VPC's flow log (all traffic, one-minute aggregation). */
  private addFlowLogs(props: EnclaveNetworkProps): logs.LogGroup {
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: props.flowLogGroupName,
      encryptionKey: props.logKey,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
    const flowLogPolicy = flowLog.node.tryFindChild('IAMRole')?.node.tryFindChild('DefaultPolicy');
    if (flowLogPolicy) {
      acknowledge(flowLogPolicy, {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "Attached to the flow-log delivery role of this VPC only, created and deleted with it, and limited to writing this VPC's one log group; a customer managed policy would add a reusable object without narrowing anything. Changes are reviewed in this repository.",
      });
    }
    return flowLogGroup;
  }

  /**
   * Every enclave resolves only the names it needs: its egress allow-list, AWS service names
   * (S3 through the gateway endpoint, interface endpoints, EKS) and EC2 internal names. Without
   * this, an isolated enclave could still tunnel data out through DNS queries for names of
   * servers an outsider runs. amazonaws.com is AWS's zone: queries for it are answered by AWS's
   * name servers and reach no server of a third party.
   */
  private addDnsAllowList(props: EnclaveNetworkProps): void {
    const internal = ec2InternalDomain(Stack.of(this).region);
    const fqdns = props.egress.mode === 'allow-list' ? props.egress.fqdns : [];
    new DnsAllowList(this, 'DnsAllowList', {
      vpc: this.vpc,
      name: props.name,
      allowedDomains: [...fqdns, ...AWS_SERVICE_NAMES, internal, `*.${internal}`],
    });
  }

  /**
   * Egress of an allow-list enclave: the workload subnets' network ACL, then the Network Firewall
   * between the NAT gateways and the internet gateway.
   */
  private addAllowListEgress(
    props: EnclaveNetworkProps,
    egress: Extract<Egress, { mode: 'allow-list' }>,
  ): EgressFirewall {
    this.workloadAcl = addWorkloadAcl(this, this.vpc, this.workloadSubnets, {
      cidr: this.cidr,
      httpsToInternet: egress.fqdns.length > 0,
      cidrs: egress.cidrs,
    });
    const firewall = new EgressFirewall(this, 'EgressFirewall', {
      name: props.name,
      vpc: this.vpc,
      firewallSubnets: this.vpc.selectSubnets({ subnetGroupName: 'firewall' }).subnets,
      natSubnets: this.vpc.selectSubnets({ subnetGroupName: 'nat' }).subnets,
      allowedDomains: egress.fqdns,
      allowedCidrs: egress.cidrs,
      logKey: props.logKey,
      logGroupName: props.firewallLogGroupName ?? `${props.flowLogGroupName}-firewall`,
    });
    this.acknowledgeFirewallRoutes();
    return firewall;
  }

  /**
   * The only routes to the internet gateway: those of the firewall subnets, which hold the
   * Network Firewall endpoints and nothing else. Workload traffic reaches them only through
   * the NAT gateways and the firewall, which drops every flow outside the allow-list.
   */
  private acknowledgeFirewallRoutes(): void {
    for (const subnet of this.vpc.selectSubnets({ subnetGroupName: 'firewall' }).subnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(route, {
          id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          reason:
            "Route of a firewall subnet, which holds only the Network Firewall endpoint of its zone. Workloads reach it only through the NAT gateway, and the firewall passes only allow-listed TLS SNI / HTTP Host names and CIDRs (stateful, drop-established default, alert logs); the internet gateway's edge route table sends return traffic back through the firewall.",
        });
      }
    }
  }

  /**
   * The endpoint admits requests to buckets of this account only, so a workload cannot copy data
   * out to a bucket of another account through it. The exception is the bucket ECR serves image
   * layers from, which nodes pulling images need.
   */
  private restrictS3EndpointToOwnAccount(): void {
    const { account, partition, region } = Stack.of(this);
    this.s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnAccountBucketsOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: ['*'],
        conditions: { StringEquals: { 's3:ResourceAccount': account } },
      }),
    );
    this.s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`],
      }),
    );
  }

  private addInterfaceEndpoints(services: readonly string[]): void {
    const sg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the enclave only',
      allowAllOutbound: false,
    });
    sg.addIngressRule(ec2.Peer.ipv4(this.cidr), ec2.Port.tcp(443), 'HTTPS from the enclave');
    const account = Stack.of(this).account;
    for (const service of services) {
      const id = service
        .split(/[.-]/)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join('');
      const endpoint = this.vpc.addInterfaceEndpoint(id, {
        service: new ec2.InterfaceVpcEndpointAwsService(service),
        subnets: this.workloadSubnets,
        securityGroups: [sg],
        privateDnsEnabled: true,
        open: false,
      });
      // Only this account's principals may call through the endpoint: credentials of another
      // account (an exfiltration path) are refused. Resources are not limited to the account,
      // because nodes pull EKS add-on images from AWS-owned registries.
      const ownResources = OWN_RESOURCES_ONLY_ENDPOINTS.has(service);
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: ownResources ? 'OwnAccountPrincipalsAndResourcesOnly' : 'OwnAccountPrincipalsOnly',
          principals: [new iam.AnyPrincipal()],
          actions: ['*'],
          resources: ['*'],
          conditions: {
            StringEquals: ownResources
              ? { 'aws:PrincipalAccount': account, 'aws:ResourceAccount': account }
              : { 'aws:PrincipalAccount': account },
          },
        }),
      );
    }
  }

  /** Route tables of the workload subnets. */
  get workloadRouteTableIds(): string[] {
    return this.vpc.selectSubnets(this.workloadSubnets).subnets.map((s) => s.routeTable.routeTableId);
  }

  /**
   * Lets workloads of a peered network open connections into this one. Where this network has a
   * workload ACL, it admits anything from the peer and answers it on ephemeral ports only, so
   * this side does not reach services of the peer on their well-known ports.
   */
  admitConnectionsFrom(peerCidr: string): void {
    if (!this.workloadAcl) return;
    addPeerEntries(this.workloadAcl, peerCidr, this.admittedPeers++);
  }
}
