/** Constructs on their own, at the edges the default platform does not reach. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DatasetBucket } from '../../constructs/aws/dataset-bucket';
import { EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { firewallDomain } from '../../constructs/aws/egress-firewall';
import { podIdentityPrincipal } from '../../constructs/aws/pod-identity';

const env = { account: '111122223333', region: 'us-gov-west-1' };
const AZS = ['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c'];

function stack(): Stack {
  return new Stack(
    new App({ context: { [`availability-zones:account=${env.account}:region=${env.region}`]: AZS } }),
    'S',
    { env },
  );
}

function network(props: Partial<ConstructorParameters<typeof EnclaveNetwork>[2]> = {}): {
  s: Stack;
  n: EnclaveNetwork;
} {
  const s = stack();
  const logKey = new kms.Key(s, 'K');
  const n = new EnclaveNetwork(s, 'N', {
    name: 'genesis-x',
    cidr: '10.0.0.0/16',
    egress: { mode: 'none' },
    availabilityZones: AZS,
    logKey,
    flowLogGroupName: '/genesis/x',
    ...props,
  });
  return { s, n };
}

describe('EnclaveNetwork', () => {
  it('refuses a CIDR too small for its subnets, naming the smallest that fits', () => {
    expect(() => network({ cidr: '10.0.0.0/23' })).toThrow('10.0.0.0/23 is too small; use a /22 or larger');
    expect(() =>
      network({ cidr: '10.0.0.0/21', egress: { mode: 'allow-list', fqdns: ['pypi.org'], cidrs: [] } }),
    ).toThrow('use a /20 or larger');
    expect(() => network({ cidr: '10.0.0.0/22' })).not.toThrow();
  });

  it('refuses a single availability zone', () => {
    expect(() => network({ availabilityZones: ['us-gov-west-1a'] })).toThrow(
      'needs at least two availability zones',
    );
  });

  it('with allow-listed CIDRs only, opens those and not HTTPS to the internet', () => {
    const { s } = network({
      egress: { mode: 'allow-list', fqdns: [], cidrs: ['192.0.2.0/24', '198.51.100.0/24'] },
    });
    const out = Object.values(Template.fromStack(s).findResources('AWS::EC2::NetworkAclEntry'))
      .map((e: any) => e.Properties)
      .filter((e) => e.Egress === true && e.RuleAction === 'allow');
    expect(out.map((e) => e.CidrBlock).sort()).toEqual(['10.0.0.0/16', '192.0.2.0/24', '198.51.100.0/24']);
    expect(out.some((e) => e.CidrBlock === '0.0.0.0/0')).toBe(false);
  });

  it('with allow-listed CIDRs only, the firewall passes those CIDRs and names nothing', () => {
    const { s } = network({
      egress: { mode: 'allow-list', fqdns: [], cidrs: ['198.51.100.0/24', '192.0.2.0/24'] },
    });
    const groups = Object.values(Template.fromStack(s).findResources('AWS::NetworkFirewall::RuleGroup')).map(
      (g: any) => g.Properties,
    );
    expect(groups.map((g) => g.RuleGroupName)).toEqual(['genesis-x-allowed-cidrs']);
    expect(
      groups[0].RuleGroup.RulesSource.StatefulRules.map((r: any) => [r.Action, r.Header.Destination]),
    ).toEqual([
      ['PASS', '192.0.2.0/24'],
      ['PASS', '198.51.100.0/24'],
    ]);
  });

  it('gives an egress-none enclave no firewall, NAT or internet gateway', () => {
    const t = Template.fromStack(network().s);
    for (const type of [
      'AWS::NetworkFirewall::Firewall',
      'AWS::EC2::NatGateway',
      'AWS::EC2::InternetGateway',
    ])
      expect(Object.keys(t.findResources(type))).toEqual([]);
  });

  it('uses at most three zones', () => {
    const { s } = network({ availabilityZones: [...AZS, 'us-gov-west-1d'] });
    const zones = Object.values(Template.fromStack(s).findResources('AWS::EC2::Subnet')).map(
      (r: any) => r.Properties.AvailabilityZone,
    );
    expect([...new Set(zones)].sort()).toEqual(AZS);
  });
});

describe('firewallDomain', () => {
  it('writes a leading wildcard the way Network Firewall matches subdomains', () => {
    expect(firewallDomain('*.example.org')).toBe('.example.org');
    expect(firewallDomain('pypi.org')).toBe('pypi.org');
  });
});

describe('DatasetBucket', () => {
  const make = (props: Partial<ConstructorParameters<typeof DatasetBucket>[2]>) => {
    const s = stack();
    return () =>
      new DatasetBucket(s, 'B', {
        bucketName: 'genesis-111122223333-x',
        encryptionKey: new kms.Key(s, 'K'),
        noncurrentVersionRetentionDays: 30,
        accessLogsBucket: new s3.Bucket(s, 'L'),
        allowedVpcEndpointIds: ['vpce-1'],
        ...props,
      });
  };

  it('refuses a bucket no network could reach', () => {
    expect(make({ allowedVpcEndpointIds: [] })).toThrow('allowedVpcEndpointIds must not be empty');
  });

  it('refuses object lock without versioning', () => {
    expect(make({ objectLock: { mode: 'GOVERNANCE', days: 1 } })).toThrow('object lock requires versioning');
    expect(make({ objectLock: { mode: 'GOVERNANCE', days: 1 }, versioned: true })).not.toThrow();
  });
});

describe('podIdentityPrincipal', () => {
  it('refuses a role no cluster or no service account could assume', () => {
    expect(() =>
      podIdentityPrincipal({ account: '1', namespace: 'n', serviceAccounts: ['s'], clusterArns: [] }),
    ).toThrow('at least one cluster');
    expect(() =>
      podIdentityPrincipal({ account: '1', namespace: 'n', serviceAccounts: [], clusterArns: ['arn'] }),
    ).toThrow('at least one service account');
  });
});
