/**
 * The reachability analysis, case by case: CIDR set arithmetic, network ACL order, security
 * groups, routes, DNS firewalls, NetworkPolicy semantics, ClusterNetworkPolicy tiers and Cilium
 * precedence. Each row is an artifact fragment and the reach it must (or must not) open.
 */
import { CidrSet, INTERNET, METADATA } from '../../policies/analysis/reach/cidr';
import { aclAllows, type AclEntry } from '../../policies/analysis/reach/aws-filters';
import { analyzeReach } from '../../policies/analysis/reach';
import {
  enclave,
  igw,
  intentOf,
  peering,
  route,
  sg,
  twoEnclaves,
  vpc,
  dnsFw,
} from '../../policies/analysis/reach/examples/aws';
import { ccnp, cilnp, cnp, np, twoTenants } from '../../policies/analysis/reach/examples/k8s';
import { exampleArtifacts } from '../../policies/engine/examples';
import type { ExampleArtifacts, K8sObject } from '../../policies/engine/types';
import { service } from '../../policies/analysis/reach/ports';

const set = (...c: string[]) => CidrSet.of(...c);

describe('CIDR sets', () => {
  it.each<[string, () => boolean, boolean]>([
    [
      '0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0',
      () => set('0.0.0.0/1', '128.0.0.0/1').equals(set('0.0.0.0/0')),
      true,
    ],
    [
      '0.0.0.0/0 in four pieces is 0.0.0.0/0',
      () => set('0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2').equals(set('0.0.0.0/0')),
      true,
    ],
    [
      '0.0.0.0/0 less one /32 is not 0.0.0.0/0',
      () => set('0.0.0.0/0').minus(set('8.8.8.8/32')).equals(set('0.0.0.0/0')),
      false,
    ],
    [
      '10.0.0.0/8 except 10.41.0.0/16 no longer holds 10.41.2.3',
      () => set('10.0.0.0/8').minus(set('10.41.0.0/16')).covers(set('10.41.2.3')),
      false,
    ],
    [
      '10.0.0.0/8 except 10.41.0.0/16 still holds 10.40.0.0/16',
      () => set('10.0.0.0/8').minus(set('10.41.0.0/16')).covers(set('10.40.0.0/16')),
      true,
    ],
    [
      'adjacent ranges merge: 10.40.0.0/17 + 10.40.128.0/17',
      () => set('10.40.0.0/17', '10.40.128.0/17').toCidrs().join() === '10.40.0.0/16',
      true,
    ],
    [
      'host bits are masked: 10.1.2.3/16 is 10.1.0.0/16',
      () => set('10.1.2.3/16').equals(set('10.1.0.0/16')),
      true,
    ],
    ['IPv6 ::/0 in halves is ::/0', () => set('::/1', '8000::/1').equals(set('::/0')), true],
    ['IPv4 never covers IPv6', () => set('0.0.0.0/0').covers(set('2001:db8::/32')), false],
    [
      'the metadata set holds both families',
      () => METADATA.covers(set('169.254.169.254', 'fd00:ec2::254')),
      true,
    ],
    [
      'private ranges are not the internet',
      () => INTERNET.overlaps(set('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7')),
      false,
    ],
    ['a public /32 is the internet', () => INTERNET.covers(set('52.94.1.1/32')), true],
    ['172.32.0.0/16 (outside 172.16/12) is the internet', () => INTERNET.covers(set('172.32.0.0/16')), true],
    [
      'overlap of 10.40.0.0/16 and 10.40.255.0/24',
      () => set('10.40.0.0/16').overlaps(set('10.40.255.0/24')),
      true,
    ],
    [
      'not a CIDR is refused',
      () => CidrSet.tryOf('0.0.0.0/33') === undefined && CidrSet.tryOf('ten/8') === undefined,
      true,
    ],
    [
      'IPv6 text form of a difference',
      () => set('fd00::/8').minus(set('fd00::/9')).toCidrs().join() === 'fd80::/9',
      true,
    ],
    [
      'covers one family of the internet (all of IPv4)',
      () => set('0.0.0.0/0').coversAFamilyOf(INTERNET),
      true,
    ],
  ])('%s', (_name, f, expected) => expect(f()).toBe(expected));
});

/** A network ACL of `rules` ([number, egress, allow, cidr, proto, from, to]) as the evaluator reads it. */
function acl(rules: Array<[number, boolean, boolean, string, number, number?, number?]>): AclEntry[] {
  return rules
    .map(([n, egress, allow, c, proto, from, to]) => ({
      item: { logicalId: `E${n}`, ref: undefined } as never,
      number: n,
      egress,
      allow,
      cidr: set(c),
      svc: service(proto, from, to),
    }))
    .sort((a, b) => a.number - b.number);
}

describe('network ACLs', () => {
  const internet = INTERNET.family('v4');
  it.each<[string, AclEntry[] | undefined, boolean, CidrSet, ReturnType<typeof service>, boolean]>([
    ['no ACL (the default one) admits everything', undefined, true, internet, service(6, 443), true],
    [
      'the implicit deny at the end',
      acl([[100, true, true, '10.0.0.0/8', -1]]),
      true,
      internet,
      service(6, 443),
      false,
    ],
    [
      'a deny before an allow wins',
      acl([
        [100, true, false, '0.0.0.0/0', 6, 443, 443],
        [200, true, true, '0.0.0.0/0', -1],
      ]),
      true,
      internet,
      service(6, 443),
      false,
    ],
    [
      'an allow before a deny wins',
      acl([
        [100, true, true, '0.0.0.0/0', 6, 443, 443],
        [200, true, false, '0.0.0.0/0', -1],
      ]),
      true,
      internet,
      service(6, 443),
      true,
    ],
    [
      'rules are ordered by number, not by position',
      acl([
        [300, true, true, '0.0.0.0/0', -1],
        [100, true, false, '0.0.0.0/0', -1],
      ]),
      true,
      internet,
      service(17, 53),
      false,
    ],
    [
      'a deny of part of the ports does not stop the rest',
      acl([
        [100, true, false, '0.0.0.0/0', 6, 53, 53],
        [200, true, true, '0.0.0.0/0', 6, 0, 65535],
      ]),
      true,
      internet,
      service(6, 0, 65535),
      true,
    ],
    [
      'an allow split as 0.0.0.0/1 + 128.0.0.0/1',
      acl([
        [100, true, true, '0.0.0.0/1', -1],
        [101, true, true, '128.0.0.0/1', -1],
      ]),
      true,
      internet,
      service(17, 123),
      true,
    ],
    [
      'ingress entries do not judge egress',
      acl([[100, false, true, '0.0.0.0/0', -1]]),
      true,
      internet,
      service(6, 443),
      false,
    ],
    [
      'an allow of another protocol does not admit',
      acl([[100, true, true, '0.0.0.0/0', 17, 0, 65535]]),
      true,
      internet,
      service(6, 443),
      false,
    ],
  ])('%s', (_name, entries, egress, peers, svc, open) =>
    expect(aclAllows(entries, egress, peers, svc).allowed.isEmpty()).toBe(!open),
  );
});

const awsOpenings = (a: ExampleArtifacts) => analyzeReach(exampleArtifacts(a)).aws?.openings ?? [];
const reaches = (a: ExampleArtifacts, from: string, to: string) =>
  awsOpenings(a).some((o) => o.from === from && o.to === to);
const pcxRoutes = {
  Pcx: peering,
  Fwd: route('ARt', '10.40.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
  Back: route('BRt', '10.41.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
};
const listenerA = (cidr: string, ports: [number, number] = [443, 443]) => ({
  Sg: sg('A', [{ IpProtocol: 'tcp', FromPort: ports[0], ToPort: ports[1], CidrIp: cidr }]),
});
const aclOn = (p: string, entries: Array<Record<string, unknown>>) => ({
  [`${p}Acl`]: { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: `${p}Vpc` } } },
  [`${p}AclAssoc`]: {
    Type: 'AWS::EC2::SubnetNetworkAclAssociation',
    Properties: { SubnetId: { Ref: `${p}Sub` }, NetworkAclId: { Ref: `${p}Acl` } },
  },
  ...Object.fromEntries(
    entries.map((e, i) => [
      `${p}Entry${i}`,
      { Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: { Ref: `${p}Acl` }, ...e } },
    ]),
  ),
});

describe('AWS routes, peering and security groups', () => {
  it.each<[string, ExampleArtifacts, string, string, boolean]>([
    ['no route: no reach', twoEnclaves(listenerA('10.40.0.0/16')), 'b', 'a', false],
    [
      'peering with routes both ways and a listener',
      twoEnclaves({ ...pcxRoutes, ...listenerA('10.40.0.0/16') }),
      'b',
      'a',
      true,
    ],
    ['peering with routes but no listener', twoEnclaves(pcxRoutes), 'b', 'a', false],
    [
      'a listener for another range',
      twoEnclaves({ ...pcxRoutes, ...listenerA('10.99.0.0/16') }),
      'b',
      'a',
      false,
    ],
    [
      'a listener for part of the range (a /17 of the peer)',
      twoEnclaves({ ...pcxRoutes, ...listenerA('10.40.0.0/17') }),
      'b',
      'a',
      true,
    ],
    [
      'a listener referencing a group of the peer VPC',
      twoEnclaves({
        ...pcxRoutes,
        PeerSg: sg('B', []),
        Sg: sg('A', [{ IpProtocol: '-1', SourceSecurityGroupId: { 'Fn::GetAtt': ['PeerSg', 'GroupId'] } }]),
      }),
      'b',
      'a',
      true,
    ],
    [
      'a listener on a prefix list (undecided, reported)',
      twoEnclaves({
        ...pcxRoutes,
        Sg: sg('A', [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-123' }]),
      }),
      'b',
      'a',
      true,
    ],
    [
      'a listener stopped by the destination ACL',
      twoEnclaves({
        ...pcxRoutes,
        ...listenerA('10.40.0.0/16'),
        ...aclOn('A', [
          { Egress: false, RuleAction: 'allow', RuleNumber: 100, Protocol: -1, CidrBlock: '10.41.0.0/16' },
        ]),
      }),
      'b',
      'a',
      false,
    ],
    [
      'a listener stopped by a deny ahead of the allow',
      twoEnclaves({
        ...pcxRoutes,
        ...listenerA('10.40.0.0/16'),
        ...aclOn('A', [
          {
            Egress: false,
            RuleAction: 'deny',
            RuleNumber: 90,
            Protocol: 6,
            PortRange: { From: 443, To: 443 },
            CidrBlock: '10.40.0.0/16',
          },
          { Egress: false, RuleAction: 'allow', RuleNumber: 100, Protocol: -1, CidrBlock: '0.0.0.0/0' },
        ]),
      }),
      'b',
      'a',
      false,
    ],
    [
      'a listener the source ACL lets out',
      twoEnclaves({
        ...pcxRoutes,
        ...listenerA('10.40.0.0/16'),
        ...aclOn('B', [
          {
            Egress: true,
            RuleAction: 'allow',
            RuleNumber: 100,
            Protocol: 6,
            PortRange: { From: 443, To: 443 },
            CidrBlock: '10.41.0.0/16',
          },
        ]),
      }),
      'b',
      'a',
      true,
    ],
    [
      'a standalone ingress resource opens as an inline rule does',
      twoEnclaves({
        ...pcxRoutes,
        Sg: sg('A', []),
        In: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: {
            GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] },
            IpProtocol: 'udp',
            FromPort: 53,
            ToPort: 53,
            CidrIp: '10.40.0.0/16',
          },
        },
      }),
      'b',
      'a',
      true,
    ],
    [
      'an internet gateway route split in halves',
      twoEnclaves({
        ...igw('A'),
        Lo: route('ARt', '0.0.0.0/1', { GatewayId: { Ref: 'AIgw' } }),
        Hi: route('ARt', '128.0.0.0/1', { GatewayId: { Ref: 'AIgw' } }),
      }),
      'a',
      'internet',
      true,
    ],
    [
      'an internet gateway route for a private range only',
      twoEnclaves({ ...igw('A'), Priv: route('ARt', '10.99.0.0/16', { GatewayId: { Ref: 'AIgw' } }) }),
      'a',
      'internet',
      true,
    ],
    [
      'a more specific peering route takes the enclave range from a default route',
      twoEnclaves({
        ...igw('B'),
        Def: route('BRt', '0.0.0.0/0', { GatewayId: { Ref: 'BIgw' } }),
        ...pcxRoutes,
        ...listenerA('10.40.0.0/16'),
      }),
      'b',
      'a',
      true,
    ],
    [
      'a peering to a VPC of the assembly carries no transit to the internet',
      twoEnclaves({
        Pcx: peering,
        Fwd: route('ARt', '0.0.0.0/0', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
      }),
      'a',
      'internet',
      false,
    ],
    [
      'a route to an instance leaves the enclave',
      twoEnclaves({ Eni: route('ARt', '0.0.0.0/0', { InstanceId: 'i-0123' }) }),
      'a',
      'internet',
      true,
    ],
    [
      'a NAT gateway in a subnet with no internet route reaches nothing',
      twoEnclaves({
        Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'ASub' } } },
        ToNat: route('ARt', '0.0.0.0/0', { NatGatewayId: { Ref: 'Nat' } }),
      }),
      'a',
      'internet',
      false,
    ],
    [
      'an egress ACL that denies everything stops an internet route',
      twoEnclaves({
        ...igw('A'),
        Def: route('ARt', '0.0.0.0/0', { GatewayId: { Ref: 'AIgw' } }),
        ...aclOn('A', [
          { Egress: true, RuleAction: 'deny', RuleNumber: 100, Protocol: -1, CidrBlock: '0.0.0.0/0' },
        ]),
      }),
      'a',
      'internet',
      false,
    ],
  ])('%s', (_name, artifacts, from, to, open) => expect(reaches(artifacts, from, to)).toBe(open));

  it('an IPv6 default route to an egress-only gateway leaves the enclave', () => {
    const a = twoEnclaves({
      Eigw: { Type: 'AWS::EC2::EgressOnlyInternetGateway', Properties: { VpcId: { Ref: 'AVpc' } } },
      V6: {
        Type: 'AWS::EC2::Route',
        Properties: {
          RouteTableId: { Ref: 'ARt' },
          DestinationIpv6CidrBlock: '::/0',
          EgressOnlyInternetGatewayId: { Ref: 'Eigw' },
        },
      },
    });
    expect(reaches(a, 'a', 'internet')).toBe(true);
  });

  it('a VPC found by its CIDR is the enclave of the intent, whatever its tag says', () => {
    const a: ExampleArtifacts = {
      aws: {
        'Site-s': {
          Resources: {
            ...vpc('X', '10.41.0.0/16', '10.41.0.0/24', 'wrong-tag'),
            ...dnsFw('X', ['amazonaws.com']),
          } as never,
        },
      },
      intent: intentOf([enclave('a', '10.41.0.0/16')]),
    };
    expect(analyzeReach(exampleArtifacts(a)).aws?.net.vpcs.map((v) => v.enclave)).toEqual(['a']);
  });
});

const dnsNames = (a: ExampleArtifacts, e: string) =>
  analyzeReach(exampleArtifacts(a)).aws?.dns.get(e)?.names ?? [];
describe('DNS firewall', () => {
  const base = (extra: Record<string, unknown>) => twoEnclaves(extra);
  it.each<[string, ExampleArtifacts, string[]]>([
    ['the allow list, then the block of everything', base({}), ['amazonaws.com']],
    [
      'no DNS firewall: every name',
      {
        ...base({}),
        aws: {
          'Site-s': {
            Resources: Object.fromEntries(
              Object.entries(
                (base({}).aws as Record<string, { Resources: Record<string, unknown> }>)['Site-s'].Resources,
              ).filter(([k]) => !k.startsWith('ADns')),
            ) as never,
          },
        },
      },
      ['*'],
    ],
    [
      'an allow of * ahead of the block',
      base({
        Star: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Domains: ['*'] } },
        Rg: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroup',
          Properties: {
            FirewallRules: [
              { Action: 'ALLOW', Priority: 1, FirewallDomainListId: { 'Fn::GetAtt': ['Star', 'Id'] } },
            ],
          },
        },
        As: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroupAssociation',
          Properties: {
            FirewallRuleGroupId: { 'Fn::GetAtt': ['Rg', 'Id'] },
            VpcId: { Ref: 'AVpc' },
            Priority: 100,
          },
        },
      }),
      ['*', 'amazonaws.com'],
    ],
    [
      'an allow of * after the block (later association) changes nothing',
      base({
        Star: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Domains: ['*'] } },
        Rg: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroup',
          Properties: {
            FirewallRules: [
              { Action: 'ALLOW', Priority: 1, FirewallDomainListId: { 'Fn::GetAtt': ['Star', 'Id'] } },
            ],
          },
        },
        As: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroupAssociation',
          Properties: {
            FirewallRuleGroupId: { 'Fn::GetAtt': ['Rg', 'Id'] },
            VpcId: { Ref: 'AVpc' },
            Priority: 500,
          },
        },
      }),
      ['amazonaws.com'],
    ],
    [
      'an ALERT rule blocks nothing',
      base({
        Al: { Type: 'AWS::Route53Resolver::FirewallDomainList', Properties: { Domains: ['evil.example'] } },
        Rg: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroup',
          Properties: {
            FirewallRules: [
              { Action: 'ALERT', Priority: 1, FirewallDomainListId: { 'Fn::GetAtt': ['Al', 'Id'] } },
            ],
          },
        },
        As: {
          Type: 'AWS::Route53Resolver::FirewallRuleGroupAssociation',
          Properties: {
            FirewallRuleGroupId: { 'Fn::GetAtt': ['Rg', 'Id'] },
            VpcId: { Ref: 'AVpc' },
            Priority: 100,
          },
        },
      }),
      ['amazonaws.com'],
    ],
  ])('%s', (_name, a, names) => expect(dnsNames(a, 'a')).toEqual(names));
});

const k8sOpen = (a: ExampleArtifacts, from: string, to: string) =>
  analyzeReach(exampleArtifacts(a)).k8s.some((c) => c.openings.some((o) => o.from === from && o.to === to));
const A = 'tenant-acme';
const B = 'tenant-beta';
const egressAll = np(A, 'egress-all', { policyTypes: ['Egress'], egress: [{}] });
const ingressFrom = (peers: unknown[], ports?: unknown[]) =>
  np(B, 'in', { policyTypes: ['Ingress'], ingress: [{ from: peers, ...(ports ? { ports } : {}) }] });
const byName = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
const tenantNs = { matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }] };

describe('NetworkPolicy', () => {
  it.each<[string, K8sObject[], string, string, boolean]>([
    ['the bundle alone: no tenant reaches another', [], A, B, false],
    ['an egress allow alone does not open (ingress still isolated)', [egressAll], A, B, false],
    [
      'egress and ingress from the namespace by name',
      [egressAll, ingressFrom([{ namespaceSelector: byName(A) }])],
      A,
      B,
      true,
    ],
    [
      'ingress from another namespace by name does not open for acme',
      [egressAll, ingressFrom([{ namespaceSelector: byName('tenant-other') }])],
      A,
      B,
      false,
    ],
    [
      'an empty namespaceSelector is every namespace',
      [egressAll, ingressFrom([{ namespaceSelector: {} }])],
      A,
      B,
      true,
    ],
    [
      'an empty matchLabels namespaceSelector is every namespace',
      [egressAll, ingressFrom([{ namespaceSelector: { matchLabels: {} } }])],
      A,
      B,
      true,
    ],
    [
      'a podSelector alone stays in the policy namespace',
      [egressAll, ingressFrom([{ podSelector: {} }])],
      A,
      B,
      false,
    ],
    [
      'matchExpressions Exists on the tenant label',
      [egressAll, ingressFrom([{ namespaceSelector: tenantNs }])],
      A,
      B,
      true,
    ],
    [
      'matchExpressions In with the namespace name',
      [
        egressAll,
        ingressFrom([
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [A] }],
            },
          },
        ]),
      ],
      A,
      B,
      true,
    ],
    [
      'matchExpressions NotIn the namespace name',
      [
        egressAll,
        ingressFrom([
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [A] }],
            },
          },
        ]),
      ],
      A,
      B,
      false,
    ],
    [
      'matchExpressions DoesNotExist on the tenant label',
      [
        egressAll,
        ingressFrom([
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'DoesNotExist' }],
            },
          },
        ]),
      ],
      A,
      B,
      false,
    ],
    [
      'a contradictory pod selector selects no pod',
      [
        egressAll,
        ingressFrom([
          {
            namespaceSelector: {},
            podSelector: {
              matchExpressions: [
                { key: 'a', operator: 'Exists' },
                { key: 'a', operator: 'DoesNotExist' },
              ],
            },
          },
        ]),
      ],
      A,
      B,
      false,
    ],
    [
      'a pod selector by label may select a tenant pod',
      [egressAll, ingressFrom([{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } }])],
      A,
      B,
      true,
    ],
    [
      'an ingress rule with no from admits everything',
      [egressAll, np(B, 'in', { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] })],
      A,
      B,
      true,
    ],
    [
      'ingress: [] admits nothing',
      [egressAll, np(B, 'in', { policyTypes: ['Ingress'], ingress: [] })],
      A,
      B,
      false,
    ],
    [
      'ipBlock 0.0.0.0/0 may hold pod addresses',
      [egressAll, ingressFrom([{ ipBlock: { cidr: '0.0.0.0/0' } }])],
      A,
      B,
      true,
    ],
    [
      'a named port is some port',
      [egressAll, ingressFrom([{ namespaceSelector: {} }], [{ port: 'http' }])],
      A,
      B,
      true,
    ],
    [
      'a port range with endPort',
      [
        np(A, 'out', {
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 8000, endPort: 9000 }] }],
        }),
        ingressFrom([{ namespaceSelector: {} }], [{ port: 8443 }]),
      ],
      A,
      B,
      true,
    ],
    [
      'disjoint egress and ingress ports meet nowhere',
      [
        np(A, 'out', {
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }],
        }),
        ingressFrom([{ namespaceSelector: {} }], [{ port: 443 }]),
      ],
      A,
      B,
      false,
    ],
    [
      'egress to the metadata address from a wide ipBlock, stopped by the Admin deny',
      [
        np(A, 'wide', {
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] }],
        }),
      ],
      A,
      'metadata',
      false,
    ],
    [
      'an ipBlock except that removes the metadata address',
      [
        np(A, 'wide', {
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.169.254/32'] } }] }],
        }),
      ],
      A,
      'metadata',
      false,
    ],
  ])('%s', (_name, extra, from, to, open) =>
    expect(k8sOpen(twoTenants(extra, 'calico'), from, to)).toBe(open),
  );
});

describe('ClusterNetworkPolicy tiers and priorities', () => {
  const acceptBoth = (tier: 'Admin' | 'Baseline', priority: number) => [
    cnp(tier, priority, 'egress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
    cnp(tier, priority, 'ingress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
  ];
  const withoutBundle = (extra: K8sObject[]): ExampleArtifacts => {
    const a = twoTenants(extra, 'calico');
    const objs = (a.k8s as Record<string, K8sObject[]>)['site-a/cluster-a/chart.yaml'].filter(
      (o) => o.kind !== 'NetworkPolicy',
    );
    return { ...a, k8s: { 'site-a/cluster-a/chart.yaml': objs } };
  };
  it.each<[string, ExampleArtifacts, boolean]>([
    [
      'an Admin Accept outranks a namespace default deny',
      twoTenants(acceptBoth('Admin', 10), 'calico'),
      true,
    ],
    [
      'a Baseline Accept does not outrank a namespace default deny',
      twoTenants(acceptBoth('Baseline', 10), 'calico'),
      false,
    ],
    [
      'an Admin Deny outranks a NetworkPolicy allow',
      twoTenants(
        [
          egressAll,
          ingressFrom([{ namespaceSelector: {} }]),
          cnp('Admin', 10, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs }),
        ],
        'calico',
      ),
      false,
    ],
    [
      'an Admin Pass hands the decision to NetworkPolicy (which allows)',
      twoTenants(
        [
          egressAll,
          ingressFrom([{ namespaceSelector: {} }]),
          cnp('Admin', 5, 'ingress', 'Pass', [{ namespaces: {} }], { namespaces: tenantNs }),
          cnp('Admin', 10, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs }),
        ],
        'calico',
      ),
      true,
    ],
    [
      'the lower priority number is evaluated first (Deny 5 before Accept 10)',
      twoTenants(
        [
          cnp('Admin', 5, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs }),
          ...acceptBoth('Admin', 10),
        ],
        'calico',
      ),
      false,
    ],
    [
      'an Admin Accept at 5 before a Deny at 10',
      twoTenants(
        [
          ...acceptBoth('Admin', 5),
          cnp('Admin', 10, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs }),
        ],
        'calico',
      ),
      true,
    ],
    [
      'without NetworkPolicies, a Baseline Deny stops what nothing else decides',
      withoutBundle([cnp('Baseline', 10, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs })]),
      false,
    ],
    ['without NetworkPolicies or ClusterNetworkPolicies, everything is open', withoutBundle([]), true],
    [
      'a Deny limited to a pod label does not stop every pod',
      twoTenants(
        [
          ...acceptBoth('Admin', 10),
          cnp('Admin', 5, 'ingress', 'Deny', [{ namespaces: {} }], {
            pods: { namespaceSelector: tenantNs, podSelector: { matchLabels: { app: 'db' } } },
          }),
        ],
        'calico',
      ),
      true,
    ],
    [
      'a Deny of one port does not stop every port',
      twoTenants(
        [
          ...acceptBoth('Admin', 10),
          cnp('Admin', 5, 'ingress', 'Deny', [{ namespaces: {} }], { namespaces: tenantNs }, [
            { tcp: { destinationPort: { number: 22 } } },
          ]),
        ],
        'calico',
      ),
      true,
    ],
    [
      'on a Cilium cluster, ClusterNetworkPolicy is not enforced',
      twoTenants(acceptBoth('Admin', 10), 'cilium'),
      false,
    ],
  ])('%s', (_name, a, open) => expect(k8sOpen(a, A, B)).toBe(open));
});

describe('Cilium', () => {
  const nsLabel = (k: string) => `k8s:io.cilium.k8s.namespace.labels.${k}`;
  const allowAll = ccnp('allow-all', {
    endpointSelector: {},
    ingress: [{ fromEntities: ['all'] }],
    egress: [{ toEntities: ['all'] }],
  });
  it.each<[string, K8sObject[], string, string, boolean]>([
    ['a cluster-wide allow from every entity outranks a namespace default deny', [allowAll], A, B, true],
    [
      'a deny rule wins over any allow',
      [
        allowAll,
        ccnp('deny', {
          endpointSelector: {
            matchExpressions: [{ key: nsLabel('genesis.platform/tenant'), operator: 'Exists' }],
          },
          ingressDeny: [{ fromEntities: ['cluster'] }],
        }),
      ],
      A,
      B,
      false,
    ],
    [
      'a namespaced policy selects only its namespace',
      [
        ccnp('out', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] }),
        cilnp(B, 'in', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] }),
      ],
      A,
      B,
      false,
    ],
    [
      'a namespaced policy naming the peer namespace',
      [
        ccnp('out', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] }),
        cilnp(B, 'in', {
          endpointSelector: {},
          ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': A } }] }],
        }),
      ],
      A,
      B,
      true,
    ],
    [
      'toFQDNs opens the internet',
      [cilnp(A, 'fqdn', { endpointSelector: {}, egress: [{ toFQDNs: [{ matchName: 'example.com' }] }] })],
      A,
      'internet',
      true,
    ],
    [
      'toEntities world opens the internet',
      [cilnp(A, 'world', { endpointSelector: {}, egress: [{ toEntities: ['world'] }] })],
      A,
      'internet',
      true,
    ],
    [
      'toCIDRSet with except still opens the rest of the internet',
      [
        cilnp(A, 'cidr', {
          endpointSelector: {},
          egress: [{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['8.8.8.0/24'] }] }],
        }),
      ],
      A,
      'internet',
      true,
    ],
    [
      'an egress deny of the metadata address in both families holds against an allow of everything',
      [
        cilnp(A, 'world', { endpointSelector: {}, egress: [{ toEntities: ['all'] }] }),
        ccnp('imds', {
          endpointSelector: {},
          egressDeny: [{ toCIDR: ['169.254.169.254/32', 'fd00:ec2::254/128'] }],
        }),
      ],
      A,
      'metadata',
      false,
    ],
    [
      'an egress deny of the IPv4 metadata address only leaves IPv6',
      [
        cilnp(A, 'world', { endpointSelector: {}, egress: [{ toEntities: ['all'] }] }),
        ccnp('imds', { endpointSelector: {}, egressDeny: [{ toCIDR: ['169.254.169.254/32'] }] }),
      ],
      A,
      'metadata',
      true,
    ],
    [
      'an empty ingress rule admits nothing',
      [
        ccnp('out', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] }),
        cilnp(B, 'deny-in', { endpointSelector: {}, ingress: [{}] }),
      ],
      A,
      B,
      false,
    ],
  ])('%s', (_name, extra, from, to, open) =>
    expect(k8sOpen(twoTenants(extra, 'cilium'), from, to)).toBe(open),
  );
});

describe('AWS openings the assembly cannot list in full', () => {
  it.each<[string, ExampleArtifacts, string, string, boolean]>([
    [
      'an ingress rule on the VPC default security group (Fn::GetAtt DefaultSecurityGroup)',
      twoEnclaves({
        ...pcxRoutes,
        In: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: {
            GroupId: { 'Fn::GetAtt': ['AVpc', 'DefaultSecurityGroup'] },
            IpProtocol: '-1',
            CidrIp: '10.40.0.0/16',
          },
        },
      }),
      'b',
      'a',
      true,
    ],
    [
      'an ingress rule on a security group outside the assembly (undecided, reported)',
      twoEnclaves({
        ...pcxRoutes,
        In: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: 'sg-0123', IpProtocol: '-1', CidrIp: '10.40.0.0/16' },
        },
      }),
      'b',
      'a',
      true,
    ],
    [
      'routes propagated from a VPN gateway leave the enclave',
      twoEnclaves({
        Prop: {
          Type: 'AWS::EC2::VPNGatewayRoutePropagation',
          Properties: { RouteTableIds: [{ Ref: 'ARt' }], VpnGatewayId: 'vgw-0123' },
        },
      }),
      'a',
      'internet',
      true,
    ],
  ])('%s', (_name, artifacts, from, to, open) => expect(reaches(artifacts, from, to)).toBe(open));
});

describe('malformed input', () => {
  const garbage: K8sObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x', namespace: A },
      spec: { podSelector: 'all', ingress: 'yes', egress: [null, 3, { to: 'x', ports: [{ port: null }] }] },
    },
    {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'y' },
      spec: {
        subject: 7,
        ingress: [{ action: 'Maybe' }, { action: 'Accept', from: [{ networks: ['not-a-cidr'] }] }],
      },
    },
    {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'z', namespace: B },
      spec: {
        endpointSelector: { matchExpressions: [{ key: 3 }] },
        ingress: [{ fromCIDRSet: [{ cidr: 'x' }], toPorts: [{ ports: [{ port: 'http' }] }] }],
      },
    },
  ];
  it('judges garbage policies without throwing', () => {
    expect(() => analyzeReach(exampleArtifacts(twoTenants(garbage, 'calico')))).not.toThrow();
    expect(() => analyzeReach(exampleArtifacts(twoTenants(garbage, 'cilium')))).not.toThrow();
  });
  it('reports an intent whose enclave CIDR is not one', () => {
    const a = twoEnclaves({});
    const bad = { ...a, intent: intentOf([enclave('a', 'ten-dot-41')]) };
    expect(
      analyzeReach(exampleArtifacts(bad)).differences.some(
        (d) => d.status === 'unknown' && /not CIDRs/.test(d.message),
      ),
    ).toBe(true);
  });
  it('reads routes with deploy-time destinations as undecided, not as closed', () => {
    const a: ExampleArtifacts = {
      ...twoEnclaves({
        ...igw('A'),
        P: {
          Type: 'AWS::EC2::Route',
          Properties: {
            RouteTableId: { Ref: 'ARt' },
            DestinationCidrBlock: { Ref: 'Dest' },
            GatewayId: { Ref: 'AIgw' },
          },
        },
      }),
    };
    (a.aws as Record<string, { Parameters?: unknown }>)['Site-s'].Parameters = {
      Dest: { Type: 'String', Default: '0.0.0.0/0' },
    };
    expect(awsOpenings(a).find((o) => o.from === 'a' && o.to === 'internet')?.status).toBe('undecided');
    expect(
      analyzeReach(exampleArtifacts(a)).differences.some(
        (d) => d.status === 'unknown' && /a -> internet/.test(d.message),
      ),
    ).toBe(true);
  });
});

describe('AdminNetworkPolicy (v1alpha1) selectors', () => {
  const anp = (
    priority: number,
    dir: 'ingress' | 'egress',
    action: string,
    subjectNs: unknown,
  ): K8sObject => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: `anp-${priority}-${dir}` },
    spec: {
      priority,
      subject: { namespaces: subjectNs },
      [dir]: [
        {
          name: 'r',
          action,
          [dir === 'ingress' ? 'from' : 'to']: [{ namespaces: { namespaceSelector: {} } }],
        },
      ],
    },
  });
  it.each<[string, K8sObject[], boolean]>([
    [
      'an Allow both ways for every namespace opens tenants',
      [anp(5, 'egress', 'Allow', {}), anp(5, 'ingress', 'Allow', {})],
      true,
    ],
    [
      'a Deny wrapped in namespaceSelector for another namespace does not close them',
      [
        anp(1, 'ingress', 'Deny', { namespaceSelector: byName('tenant-other') }),
        anp(5, 'egress', 'Allow', {}),
        anp(5, 'ingress', 'Allow', {}),
      ],
      true,
    ],
    [
      'a Deny wrapped in namespaceSelector for beta closes them',
      [
        anp(1, 'ingress', 'Deny', { namespaceSelector: byName(B) }),
        anp(5, 'egress', 'Allow', {}),
        anp(5, 'ingress', 'Allow', {}),
      ],
      false,
    ],
  ])('%s', (_name, extra, open) => expect(k8sOpen(twoTenants(extra, 'calico'), A, B)).toBe(open));
});
