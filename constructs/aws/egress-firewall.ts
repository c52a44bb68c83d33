/**
 * AWS Network Firewall between an enclave's NAT gateways and its internet gateway, so that the
 * egress allow-list holds for connections, not only for DNS answers: HTTPS and HTTP leave only for
 * allow-listed names (TLS SNI, HTTP Host), other traffic only to allow-listed CIDR blocks, and every
 * other established flow is dropped and logged.
 *
 *   workload subnet -> NAT gateway (nat subnet) -> firewall endpoint -> internet gateway
 *   internet gateway (edge route table) -> firewall endpoint -> NAT gateway
 *
 * aws-cdk-lib has only L1 classes for Network Firewall, hence this construct. One firewall per
 * zone, sharing one policy: a firewall reports its endpoints as an unordered list of
 * `zone:endpoint-id`, which CloudFormation cannot match to route tables by zone. A firewall with one
 * subnet has exactly one endpoint, so each zone's routes name their own zone's endpoint; endpoints
 * cost the same either way.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as nfw from 'aws-cdk-lib/aws-networkfirewall';
import { Construct } from 'constructs';

export interface EgressFirewallProps {
  /** Prefix of the names of the firewalls, policy and rule groups. */
  readonly name: string;
  readonly vpc: ec2.IVpc;
  /** Subnets of the firewall endpoints, one per zone; their default route goes to the internet gateway. */
  readonly firewallSubnets: readonly ec2.ISubnet[];
  /** Public subnets of the NAT gateways, one per zone; their default route is sent through the firewall. */
  readonly natSubnets: readonly ec2.ISubnet[];
  /** Names HTTPS and HTTP may reach; `*.example.com` allows every name below example.com. */
  readonly allowedDomains: readonly string[];
  /** CIDR blocks any traffic may reach. */
  readonly allowedCidrs: readonly string[];
  readonly logKey: kms.IKey;
  readonly logGroupName: string;
}

/** Network Firewall writes `.example.com` for "example.com and every name below it". */
export function firewallDomain(fqdn: string): string {
  return fqdn.startsWith('*.') ? fqdn.slice(1) : fqdn;
}

export class EgressFirewall extends Construct {
  readonly policy: nfw.CfnFirewallPolicy;
  readonly firewalls: readonly nfw.CfnFirewall[];
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EgressFirewallProps) {
    super(scope, id);
    const igw = (props.vpc as ec2.Vpc).internetGatewayId;
    if (!igw) throw new Error(`egress firewall "${props.name}": the VPC has no internet gateway`);

    const groups = this.addRuleGroups(props);
    this.policy = new nfw.CfnFirewallPolicy(this, 'Policy', {
      firewallPolicyName: `${props.name}-egress`,
      firewallPolicy: {
        // Everything goes to the stateful engine, which passes what a rule allows and drops the
        // rest once the flow is established (so the TLS handshake that carries the SNI gets through).
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
        statefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
        statefulRuleGroupReferences: groups,
      },
    });

    this.logGroup = new logs.LogGroup(this, 'Alerts', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const edge = new ec2.CfnRouteTable(this, 'InternetGatewayEdge', { vpcId: props.vpc.vpcId });
    new ec2.CfnGatewayRouteTableAssociation(this, 'InternetGatewayEdgeAssociation', {
      gatewayId: igw,
      routeTableId: edge.ref,
    });

    this.firewalls = props.firewallSubnets.map((fwSubnet) => this.addZoneFirewall(props, fwSubnet, edge));
  }

  /** The stateful rule groups of the policy: allowed names (if any), then allowed CIDR blocks (if any). */
  private addRuleGroups(
    props: EgressFirewallProps,
  ): nfw.CfnFirewallPolicy.StatefulRuleGroupReferenceProperty[] {
    const groups: nfw.CfnFirewallPolicy.StatefulRuleGroupReferenceProperty[] = [];
    const domains = [...new Set(props.allowedDomains.map(firewallDomain))].sort();
    if (domains.length > 0) {
      const g = new nfw.CfnRuleGroup(this, 'AllowedNames', {
        ruleGroupName: `${props.name}-allowed-names`,
        type: 'STATEFUL',
        capacity: 2 * domains.length + 10,
        ruleGroup: {
          rulesSource: {
            rulesSourceList: {
              generatedRulesType: 'ALLOWLIST',
              targetTypes: ['TLS_SNI', 'HTTP_HOST'],
              targets: domains,
            },
          },
          statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
        },
      });
      groups.push({ resourceArn: g.attrRuleGroupArn, priority: 100 });
    }
    const cidrs = [...new Set(props.allowedCidrs)].sort();
    if (cidrs.length > 0) {
      const g = new nfw.CfnRuleGroup(this, 'AllowedCidrs', {
        ruleGroupName: `${props.name}-allowed-cidrs`,
        type: 'STATEFUL',
        capacity: cidrs.length + 10,
        ruleGroup: {
          rulesSource: { statefulRules: cidrs.map(passRule) },
          statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
        },
      });
      groups.push({ resourceArn: g.attrRuleGroupArn, priority: 200 });
    }
    return groups;
  }

  /**
   * The firewall of one zone with its alert logging, and the routes through its endpoint: the NAT
   * subnet's default route out, and the edge route back to that NAT subnet.
   */
  private addZoneFirewall(
    props: EgressFirewallProps,
    fwSubnet: ec2.ISubnet,
    edge: ec2.CfnRouteTable,
  ): nfw.CfnFirewall {
    const az = fwSubnet.availabilityZone;
    const nat = props.natSubnets.find((s) => s.availabilityZone === az);
    if (!nat) throw new Error(`egress firewall "${props.name}": no NAT subnet in ${az}`);
    const zone = az.slice(-1);
    const firewall = new nfw.CfnFirewall(this, `Firewall-${az}`, {
      firewallName: `${props.name}-${zone}`,
      vpcId: props.vpc.vpcId,
      firewallPolicyArn: this.policy.attrFirewallPolicyArn,
      subnetMappings: [{ subnetId: fwSubnet.subnetId }],
      firewallPolicyChangeProtection: true,
      subnetChangeProtection: true,
    });
    new nfw.CfnLoggingConfiguration(this, `Logging-${az}`, {
      firewallArn: firewall.attrFirewallArn,
      loggingConfiguration: {
        logDestinationConfigs: [
          {
            logType: 'ALERT',
            logDestinationType: 'CloudWatchLogs',
            logDestination: { logGroup: this.logGroup.logGroupName },
          },
        ],
      },
    });
    // The firewall's only endpoint: "zone:vpce-id" -> vpce-id.
    const endpoint = Fn.select(1, Fn.split(':', Fn.select(0, firewall.attrEndpointIds)));

    // NAT subnet: out to the internet through the firewall instead of straight to the gateway.
    const natRoute = nat.node.tryFindChild('DefaultRoute') as ec2.CfnRoute | undefined;
    if (!natRoute)
      throw new Error(`egress firewall "${props.name}": NAT subnet in ${az} has no default route`);
    natRoute.gatewayId = undefined;
    natRoute.vpcEndpointId = endpoint;
    // Return traffic for that NAT subnet comes back through the same zone's firewall.
    new ec2.CfnRoute(this, `Return-${az}`, {
      routeTableId: edge.ref,
      destinationCidrBlock: nat.ipv4CidrBlock,
      vpcEndpointId: endpoint,
    });
    return firewall;
  }
}

/** A stateful rule that passes any traffic to one allowed CIDR block (Suricata sid 1000 + index). */
function passRule(destination: string, i: number): nfw.CfnRuleGroup.StatefulRuleProperty {
  return {
    action: 'PASS',
    header: {
      protocol: 'IP',
      source: 'ANY',
      sourcePort: 'ANY',
      direction: 'FORWARD',
      destination,
      destinationPort: 'ANY',
    },
    ruleOptions: [{ keyword: `sid:${1000 + i}` }],
  };
}
