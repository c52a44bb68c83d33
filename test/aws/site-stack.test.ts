/** The `Site-<site>` stack of the default platform, read from its synthesized template. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { GPU_INFO, poolCapacity, maxNodes } from '../../infra/model';
import { gpuNodeLabels, gpuNodeTaint } from '../../infra/contract/gpu-nodes';
import { DATA_PLANE_ACTIONS } from '../../constructs/aws/dataset-bucket';
import { KUBERNETES_NODE_ENDPOINTS } from '../../constructs/aws/enclave-network';
import { NVIDIA_AMI_TYPE, STANDARD_AMI_TYPE } from '../../constructs/aws/node-group';
import { SITE_OUTPUT_KEYS } from '../../stacks/aws/outputs';
import { resourcesOf, synthDefault, type Synthesized } from './synth';

let s: Synthesized;
let t: Template;
let vpcByCidr: Record<string, string>;
let template: { Resources: Record<string, { Type: string; Properties: any; DependsOn?: string[] }> };

/** The logical id of the VPC a resource with a VpcId reference belongs to. */
function vpcOf(logicalId: string): string {
  const r = template.Resources[logicalId];
  const ref = r.Properties.VpcId?.Ref;
  if (ref) return ref;
  if (r.Properties.RouteTableId?.Ref) return vpcOf(r.Properties.RouteTableId.Ref);
  if (r.Properties.SubnetId?.Ref) return vpcOf(r.Properties.SubnetId.Ref);
  throw new Error(`cannot tell the VPC of ${logicalId}`);
}

function bucketNamed(name: string): [string, any] {
  const found = Object.entries(resourcesOf(t, 'AWS::S3::Bucket')).find(
    ([, r]) => r.Properties.BucketName === name,
  );
  if (!found) throw new Error(`no bucket ${name}`);
  return [found[0], found[1].Properties];
}

function policyOfBucket(logicalId: string): any[] {
  const policy = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy')).find(
    (p) => p.Properties.Bucket.Ref === logicalId,
  );
  return policy!.Properties.PolicyDocument.Statement;
}

beforeAll(() => {
  s = synthDefault();
  t = s.template('Site-govcloud-west');
  template = t.toJSON() as typeof template;
  vpcByCidr = Object.fromEntries(
    Object.entries(resourcesOf(t, 'AWS::EC2::VPC')).map(([id, r]) => [r.Properties.CidrBlock, id]),
  );
});

describe('assembly', () => {
  it('holds one stack per AWS site and per tenant homed there, with explicit environments', () => {
    const stacks = s.assembly.stacks.map((st) => st.stackName).sort();
    expect(stacks).toEqual([
      'Site-govcloud-west',
      'Tenant-aurora-ai',
      'Tenant-helix-bio',
      'Tenant-midwest-univ',
      'Tenant-nih-nci',
      'Tenant-noaa-psl',
    ]);
    for (const st of s.assembly.stacks)
      expect(st.environment).toMatchObject({ account: '111122223333', region: 'us-gov-west-1' });
  });

  it('needs no lookups: nothing is missing from the context (no dummy zones)', () => {
    expect(s.assembly.manifest.missing ?? []).toEqual([]);
    const subnets = Object.values(resourcesOf(t, 'AWS::EC2::Subnet')).map(
      (r) => r.Properties.AvailabilityZone,
    );
    expect([...new Set(subnets)].sort()).toEqual(['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c']);
  });

  it('stays within CloudFormation limits', () => {
    for (const st of s.assembly.stacks) {
      expect(Object.keys(st.template.Resources).length).toBeLessThan(500);
      expect(Object.keys(st.template.Outputs ?? {}).length).toBeLessThanOrEqual(200);
      expect(JSON.stringify(st.template).length).toBeLessThan(1_000_000);
    }
  });

  it('protects every stack from deletion', () => {
    for (const st of s.assembly.stacks) expect(st.terminationProtection).toBe(true);
  });
});

describe('enclave networks', () => {
  it('gives every enclave a VPC of its CIDR', () => {
    expect(Object.keys(vpcByCidr).sort()).toEqual(['10.40.0.0/16', '10.41.0.0/16']);
  });

  it('gives the CUI enclave (egress none) no internet gateway, NAT or default route', () => {
    const cui = vpcByCidr['10.41.0.0/16'];
    const open = vpcByCidr['10.40.0.0/16'];
    const attachments = Object.values(resourcesOf(t, 'AWS::EC2::VPCGatewayAttachment'))
      .filter((a) => a.Properties.InternetGatewayId !== undefined)
      .map((a) => a.Properties.VpcId.Ref);
    expect(attachments).toEqual([open]);
    // the CUI enclave's only gateway is the federation VPN's (see the federation path tests)
    const vpn = Object.values(resourcesOf(t, 'AWS::EC2::VPCGatewayAttachment')).filter(
      (a) => a.Properties.InternetGatewayId === undefined,
    );
    expect(vpn.map((a) => [a.Properties.VpcId.Ref, Object.keys(a.Properties).sort()])).toEqual([
      [cui, ['VpcId', 'VpnGatewayId']],
    ]);
    const defaultRoutes = Object.entries(resourcesOf(t, 'AWS::EC2::Route')).filter(
      ([, r]) => r.Properties.DestinationCidrBlock === '0.0.0.0/0',
    );
    expect(defaultRoutes.length).toBeGreaterThan(0);
    for (const [id] of defaultRoutes) expect(vpcOf(id)).toBe(open);
    for (const id of Object.keys(resourcesOf(t, 'AWS::EC2::NatGateway')))
      expect(vpcOf(template.Resources[id].Properties.SubnetId.Ref)).toBe(open);
    const cuiSubnets = Object.entries(resourcesOf(t, 'AWS::EC2::Subnet')).filter(([id]) => vpcOf(id) === cui);
    for (const [, subnet] of cuiSubnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  it('logs all traffic of every VPC to an encrypted log group kept a year', () => {
    const logs = Object.values(resourcesOf(t, 'AWS::EC2::FlowLog'));
    expect(logs.map((f) => f.Properties.ResourceId.Ref).sort()).toEqual(Object.values(vpcByCidr).sort());
    for (const f of logs) expect(f.Properties.TrafficType).toBe('ALL');
    for (const g of Object.values(resourcesOf(t, 'AWS::Logs::LogGroup'))) {
      expect(g.Properties.KmsKeyId).toBeDefined();
      expect(g.Properties.RetentionInDays).toBe(365);
    }
  });

  it('closes the default security group of every VPC', () => {
    const restricted = Object.values(template.Resources).filter(
      (r) => r.Type === 'Custom::VpcRestrictDefaultSG',
    );
    expect(restricted).toHaveLength(2);
  });

  it('lets the S3 gateway endpoints reach only buckets of the account (and ECR image layers)', () => {
    const gateways = Object.values(resourcesOf(t, 'AWS::EC2::VPCEndpoint')).filter(
      (e) => e.Properties.VpcEndpointType === 'Gateway',
    );
    expect(gateways).toHaveLength(2);
    for (const g of gateways) {
      const statements = g.Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:*',
          Condition: { StringEquals: { 's3:ResourceAccount': '111122223333' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws-us-gov:s3:::prod-us-gov-west-1-starport-layer-bucket/*',
        }),
      ]);
    }
  });

  it('adds the interface endpoints EKS nodes need, only where a cluster runs, reachable from the enclave only', () => {
    const cui = vpcByCidr['10.41.0.0/16'];
    const interfaces = Object.entries(resourcesOf(t, 'AWS::EC2::VPCEndpoint')).filter(
      ([, e]) => e.Properties.VpcEndpointType === 'Interface',
    );
    expect(interfaces).toHaveLength(KUBERNETES_NODE_ENDPOINTS.length);
    const services = interfaces.map(([, e]) => JSON.stringify(e.Properties.ServiceName)).sort();
    expect(services.filter((n) => n.includes('.kms'))).toHaveLength(1);
    for (const [id, e] of interfaces) {
      expect(vpcOf(id)).toBe(cui);
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      const kms = JSON.stringify(e.Properties.ServiceName).includes('.kms');
      expect(e.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: {
            StringEquals: kms
              ? { 'aws:PrincipalAccount': '111122223333', 'aws:ResourceAccount': '111122223333' }
              : { 'aws:PrincipalAccount': '111122223333' },
          },
        }),
      ]);
      const sg = template.Resources[e.Properties.SecurityGroupIds[0]['Fn::GetAtt'][0]];
      expect(sg.Properties.SecurityGroupIngress).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.41.0.0/16' }),
      ]);
    }
  });

  /** Per VPC: [allowed names, blocked names] of the DNS Firewall rule group associated with it. */
  function dnsPolicyOf(vpc: string): {
    allowed: string[];
    blocked: string[];
    rules: Array<[number, string]>;
  } {
    const assocs = Object.values(resourcesOf(t, 'AWS::Route53Resolver::FirewallRuleGroupAssociation')).filter(
      (a) => a.Properties.VpcId.Ref === vpc,
    );
    expect(assocs).toHaveLength(1);
    const group = template.Resources[assocs[0].Properties.FirewallRuleGroupId['Fn::GetAtt'][0]];
    const rules = group.Properties.FirewallRules;
    const domains = (r: any) =>
      template.Resources[r.FirewallDomainListId['Fn::GetAtt'][0]].Properties.Domains;
    return {
      allowed: rules.filter((r: any) => r.Action === 'ALLOW').flatMap(domains),
      blocked: rules.filter((r: any) => r.Action === 'BLOCK').flatMap(domains),
      rules: rules.map((r: any) => [r.Priority, r.Action]),
    };
  }
  const AWS_AND_INTERNAL = [
    '*.amazonaws.com',
    '*.us-gov-west-1.compute.internal',
    'amazonaws.com',
    'us-gov-west-1.compute.internal',
  ];

  it('resolves only allow-listed names in the open enclave and blocks every other name', () => {
    const open = dnsPolicyOf(vpcByCidr['10.40.0.0/16']);
    expect(open.allowed).toEqual(
      [...AWS_AND_INTERNAL, 'conda.anaconda.org', 'files.pythonhosted.org', 'ghcr.io', 'pypi.org'].sort(),
    );
    expect(open.blocked).toEqual(['*']);
    expect(open.rules).toEqual([
      [100, 'ALLOW'],
      [200, 'BLOCK'],
    ]);
  });

  it('resolves no internet name in the CUI enclave, so DNS cannot carry data out', () => {
    const cui = dnsPolicyOf(vpcByCidr['10.41.0.0/16']);
    expect(cui.allowed).toEqual(AWS_AND_INTERNAL);
    expect(cui.blocked).toEqual(['*']);
    for (const a of Object.values(resourcesOf(t, 'AWS::Route53Resolver::FirewallRuleGroupAssociation')))
      expect(a.Properties.MutationProtection).toBe('ENABLED');
  });

  it('sends the open enclave through a Network Firewall that lets out allow-listed names only, zone by zone', () => {
    const open = vpcByCidr['10.40.0.0/16'];
    const firewalls = Object.entries(resourcesOf(t, 'AWS::NetworkFirewall::Firewall'));
    expect(firewalls).toHaveLength(3);
    const subnetAz = (ref: string) => template.Resources[ref].Properties.AvailabilityZone;
    const endpointOf = new Map<string, string>();
    for (const [id, fw] of firewalls) {
      expect(fw.Properties.VpcId.Ref).toBe(open);
      expect(fw.Properties.SubnetMappings).toHaveLength(1);
      expect(fw.Properties).toMatchObject({
        FirewallPolicyChangeProtection: true,
        SubnetChangeProtection: true,
      });
      const subnet = fw.Properties.SubnetMappings[0].SubnetId.Ref;
      expect(subnet).toMatch(/firewallSubnet/);
      endpointOf.set(subnetAz(subnet), id);
    }
    expect([...endpointOf.keys()].sort()).toEqual(['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c']);

    const routes = Object.entries(resourcesOf(t, 'AWS::EC2::Route')).map(([id, r]) => ({
      id,
      ...r.Properties,
    }));
    const viaFirewall = (r: any): string | undefined =>
      r.VpcEndpointId?.['Fn::Select']?.[1]?.['Fn::Split']?.[1]?.['Fn::Select']?.[1]?.['Fn::GetAtt']?.[0];
    // NAT subnets: default route to their own zone's firewall, not to the internet gateway.
    const natDefaults = routes.filter((r) => /natSubnet\d+DefaultRoute/.test(r.id));
    expect(natDefaults).toHaveLength(3);
    for (const r of natDefaults) {
      expect(r.GatewayId).toBeUndefined();
      const subnetRef = Object.values(resourcesOf(t, 'AWS::EC2::SubnetRouteTableAssociation')).find(
        (a) => a.Properties.RouteTableId.Ref === r.RouteTableId.Ref,
      )!.Properties.SubnetId.Ref;
      expect(viaFirewall(r)).toBe(endpointOf.get(subnetAz(subnetRef)));
    }
    // Firewall subnets: the only ones that reach the internet gateway.
    const igws = new Set(Object.keys(resourcesOf(t, 'AWS::EC2::InternetGateway')));
    const toIgw = routes.filter((r) => r.GatewayId && igws.has(r.GatewayId.Ref));
    expect(toIgw.map((r) => r.id).every((id) => /firewallSubnet\d+DefaultRoute/.test(id))).toBe(true);
    expect(toIgw).toHaveLength(3);
    // Edge route table of the internet gateway: each NAT subnet's return traffic through its zone's firewall.
    const [edgeAssoc] = Object.values(resourcesOf(t, 'AWS::EC2::GatewayRouteTableAssociation'));
    const edgeRoutes = routes.filter((r) => r.RouteTableId.Ref === edgeAssoc.Properties.RouteTableId.Ref);
    expect(edgeRoutes.map((r) => [r.DestinationCidrBlock, viaFirewall(r)]).sort()).toEqual([
      ['10.40.192.0/24', endpointOf.get('us-gov-west-1a')],
      ['10.40.193.0/24', endpointOf.get('us-gov-west-1b')],
      ['10.40.194.0/24', endpointOf.get('us-gov-west-1c')],
    ]);
  });

  it('drops every established flow the allow-list does not name, and logs it encrypted', () => {
    const [policy] = Object.values(resourcesOf(t, 'AWS::NetworkFirewall::FirewallPolicy'));
    expect(policy.Properties.FirewallPolicy).toMatchObject({
      StatelessDefaultActions: ['aws:forward_to_sfe'],
      StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
      StatefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
    });
    const [names] = Object.values(resourcesOf(t, 'AWS::NetworkFirewall::RuleGroup'));
    expect(names.Properties.RuleGroup.RulesSource.RulesSourceList).toEqual({
      GeneratedRulesType: 'ALLOWLIST',
      TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
      Targets: ['conda.anaconda.org', 'files.pythonhosted.org', 'ghcr.io', 'pypi.org'],
    });
    for (const l of Object.values(resourcesOf(t, 'AWS::NetworkFirewall::LoggingConfiguration'))) {
      const group =
        template.Resources[
          l.Properties.LoggingConfiguration.LogDestinationConfigs[0].LogDestination.logGroup.Ref
        ];
      expect(group.Properties).toMatchObject({
        LogGroupName: '/genesis/govcloud-west/network-firewall/gw-open',
        RetentionInDays: 365,
        KmsKeyId: expect.anything(),
      });
    }
  });

  it('denies DNS to resolvers outside the open enclave and allows HTTPS out', () => {
    const entries = Object.values(resourcesOf(t, 'AWS::EC2::NetworkAclEntry')).map((e) => e.Properties);
    const outbound = entries.filter((e) => e.Egress === true);
    const rule = (port: number, protocol: number) =>
      outbound.find(
        (e) => e.PortRange?.From === port && e.Protocol === protocol && e.CidrBlock === '0.0.0.0/0',
      );
    expect(rule(53, 6)?.RuleAction).toBe('deny');
    expect(rule(53, 17)?.RuleAction).toBe('deny');
    expect(rule(853, 6)?.RuleAction).toBe('deny');
    expect(rule(443, 6)?.RuleAction).toBe('allow');
    expect(rule(53, 6)!.RuleNumber).toBeLessThan(rule(443, 6)!.RuleNumber);
    // Nothing else to the internet is allowed.
    const internetAllows = outbound.filter((e) => e.CidrBlock === '0.0.0.0/0' && e.RuleAction === 'allow');
    expect(internetAllows).toHaveLength(1);
  });

  it('admits return traffic from the internet on ephemeral ports only, leaving out SSH and RDP', () => {
    const inbound = Object.values(resourcesOf(t, 'AWS::EC2::NetworkAclEntry'))
      .map((e) => e.Properties)
      .filter((e) => e.Egress !== true && e.CidrBlock === '0.0.0.0/0' && e.RuleAction === 'allow');
    expect(inbound.map((e) => [e.Protocol, e.PortRange])).toEqual([
      [6, { From: 1024, To: 3388 }],
      [6, { From: 3390, To: 65535 }],
    ]);
  });

  it('lets the CUI enclave open connections into the open enclave (reachableFrom), through a peering with routes for the two CIDRs only', () => {
    const cui = vpcByCidr['10.41.0.0/16'];
    const open = vpcByCidr['10.40.0.0/16'];
    const peerings = Object.entries(resourcesOf(t, 'AWS::EC2::VPCPeeringConnection'));
    expect(peerings.map(([, p]) => [p.Properties.VpcId.Ref, p.Properties.PeerVpcId.Ref])).toEqual([
      [cui, open],
    ]);
    const [peeringId] = peerings[0];
    const viaPeering = Object.entries(resourcesOf(t, 'AWS::EC2::Route')).filter(
      ([, r]) => r.Properties.VpcPeeringConnectionId?.Ref === peeringId,
    );
    const byVpc = (vpc: string) =>
      viaPeering.filter(([id]) => vpcOf(id) === vpc).map(([, r]) => r.Properties.DestinationCidrBlock);
    expect(byVpc(cui)).toEqual(['10.40.0.0/16', '10.40.0.0/16', '10.40.0.0/16']);
    expect(byVpc(open)).toEqual(['10.41.0.0/16', '10.41.0.0/16', '10.41.0.0/16']);
    // Only workload route tables: the NAT subnets of the open enclave get no route to CUI.
    for (const [, r] of viaPeering) {
      const subnetOfTable = Object.values(resourcesOf(t, 'AWS::EC2::SubnetRouteTableAssociation')).find(
        (a) => a.Properties.RouteTableId.Ref === r.Properties.RouteTableId.Ref,
      )!;
      expect(subnetOfTable.Properties.SubnetId.Ref).toMatch(/workload/);
    }
  });

  it('admits connections from CUI in the open enclave ACL and answers them on ephemeral ports only', () => {
    const entries = Object.values(resourcesOf(t, 'AWS::EC2::NetworkAclEntry'))
      .map((e) => e.Properties)
      .filter((e) => e.CidrBlock === '10.41.0.0/16');
    expect(
      entries.map((e) => [e.Egress === true ? 'out' : 'in', e.Protocol, e.PortRange ?? null, e.RuleAction]),
    ).toEqual(
      expect.arrayContaining([
        ['in', -1, null, 'allow'],
        ['out', 6, { From: 1024, To: 65535 }, 'allow'],
      ]),
    );
    expect(entries).toHaveLength(2);
  });

  it('keeps the CUI enclave closed to the open one: no security group admits the open CIDR', () => {
    for (const sg of Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupIngress ?? [])
        expect(rule.CidrIp).not.toBe('10.40.0.0/16');
    }
    for (const rule of Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress')))
      expect(rule.Properties.CidrIp).not.toBe('10.40.0.0/16');
  });

  it('admits no inbound traffic from the internet in any security group', () => {
    for (const sg of Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupIngress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      for (const rule of sg.Properties.SecurityGroupEgress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });
});

describe('dataset buckets', () => {
  it('encrypt with the key of the dataset classification, block public access and log access', () => {
    const logBucket = bucketNamed('genesis-111122223333-us-gov-west-1-s3-access-logs')[0];
    const keyOf = (alias: string): string => {
      const a = Object.values(resourcesOf(t, 'AWS::KMS::Alias')).find(
        (x) => x.Properties.AliasName === alias,
      )!;
      return a.Properties.TargetKeyId['Fn::GetAtt'][0];
    };
    const expected: Record<string, string> = {
      'noaa-reanalysis': 'public',
      'nasa-earthobs': 'public',
      'usgs-lidar': 'public',
      'nih-genomics': 'cui',
      'dhs-grid-telemetry': 'cui',
    };
    for (const [dataset, classification] of Object.entries(expected)) {
      const [, b] = bucketNamed(`genesis-111122223333-${dataset}`);
      const sse = b.BucketEncryption.ServerSideEncryptionConfiguration[0];
      expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(sse.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0]).toBe(
        keyOf(`alias/genesis/govcloud-west/data-${classification}`),
      );
      expect(sse.BucketKeyEnabled).toBe(true);
      expect(b.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
      expect(b.LoggingConfiguration.DestinationBucketName.Ref).toBe(logBucket);
      expect(b.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'genesis:dataset', Value: dataset },
          { Key: 'genesis:classification', Value: classification },
        ]),
      );
    }
  });

  it('admit data requests only through the S3 endpoints of enclaves that may reach the dataset', () => {
    const endpointOf = (cidr: string): string =>
      Object.entries(resourcesOf(t, 'AWS::EC2::VPCEndpoint')).find(
        ([, e]) => e.Properties.VpcEndpointType === 'Gateway' && e.Properties.VpcId.Ref === vpcByCidr[cidr],
      )![0];
    const cui = endpointOf('10.41.0.0/16');
    const open = endpointOf('10.40.0.0/16');
    const perimeter = (dataset: string): any => {
      const [id] = bucketNamed(`genesis-111122223333-${dataset}`);
      return policyOfBucket(id).find((st) => st.Sid === 'DenyDataAccessOutsideEnclaveNetworks');
    };
    for (const d of ['nih-genomics', 'dhs-grid-telemetry']) {
      expect(perimeter(d).Condition.StringNotEqualsIfExists['aws:SourceVpce']).toEqual([{ Ref: cui }]);
    }
    for (const d of ['noaa-reanalysis', 'nasa-earthobs', 'usgs-lidar']) {
      expect(perimeter(d).Condition.StringNotEqualsIfExists['aws:SourceVpce']).toEqual([
        { Ref: cui },
        { Ref: open },
      ]);
    }
    const p = perimeter('nih-genomics');
    expect(p.Effect).toBe('Deny');
    expect(p.Principal).toEqual({ AWS: '*' });
    expect(p.Action).toEqual([...DATA_PLANE_ACTIONS]);
  });

  it('refuse plain HTTP, old TLS, other KMS keys and customer-provided keys', () => {
    const [id, b] = bucketNamed('genesis-111122223333-nih-genomics');
    const statements = policyOfBucket(id);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        expect.objectContaining({
          Sid: 'DenyOtherKmsKeys',
          Effect: 'Deny',
          Condition: {
            StringNotEqualsIfExists: {
              's3:x-amz-server-side-encryption-aws-kms-key-id':
                b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
                  .KMSMasterKeyID,
            },
          },
        }),
        expect.objectContaining({ Sid: 'DenyCustomerProvidedKeys', Effect: 'Deny' }),
      ]),
    );
  });

  it('apply the tier: versioning, retention of old versions, object lock and Glacier for the archive', () => {
    const [, archive] = bucketNamed('genesis-111122223333-usgs-lidar');
    expect(archive.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(archive.ObjectLockEnabled).toBe(true);
    expect(archive.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
    });
    const [rule] = archive.LifecycleConfiguration.Rules;
    expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 3650 });
    expect(rule.Transitions).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }]);

    const [, objects] = bucketNamed('genesis-111122223333-nih-genomics');
    expect(objects.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(objects.ObjectLockEnabled).not.toBe(true);
    expect(objects.ObjectLockConfiguration).toBeUndefined();
    expect(objects.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({
      NoncurrentDays: 365,
    });
    expect(objects.LifecycleConfiguration.Rules[0].Transitions).toBeUndefined();
  });

  it('have every object read and write recorded by a trail into a locked, encrypted audit bucket', () => {
    const [trail] = Object.values(resourcesOf(t, 'AWS::CloudTrail::Trail'));
    expect(trail.Properties).toMatchObject({
      TrailName: 'genesis-govcloud-west-dataset-access',
      EnableLogFileValidation: true,
      IsLogging: true,
    });
    // One advanced selector, of object-level data events only (reads and writes), by ARN prefix.
    expect(trail.Properties.EventSelectors).toBeUndefined();
    const [selector, ...others] = trail.Properties.AdvancedEventSelectors;
    expect(others).toEqual([]);
    const fields = Object.fromEntries(selector.FieldSelectors.map((f: any) => [f.Field, f]));
    expect(Object.keys(fields).sort()).toEqual(['eventCategory', 'resources.ARN', 'resources.type']);
    expect(fields.eventCategory).toEqual({ Field: 'eventCategory', Equals: ['Data'] });
    expect(fields['resources.type']).toEqual({ Field: 'resources.type', Equals: ['AWS::S3::Object'] });
    const prefixes = fields['resources.ARN'].StartsWith;
    expect(Object.keys(fields['resources.ARN']).sort()).toEqual(['Field', 'StartsWith']);
    // Tenant storage buckets (tenant stacks) by their name prefix.
    expect(prefixes.filter((p: unknown) => typeof p === 'string')).toEqual([
      'arn:aws-us-gov:s3:::genesis-tenant-111122223333-',
    ]);
    const datasetPrefixes = prefixes.filter((p: unknown) => typeof p !== 'string');
    for (const p of datasetPrefixes) expect(p['Fn::Join'][1][1]).toBe('/');
    const recorded = datasetPrefixes.map((v: any) => v['Fn::Join'][1][0]['Fn::GetAtt'][0]).sort();
    const datasetBuckets = Object.entries(resourcesOf(t, 'AWS::S3::Bucket'))
      .filter(([, b]) =>
        s.platform.datasets.some((d) => b.Properties.BucketName === `genesis-111122223333-${d.id}`),
      )
      .map(([id]) => id)
      .sort();
    expect(datasetBuckets).toHaveLength(5);
    expect(recorded).toEqual(datasetBuckets);

    const [auditId, audit] = bucketNamed('genesis-111122223333-us-gov-west-1-dataset-audit');
    expect(trail.Properties.S3BucketName).toEqual({ Ref: auditId });
    expect(audit.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
    });
    expect(
      audit.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('aws:kms');
    const only = policyOfBucket(auditId).find((st) => st.Sid === 'OnlyThisTrailDelivers');
    expect(only).toMatchObject({
      Effect: 'Deny',
      Condition: {
        StringNotEquals: {
          'aws:SourceArn':
            'arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/genesis-govcloud-west-dataset-access',
        },
      },
    });
  });

  it('deliver the trail to an encrypted CloudWatch Logs group kept a year too', () => {
    const [trail] = Object.values(resourcesOf(t, 'AWS::CloudTrail::Trail'));
    const group = template.Resources[trail.Properties.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0]];
    expect(group.Properties).toMatchObject({
      LogGroupName: '/genesis/govcloud-west/cloudtrail/dataset-access',
      RetentionInDays: 365,
      KmsKeyId: expect.anything(),
    });
    expect((group as Record<string, unknown>).DeletionPolicy).toBe('Retain');
    expect(trail.Properties.CloudWatchLogsRoleArn).toBeDefined();
  });

  it('let CloudTrail use the log key for this trail only', () => {
    const alias = Object.values(resourcesOf(t, 'AWS::KMS::Alias')).find(
      (a) => a.Properties.AliasName === 'alias/genesis/govcloud-west/logs',
    )!;
    const key = template.Resources[alias.Properties.TargetKeyId['Fn::GetAtt'][0]];
    const st = key.Properties.KeyPolicy.Statement.find(
      (x: any) => x.Sid === 'CloudTrailEncryptsDatasetAccessLogs',
    );
    expect(st).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: {
        StringEquals: {
          'aws:SourceArn':
            'arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/genesis-govcloud-west-dataset-access',
        },
      },
    });
  });

  it('are kept when the stack goes away', () => {
    for (const [id] of Object.entries(resourcesOf(t, 'AWS::S3::Bucket'))) {
      expect(template.Resources[id]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });
});

describe('keys', () => {
  it('are rotated, retained and found by stable aliases', () => {
    const keys = resourcesOf(t, 'AWS::KMS::Key');
    for (const [id, k] of Object.entries(keys)) {
      expect(k.Properties.EnableKeyRotation).toBe(true);
      expect(template.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain' });
    }
    const aliases = Object.values(resourcesOf(t, 'AWS::KMS::Alias'))
      .map((a) => a.Properties.AliasName)
      .sort();
    expect(aliases).toEqual([
      'alias/genesis/govcloud-west/cluster-gw-gpu',
      'alias/genesis/govcloud-west/data-cui',
      'alias/genesis/govcloud-west/data-public',
      'alias/genesis/govcloud-west/file-systems',
      'alias/genesis/govcloud-west/logs',
    ]);
  });

  it('let dataset keys decrypt only through S3, where the bucket perimeter applies; the account still administers them', () => {
    for (const c of ['public', 'cui']) {
      const alias = Object.values(resourcesOf(t, 'AWS::KMS::Alias')).find(
        (a) => a.Properties.AliasName === `alias/genesis/govcloud-west/data-${c}`,
      )!;
      const statements =
        template.Resources[alias.Properties.TargetKeyId['Fn::GetAtt'][0]].Properties.KeyPolicy.Statement;
      expect(statements.map((st: any) => st.Sid)).toEqual([
        'AccountAdministersKey',
        'GranteesDecryptThroughService',
        'WriteGranteesEncryptThroughService',
        'BreakGlassUsesKeyThroughService',
        'DenyDataToOtherThanGranteeRoles',
        'DenyReadWithoutGrant',
        'DenyWriteWithoutWriteGrant',
        'GrantsOnlyForAwsResources',
      ]);
      const admin = statements[0];
      expect(admin.Action).toEqual(
        expect.arrayContaining(['kms:Put*', 'kms:Describe*', 'kms:ScheduleKeyDeletion']),
      );
      for (const a of [admin.Action].flat())
        expect([
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:*',
          'kms:GenerateDataKey*',
          'kms:ReEncrypt*',
          'kms:Create*',
          'kms:CreateGrant',
        ]).not.toContain(a);
      for (const st of statements.slice(1, 4)) {
        expect(st.Condition.StringEquals).toEqual(
          expect.objectContaining({
            'kms:ViaService': 's3.us-gov-west-1.amazonaws.com',
            'kms:CallerAccount': '111122223333',
          }),
        );
      }
      // Nothing denies key administration: the account cannot be locked out of the key. Grants
      // (not administration: they hand out use) are denied unless they are for an AWS resource.
      for (const st of statements.filter((x: any) => x.Effect === 'Deny')) {
        for (const a of [st.Action].flat())
          expect([
            'kms:Decrypt',
            'kms:Encrypt',
            'kms:GenerateDataKey*',
            'kms:ReEncrypt*',
            'kms:CreateGrant',
          ]).toContain(a);
      }
    }
  });

  it('let EC2 Auto Scaling use the cluster key for node volumes, and no key lets any other account in', () => {
    const alias = Object.values(resourcesOf(t, 'AWS::KMS::Alias')).find(
      (a) => a.Properties.AliasName === 'alias/genesis/govcloud-west/cluster-gw-gpu',
    )!;
    const key = template.Resources[alias.Properties.TargetKeyId['Fn::GetAtt'][0]];
    const asg = key.Properties.KeyPolicy.Statement.filter((st: any) =>
      JSON.stringify(st.Principal).includes('AWSServiceRoleForAutoScaling'),
    );
    expect(asg.map((st: any) => st.Sid).sort()).toEqual([
      'AllowEc2AutoScalingGrantsForVolumes',
      'AllowEc2AutoScalingVolumes',
    ]);
    for (const k of Object.values(resourcesOf(t, 'AWS::KMS::Key'))) {
      const text = JSON.stringify(k.Properties.KeyPolicy);
      expect(text.match(/iam::(\d{12})/g)?.every((m) => m === 'iam::111122223333') ?? true).toBe(true);
      const anyone = k.Properties.KeyPolicy.Statement.filter(
        (st: any) => JSON.stringify(st.Principal) === '{"AWS":"*"}',
      );
      for (const st of anyone) expect(st.Effect).toBe('Deny');
    }
  });
});

describe('GPU cluster', () => {
  it('has a private API endpoint, encrypted secrets and every control-plane log', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'gw-gpu',
      Version: '1.34',
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
      Logging: {
        ClusterLogging: {
          EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({
            Type: type,
          })),
        },
      },
      AccessConfig: Match.objectLike({ AuthenticationMode: 'API' }),
      DeletionProtection: true,
    });
  });

  it('runs in the CUI enclave, after its encrypted log group exists', () => {
    const [[id, cluster]] = Object.entries(resourcesOf(t, 'AWS::EKS::Cluster'));
    for (const subnet of cluster.Properties.ResourcesVpcConfig.SubnetIds)
      expect(vpcOf(subnet.Ref)).toBe(vpcByCidr['10.41.0.0/16']);
    const logGroup = Object.entries(resourcesOf(t, 'AWS::Logs::LogGroup')).find(
      ([, g]) => g.Properties.LogGroupName === '/aws/eks/gw-gpu/cluster',
    )!;
    expect(template.Resources[id].DependsOn).toContain(logGroup[0]);
  });

  it('lets the cluster role use the secrets key', () => {
    const [cluster] = Object.values(resourcesOf(t, 'AWS::EKS::Cluster'));
    const role = template.Resources[cluster.Properties.RoleArn['Fn::GetAtt'][0]];
    const statement = role.Properties.Policies[0].PolicyDocument.Statement[0];
    expect(statement.Resource).toEqual(cluster.Properties.EncryptionConfig[0].Provider.KeyArn);
    expect(statement.Action).toEqual(
      expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt', 'kms:CreateGrant']),
    );
  });

  it('installs the Pod Identity agent', () => {
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
  });

  it('enforces Kubernetes NetworkPolicies: the VPC CNI runs its network policy agent', () => {
    const cni = Object.values(resourcesOf(t, 'AWS::EKS::Addon')).find(
      (a) => a.Properties.AddonName === 'vpc-cni',
    )!;
    expect(JSON.parse(cni.Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    expect(cni.Properties.ResolveConflicts).toBe('OVERWRITE');
  });

  it('has a node group per pool, sized, labelled and tainted as the model says', () => {
    const groups = Object.values(resourcesOf(t, 'AWS::EKS::Nodegroup')).map((g) => g.Properties);
    const cluster = s.platform.clusters.find((c) => c.id === 'gw-gpu')!;
    expect(groups.map((g) => g.NodegroupName).sort()).toEqual(
      [...cluster.nodePools.map((p) => p.name), 'system'].sort(),
    );
    for (const pool of cluster.nodePools) {
      const g = groups.find((x) => x.NodegroupName === pool.name)!;
      expect(g.InstanceTypes).toEqual([pool.instanceType]);
      expect(g.ScalingConfig).toEqual({
        MinSize: poolCapacity(pool).guaranteedNodes,
        MaxSize: maxNodes(pool),
        DesiredSize: poolCapacity(pool).guaranteedNodes,
      });
      expect(g.AmiType).toBe(NVIDIA_AMI_TYPE);
      // Exactly the shared GPU node contract, which the Kubernetes target selects nodes by.
      expect(g.Labels).toEqual({
        ...gpuNodeLabels(pool, GPU_INFO[pool.gpu.model]),
        'genesis.platform/cluster': 'gw-gpu',
      });
      const taint = gpuNodeTaint(GPU_INFO[pool.gpu.model]);
      expect(g.Taints).toEqual([{ Key: taint.key, Value: taint.value, Effect: 'NO_SCHEDULE' }]);
      expect(g.ForceUpdateEnabled).toBe(false);
      expect(g.RemoteAccess).toBeUndefined();
    }
    expect(groups.find((g) => g.NodegroupName === 'h100')!.ScalingConfig).toEqual({
      MinSize: 4,
      MaxSize: 4,
      DesiredSize: 4,
    });
    expect(groups.find((g) => g.NodegroupName === 'h100-mig')!.Labels).toMatchObject({
      'genesis.platform/pool': 'h100-mig',
      'nvidia.com/device-plugin.config': 'h100-mig',
      'nvidia.com/mig.config': 'h100-mig-1g.10gb',
    });
    expect(groups.find((g) => g.NodegroupName === 'h100')!.Labels['nvidia.com/mig.config']).toBe(
      'all-disabled',
    );
    expect(groups.find((g) => g.NodegroupName === 'l40s')!.Taints).toEqual([
      { Key: 'nvidia.com/gpu', Value: 'present', Effect: 'NO_SCHEDULE' },
    ]);
  });

  it('gives the Cluster Autoscaler a Pod Identity role that resizes only node groups this cluster owns', () => {
    const associations = Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation')).map(
      (a) => a.Properties,
    );
    const ca = associations.find((a) => a.ServiceAccount === 'cluster-autoscaler')!;
    expect(ca).toMatchObject({ ClusterName: 'gw-gpu', Namespace: 'kube-system' });
    const roleId = ca.RoleArn['Fn::GetAtt'][0];
    const [trust] = template.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.Condition.StringEquals).toMatchObject({
      'aws:RequestTag/kubernetes-namespace': 'kube-system',
      'aws:RequestTag/kubernetes-service-account': 'cluster-autoscaler',
    });
    const policy = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).find((p) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    )!;
    const resize = policy.Properties.PolicyDocument.Statement.find(
      (st: any) => st.Sid === 'ResizeOwnNodeGroupsOnly',
    );
    expect(resize).toMatchObject({
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Condition: { StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/gw-gpu': 'owned' } },
    });
    for (const st of policy.Properties.PolicyDocument.Statement)
      for (const a of [st.Action].flat())
        expect(a).toMatch(
          /^(autoscaling|ec2|eks):(Describe|Get|SetDesiredCapacity|TerminateInstanceInAutoScalingGroup)/,
        );
  });

  it('launches nodes with IMDSv2 only, one hop (pods cannot reach it), and encrypted root volumes', () => {
    const templates = Object.values(resourcesOf(t, 'AWS::EC2::LaunchTemplate'));
    expect(templates.map((lt) => lt.Properties.LaunchTemplateName).sort()).toEqual([
      'gw-gpu-h100',
      'gw-gpu-h100-mig',
      'gw-gpu-l40s',
      'gw-gpu-system',
    ]);
    for (const lt of templates) {
      const data = lt.Properties.LaunchTemplateData;
      expect(data.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect(data.BlockDeviceMappings).toEqual([
        expect.objectContaining({
          DeviceName: '/dev/xvda',
          Ebs: expect.objectContaining({ Encrypted: true, KmsKeyId: expect.anything() }),
        }),
      ]);
      expect(data.Monitoring).toEqual({ Enabled: true });
    }
  });

  it('runs cluster services on untainted CPU nodes, since every GPU node repels them', () => {
    const system = Object.values(resourcesOf(t, 'AWS::EKS::Nodegroup')).find(
      (g) => g.Properties.NodegroupName === 'system',
    )!.Properties;
    expect(system.Taints ?? []).toEqual([]);
    expect(system.AmiType).toBe(STANDARD_AMI_TYPE);
    expect(system.ScalingConfig.MinSize).toBeGreaterThanOrEqual(2);
    expect(system.Labels).toEqual({ 'genesis.platform/cluster': 'gw-gpu' });
  });
});

describe('file-system tiers', () => {
  it('give the project tier an encrypted EFS file system in the cluster enclave, kept and backed up', () => {
    const fileSystems = Object.entries(resourcesOf(t, 'AWS::EFS::FileSystem'));
    expect(fileSystems).toHaveLength(1);
    const [id, fs] = fileSystems[0];
    expect(fs.Properties).toMatchObject({ Encrypted: true, ThroughputMode: 'elastic' });
    const alias = Object.values(resourcesOf(t, 'AWS::KMS::Alias')).find(
      (a) => a.Properties.AliasName === 'alias/genesis/govcloud-west/file-systems',
    )!;
    expect(fs.Properties.KmsKeyId).toEqual({
      'Fn::GetAtt': [alias.Properties.TargetKeyId['Fn::GetAtt'][0], 'Arn'],
    });
    expect(fs.Properties.FileSystemTags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'genesis-govcloud-west-project' },
        { Key: 'genesis:tier', Value: 'project' },
      ]),
    );
    expect(template.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain' });
    const targets = Object.entries(resourcesOf(t, 'AWS::EFS::MountTarget'));
    expect(targets).toHaveLength(3);
    for (const [tid, mt] of targets) {
      expect(mt.Properties.FileSystemId.Ref).toBe(id);
      expect(vpcOf(mt.Properties.SubnetId.Ref)).toBe(vpcByCidr['10.41.0.0/16']);
      expect(tid).toBeDefined();
    }
  });

  it('back the project tier up daily into a locked, encrypted vault and keep each recovery point the tier retention', () => {
    const [[vaultId, vault]] = Object.entries(resourcesOf(t, 'AWS::Backup::BackupVault'));
    expect(vault.Properties.BackupVaultName).toBe('genesis-govcloud-west-file-tiers');
    expect(vault.Properties.EncryptionKeyArn).toBeDefined();
    expect(JSON.stringify(vault.Properties.AccessPolicy)).toContain('backup:DeleteRecoveryPoint');
    expect(template.Resources[vaultId]).toMatchObject({ DeletionPolicy: 'Retain' });
    const [plan] = Object.values(resourcesOf(t, 'AWS::Backup::BackupPlan'));
    const project = s.platform.storageTiers.find((x) => x.id === 'project')!;
    expect(plan.Properties.BackupPlan.BackupPlanRule).toEqual([
      expect.objectContaining({
        RuleName: 'daily',
        ScheduleExpression: 'cron(0 5 * * ? *)',
        Lifecycle: { DeleteAfterDays: project.retentionDays },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      }),
    ]);
    // The vault lock refuses recovery points kept shorter than the tier's retention.
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: project.retentionDays });
    const [selection] = Object.values(resourcesOf(t, 'AWS::Backup::BackupSelection'));
    const [fsId] = Object.keys(resourcesOf(t, 'AWS::EFS::FileSystem'));
    expect(JSON.stringify(selection.Properties.BackupSelection.Resources)).toContain(fsId);
    const [fs] = Object.values(resourcesOf(t, 'AWS::EFS::FileSystem'));
    // Omitted means off: file systems created through the API get no automatic backups.
    expect(fs.Properties.BackupPolicy?.Status).not.toBe('ENABLED');
  });

  it('admit EFS clients only over TLS, through mount targets, never anonymously', () => {
    const [fs] = Object.values(resourcesOf(t, 'AWS::EFS::FileSystem'));
    const statements = fs.Properties.FileSystemPolicy.Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    );
    // One allow: IAM principals of this account, through mount targets, no root access.
    expect(statements.filter((x: any) => x.Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' },
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    ]);
  });

  it('prepare FSx for Lustre provisioning for the scratch tier: LNET within the enclave only', () => {
    const sg = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroup')).find((g) =>
      String(g.Properties.GroupDescription).includes('Lustre'),
    )!;
    // The enclave's CIDR as written in the spec, so the rule is legible to reviewers and checkers.
    const cui = '10.41.0.0/16';
    expect(sg.Properties.SecurityGroupIngress.map((r: any) => [r.FromPort, r.ToPort, r.CidrIp])).toEqual([
      [988, 988, cui],
      [1018, 1023, cui],
    ]);
    expect(sg.Properties.SecurityGroupEgress.map((r: any) => [r.FromPort, r.ToPort, r.CidrIp])).toEqual([
      [988, 988, cui],
      [1018, 1023, cui],
    ]);
  });

  it('publish the ids the Kubernetes target needs as outputs with stable keys', () => {
    const outputs = (t.toJSON() as any).Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        SITE_OUTPUT_KEYS.efsFileSystemId('project'),
        SITE_OUTPUT_KEYS.fsxKmsKeyId,
        SITE_OUTPUT_KEYS.fsxSecurityGroupId,
        SITE_OUTPUT_KEYS.fsxSubnetId,
      ].sort(),
    );
    const [efsId] = Object.keys(resourcesOf(t, 'AWS::EFS::FileSystem'));
    expect(outputs.EfsFileSystemIdProject.Value).toEqual({ Ref: efsId });
    expect(vpcOf(outputs.FsxSubnetId.Value.Ref)).toBe(vpcByCidr['10.41.0.0/16']);
    for (const o of Object.values(outputs) as any[]) expect(o.Export).toBeUndefined();
  });
});

describe('storage drivers', () => {
  const addons = (): Record<string, any> =>
    Object.fromEntries(
      Object.values(resourcesOf(t, 'AWS::EKS::Addon')).map((a) => [a.Properties.AddonName, a.Properties]),
    );

  it('install the EFS, FSx and Mountpoint for S3 add-ons besides the Pod Identity agent', () => {
    expect(Object.keys(addons()).sort()).toEqual([
      'aws-efs-csi-driver',
      'aws-fsx-csi-driver',
      'aws-mountpoint-s3-csi-driver',
      'eks-pod-identity-agent',
      'vpc-cni',
    ]);
  });

  it('give each driver service account its own Pod Identity role, held to kube-system of this cluster', () => {
    const a = addons();
    const assoc = [
      ...a['aws-efs-csi-driver'].PodIdentityAssociations,
      ...a['aws-fsx-csi-driver'].PodIdentityAssociations,
    ];
    expect(assoc.map((x: any) => x.ServiceAccount).sort()).toEqual([
      'efs-csi-controller-sa',
      'efs-csi-node-sa',
      'fsx-csi-controller-sa',
    ]);
    for (const x of assoc) {
      const role = template.Resources[x.RoleArn['Fn::GetAtt'][0]];
      const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
      expect(trust.Condition.StringEquals).toEqual({
        'aws:SourceAccount': '111122223333',
        'aws:RequestTag/kubernetes-namespace': 'kube-system',
        'aws:RequestTag/kubernetes-service-account': x.ServiceAccount,
      });
      expect(trust.Condition.ArnEquals).toEqual({
        'aws:RequestTag/eks-cluster-arn': ['arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gw-gpu'],
      });
    }
    // Mountpoint has no role: dataset volumes authenticate as the pod (the tenant's data role).
    expect(a['aws-mountpoint-s3-csi-driver'].PodIdentityAssociations).toBeUndefined();
  });

  it('wait for the system nodes their controllers run on', () => {
    const system = Object.entries(resourcesOf(t, 'AWS::EKS::Nodegroup')).find(
      ([, g]) => g.Properties.NodegroupName === 'system',
    )![0];
    for (const [id, a] of Object.entries(resourcesOf(t, 'AWS::EKS::Addon'))) {
      if (['eks-pod-identity-agent', 'vpc-cni'].includes(a.Properties.AddonName)) continue;
      expect(template.Resources[id].DependsOn).toContain(system);
    }
  });

  it('let the FSx controller create Lustre file systems of this account, and change only those it created', () => {
    const fsx = addons()['aws-fsx-csi-driver'].PodIdentityAssociations[0];
    const roleId = fsx.RoleArn['Fn::GetAtt'][0];
    const policy = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).find((p) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement;
    for (const st of statements) expect(st.Resource).not.toBe('*');
    const change = statements.find((st: any) => st.Sid === 'ChangeOwnLustreFileSystems');
    expect(change).toMatchObject({
      Action: ['fsx:DeleteFileSystem', 'fsx:UpdateFileSystem'],
      Resource: 'arn:aws-us-gov:fsx:us-gov-west-1:111122223333:file-system/*',
      Condition: { Null: { 'aws:ResourceTag/CSIVolumeName': 'false' } },
    });
  });

  it('let the EFS node plugin mount the tier file systems only through mount targets', () => {
    const a = addons();
    const nodeAssoc = a['aws-efs-csi-driver'].PodIdentityAssociations.find(
      (x: any) => x.ServiceAccount === 'efs-csi-node-sa',
    );
    const roleId = nodeAssoc.RoleArn['Fn::GetAtt'][0];
    const policy = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).find((p) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    )!;
    const [fsId] = Object.keys(resourcesOf(t, 'AWS::EFS::FileSystem'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'MountThroughMountTargets',
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: { 'Fn::GetAtt': [fsId, 'Arn'] },
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      },
    ]);
  });
});
