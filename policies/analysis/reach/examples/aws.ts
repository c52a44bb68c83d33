/** Small AWS networks and intents for the reachability rules' examples and tests. */
import type { ExampleArtifacts } from '../../../engine/types';
import { TAG } from '../../../../infra/contract';

export const intentOf = (enclaves: unknown[], extra: Record<string, unknown> = {}) => ({
  sites: [{ id: 's', kind: 'aws' }],
  clusters: [],
  enclaves,
  ...extra,
});
export const enclave = (
  id: string,
  cidr: string,
  classification = 'cui',
  egress: unknown = { mode: 'none' },
  reachableFrom: string[] = [],
) => ({ id, site: 's', classification, cidr, egress, reachableFrom });

const tags = (e: string) => [{ Key: TAG.enclave, Value: e }];

/** A VPC `<P>Vpc` with one workload subnet `<P>Sub` and its route table `<P>Rt`. */
export function vpc(p: string, cidr: string, subnet: string, e = p.toLowerCase()): Record<string, unknown> {
  return {
    [`${p}Vpc`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr, Tags: tags(e) } },
    [`${p}Sub`]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: `${p}Vpc` }, CidrBlock: subnet } },
    [`${p}Rt`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `${p}Vpc` } } },
    [`${p}Assoc`]: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: `${p}Sub` }, RouteTableId: { Ref: `${p}Rt` } },
    },
  };
}

export const route = (rt: string, dest: string, target: Record<string, unknown>) => ({
  Type: 'AWS::EC2::Route',
  Properties: { RouteTableId: { Ref: rt }, DestinationCidrBlock: dest, ...target },
});
export const igw = (p: string) => ({
  [`${p}Igw`]: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
  [`${p}Attach`]: {
    Type: 'AWS::EC2::VPCGatewayAttachment',
    Properties: { VpcId: { Ref: `${p}Vpc` }, InternetGatewayId: { Ref: `${p}Igw` } },
  },
});
export const sg = (p: string, ingress: unknown[]) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'x', VpcId: { Ref: `${p}Vpc` }, SecurityGroupIngress: ingress },
});

/** A DNS firewall on VPC `<P>Vpc` that answers `names` and blocks every other name. */
export const dnsFw = (p: string, names: string[]) => ({
  [`${p}Allowed`]: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Domains: names } },
  [`${p}Everything`]: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Domains: ['*'] } },
  [`${p}DnsRules`]: {
    Type: 'AWS::Route53Resolver::FirewallRuleGroup',
    Properties: {
      FirewallRules: [
        { Action: 'ALLOW', Priority: 100, FirewallDomainListId: { 'Fn::GetAtt': [`${p}Allowed`, 'Id'] } },
        {
          Action: 'BLOCK',
          Priority: 200,
          BlockResponse: 'NXDOMAIN',
          FirewallDomainListId: { 'Fn::GetAtt': [`${p}Everything`, 'Id'] },
        },
      ],
    },
  },
  [`${p}DnsAssoc`]: {
    Type: 'AWS::Route53Resolver::FirewallRuleGroupAssociation',
    Properties: {
      FirewallRuleGroupId: { 'Fn::GetAtt': [`${p}DnsRules`, 'Id'] },
      VpcId: { Ref: `${p}Vpc` },
      Priority: 101,
    },
  },
});

/** Two enclaves, cui A (10.41.0.0/16) and public B (10.40.0.0/16), peered, each with a subnet. */
export const twoEnclaves = (
  resources: Record<string, unknown>,
  reachableFrom: string[] = [],
): ExampleArtifacts => ({
  aws: {
    'Site-s': {
      Resources: {
        ...vpc('A', '10.41.0.0/16', '10.41.0.0/24', 'a'),
        ...vpc('B', '10.40.0.0/16', '10.40.0.0/24', 'b'),
        ...dnsFw('A', ['amazonaws.com']),
        ...dnsFw('B', ['pypi.org']),
        ...resources,
      } as never,
    },
  },
  intent: intentOf([
    enclave('a', '10.41.0.0/16'),
    enclave(
      'b',
      '10.40.0.0/16',
      'public',
      { mode: 'allow-list', fqdns: ['pypi.org'], cidrs: [] },
      reachableFrom,
    ),
  ]),
});

export const peering = {
  Type: 'AWS::EC2::VPCPeeringConnection',
  Properties: { VpcId: { Ref: 'AVpc' }, PeerVpcId: { Ref: 'BVpc' } },
};
