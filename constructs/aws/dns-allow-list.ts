/**
 * A Route 53 Resolver DNS Firewall that resolves only allow-listed names in one VPC and answers
 * NXDOMAIN for every other name. aws-cdk-lib has only L1 classes for DNS Firewall, hence this
 * construct.
 *
 * It governs names, not addresses: a workload that connects to a literal IP address, or asks a
 * resolver outside the VPC, is not stopped here. {@link EnclaveNetwork} closes the second path by
 * denying DNS to the internet in the network ACL of the workload subnets.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as r53r from 'aws-cdk-lib/aws-route53resolver';
import { Construct } from 'constructs';

export interface DnsAllowListProps {
  readonly vpc: ec2.IVpc;
  /** Names that resolve; `*.example.com` allows every name below example.com. */
  readonly allowedDomains: readonly string[];
  /** Name prefix of the firewall objects (rule group, domain lists). */
  readonly name: string;
}

export class DnsAllowList extends Construct {
  readonly ruleGroup: r53r.CfnFirewallRuleGroup;

  constructor(scope: Construct, id: string, props: DnsAllowListProps) {
    super(scope, id);
    const domains = [...new Set(props.allowedDomains)].sort();

    const allowed = new r53r.CfnFirewallDomainList(this, 'Allowed', {
      name: `${props.name}-allowed`,
      domains,
    });
    const everything = new r53r.CfnFirewallDomainList(this, 'Everything', {
      name: `${props.name}-everything`,
      domains: ['*'],
    });

    const rules: r53r.CfnFirewallRuleGroup.FirewallRuleProperty[] = [];
    if (domains.length > 0)
      rules.push({ firewallDomainListId: allowed.attrId, action: 'ALLOW', priority: 100 });
    rules.push({
      firewallDomainListId: everything.attrId,
      action: 'BLOCK',
      blockResponse: 'NXDOMAIN',
      priority: 200,
    });

    this.ruleGroup = new r53r.CfnFirewallRuleGroup(this, 'Rules', {
      name: `${props.name}-egress`,
      firewallRules: rules,
    });

    new r53r.CfnFirewallRuleGroupAssociation(this, 'Association', {
      name: `${props.name}-egress`,
      firewallRuleGroupId: this.ruleGroup.attrId,
      vpcId: props.vpc.vpcId,
      // Lowest priority a customer association may take (101-9900): evaluated first.
      priority: 101,
      mutationProtection: 'ENABLED',
    });
    // Fail-open stays at its default, DISABLED (queries are blocked if DNS Firewall cannot
    // answer). AWS::Route53Resolver::FirewallConfig, which would state it, is not offered by
    // CloudFormation in GovCloud.
  }
}
