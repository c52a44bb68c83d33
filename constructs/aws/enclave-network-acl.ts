/**
 * The network ACL of the workload subnets of an allow-list enclave and its entries: a second
 * layer under the security groups that keeps workloads from DNS resolvers outside the VPC and
 * admits peers only where asked.
 */

import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

/**
 * Ephemeral ports (1024-65535) on which return traffic from the internet is admitted, without
 * RDP's 3389 (AWS Control Tower CT.EC2.PR.5: no inbound allow from 0.0.0.0/0 covers 22 or 3389).
 */
export const RETURN_PORT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [1024, 3388],
  [3390, 65535],
];

/** What the entries of a workload ACL are made from. */
export interface WorkloadAclRules {
  /** The enclave's CIDR as written in the spec. */
  readonly cidr: string;
  /** Let HTTPS out to anywhere (the firewall filters names); set when there are allow-listed names. */
  readonly httpsToInternet: boolean;
  /** Allow-listed CIDR blocks. */
  readonly cidrs: readonly string[];
}

/**
 * Network ACL of the workload subnets of an allow-list enclave, created in `scope` with the id
 * `WorkloadAcl`. Stateless, so return traffic from the internet is admitted on ephemeral ports.
 */
export function addWorkloadAcl(
  scope: Construct,
  vpc: ec2.IVpc,
  subnets: ec2.SubnetSelection,
  rules: WorkloadAclRules,
): ec2.NetworkAcl {
  const acl = new ec2.NetworkAcl(scope, 'WorkloadAcl', { vpc, subnetSelection: subnets });
  acknowledge(acl, {
    id: 'AwsSolutions-VPC3',
    reason:
      'A deliberate second layer under the security groups: it keeps workloads of an allow-list enclave from DNS resolvers outside the VPC (so the DNS Firewall cannot be bypassed) and admits peers only where reachableFrom says so. Its entries are generated from the spec and tested.',
  });
  addEgressEntries(acl, rules);
  addIngressEntries(acl, rules);
  return acl;
}

/**
 * Outbound entries: anything within the enclave, no DNS (plain or over TLS) to outside resolvers,
 * anything to allow-listed CIDRs and, when names are allow-listed, HTTPS to anywhere.
 */
function addEgressEntries(acl: ec2.NetworkAcl, rules: WorkloadAclRules): void {
  const anywhere = ec2.AclCidr.anyIpv4();
  const egress = ec2.TrafficDirection.EGRESS;
  acl.addEntry('OutToEnclave', {
    ruleNumber: 100,
    cidr: ec2.AclCidr.ipv4(rules.cidr),
    traffic: ec2.AclTraffic.allTraffic(),
    direction: egress,
    ruleAction: ec2.Action.ALLOW,
  });
  acl.addEntry('OutDnsTcp', {
    ruleNumber: 110,
    cidr: anywhere,
    traffic: ec2.AclTraffic.tcpPort(53),
    direction: egress,
    ruleAction: ec2.Action.DENY,
  });
  acl.addEntry('OutDnsUdp', {
    ruleNumber: 111,
    cidr: anywhere,
    traffic: ec2.AclTraffic.udpPort(53),
    direction: egress,
    ruleAction: ec2.Action.DENY,
  });
  acl.addEntry('OutDnsOverTls', {
    ruleNumber: 112,
    cidr: anywhere,
    traffic: ec2.AclTraffic.tcpPort(853),
    direction: egress,
    ruleAction: ec2.Action.DENY,
  });
  [...rules.cidrs].sort().forEach((c, i) => {
    acl.addEntry(`OutAllowed${i}`, {
      ruleNumber: 200 + i,
      cidr: ec2.AclCidr.ipv4(c),
      traffic: ec2.AclTraffic.allTraffic(),
      direction: egress,
      ruleAction: ec2.Action.ALLOW,
    });
  });
  if (rules.httpsToInternet) {
    acl.addEntry('OutHttps', {
      ruleNumber: 300,
      cidr: anywhere,
      traffic: ec2.AclTraffic.tcpPort(443),
      direction: egress,
      ruleAction: ec2.Action.ALLOW,
    });
  }
}

/**
 * Inbound entries: anything from within the enclave, and return traffic of outbound connections
 * on ephemeral ports (UDP too when CIDRs are allow-listed).
 */
function addIngressEntries(acl: ec2.NetworkAcl, rules: WorkloadAclRules): void {
  const anywhere = ec2.AclCidr.anyIpv4();
  const ingress = ec2.TrafficDirection.INGRESS;
  acl.addEntry('InFromEnclave', {
    ruleNumber: 100,
    cidr: ec2.AclCidr.ipv4(rules.cidr),
    traffic: ec2.AclTraffic.allTraffic(),
    direction: ingress,
    ruleAction: ec2.Action.ALLOW,
  });
  // Return traffic of outbound connections, on ephemeral ports, split around RDP (3389) so that
  // no entry admits the internet to an administration port (SSH, 22, lies below the range).
  RETURN_PORT_RANGES.forEach(([from, to], i) => {
    const suffix = i === 0 ? '' : `${from}`;
    acl.addEntry(`InReturnTcp${suffix}`, {
      ruleNumber: 200 + i,
      cidr: anywhere,
      traffic: ec2.AclTraffic.tcpPortRange(from, to),
      direction: ingress,
      ruleAction: ec2.Action.ALLOW,
    });
    if (rules.cidrs.length > 0) {
      acl.addEntry(`InReturnUdp${suffix}`, {
        ruleNumber: 210 + i,
        cidr: anywhere,
        traffic: ec2.AclTraffic.udpPortRange(from, to),
        direction: ingress,
        ruleAction: ec2.Action.ALLOW,
      });
    }
  });
}

/**
 * Entries admitting anything from a peer network and answering it on ephemeral ports only; `n`
 * numbers the peer (rule 400 + n).
 */
export function addPeerEntries(acl: ec2.NetworkAcl, peerCidr: string, n: number): void {
  const peer = ec2.AclCidr.ipv4(peerCidr);
  acl.addEntry(`InFromPeer${n}`, {
    ruleNumber: 400 + n,
    cidr: peer,
    traffic: ec2.AclTraffic.allTraffic(),
    direction: ec2.TrafficDirection.INGRESS,
    ruleAction: ec2.Action.ALLOW,
  });
  acl.addEntry(`OutReturnToPeer${n}`, {
    ruleNumber: 400 + n,
    cidr: peer,
    traffic: ec2.AclTraffic.tcpPortRange(1024, 65535),
    direction: ec2.TrafficDirection.EGRESS,
    ruleAction: ec2.Action.ALLOW,
  });
}
