/**
 * A partner site hosted in the partner's AWS account: its `Partner-<site>` stack is for that
 * account, holds the site's network and EKS cluster with the platform's defaults, and trusts the
 * federation manager's MultiKueue role and nothing else; the manager's site stack grants that role
 * sts:AssumeRole on the worker role only. The network path is a transit gateway of the manager's
 * site, shared with the partner's account only, routed to the worker's API endpoint only; the
 * partner's stack attaches to it by the id a shared SSM parameter gives at deploy time and routes
 * only the manager's enclave back. cdk-nag's packs leave nothing open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadPlatform } from '../../infra/model';
import { buildAwsApp, nagPacks } from '../../stacks/aws/app';
import { AWS_RESOURCE_TYPES } from '../../stacks/aws/resource-types';
import { PARTNER_AWS_ACCOUNT, PARTNER_AWS_STACK, writePartnerAwsSpec } from '../fixtures/partner-aws';
import { tempDir } from '../support/tmp';
import { NOW } from './synth';

const MANAGER_ROLE = 'arn:aws-us-gov:iam::111122223333:role/genesis-gw-gpu-multikueue';
const WORKER_ROLE = `arn:aws-us-gov:iam::${PARTNER_AWS_ACCOUNT}:role/genesis-multikueue-national`;

const dir = tempDir('genesis-partner-aws-');
fs.mkdirSync(path.join(dir, 'spec'));
const platform = loadPlatform({ spec: writePartnerAwsSpec(path.join(dir, 'spec')), now: NOW }).platform;
const built = buildAwsApp(platform, { nagPacks: true });
const errorsOf = (app: App): string[] =>
  nagPacks(app).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
  );
const assembly = built.app.synth();
const partner = assembly.getStackByName(PARTNER_AWS_STACK);
const template = Template.fromJSON(partner.template);
const site = Template.fromJSON(assembly.getStackByName('Site-govcloud-west').template);

it('is a stack for the partner account and region, depending on no platform stack', () => {
  expect(partner.environment.account).toBe(PARTNER_AWS_ACCOUNT);
  expect(partner.environment.region).toBe('us-gov-west-1');
  expect(partner.dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'))).toEqual([]);
  expect(built.partners.get('aurora-cloud')?.stackName).toBe(PARTNER_AWS_STACK);
});

it("holds the site's enclave network and an EKS cluster with the platform's defaults", () => {
  template.resourceCountIs('AWS::EC2::VPC', 1);
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.71.0.0/16' });
  template.hasResourceProperties('AWS::EKS::Cluster', {
    Name: 'aurora-eks',
    ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
    EncryptionConfig: [{ Resources: ['secrets'] }],
    Logging: {
      ClusterLogging: {
        EnabledTypes: [
          { Type: 'api' },
          { Type: 'audit' },
          { Type: 'authenticator' },
          { Type: 'controllerManager' },
          { Type: 'scheduler' },
        ],
      },
    },
  });
  template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
  });
  // No storage: datasets never leave platform sites.
  template.resourceCountIs('AWS::S3::Bucket', 0);
  template.resourceCountIs('AWS::EFS::FileSystem', 0);
});

it("trusts exactly the manager's MultiKueue role, and maps it to the manager group without an access policy", () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'genesis-multikueue-national',
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Principal: { AWS: MANAGER_ROLE },
          Condition: { ArnEquals: { 'aws:PrincipalArn': MANAGER_ROLE } },
        },
      ],
    },
  });
  const entries = Object.values(template.findResources('AWS::EKS::AccessEntry'));
  expect(entries).toHaveLength(1);
  expect(entries[0].Properties).toEqual(
    expect.objectContaining({
      ClusterName: 'aurora-eks',
      KubernetesGroups: ['genesis:multikueue:national'],
      Type: 'STANDARD',
    }),
  );
  expect(entries[0].Properties.AccessPolicies).toBeUndefined();
});

it("grants the manager's MultiKueue controller sts:AssumeRole on the worker role only", () => {
  site.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'genesis-gw-gpu-multikueue',
    Policies: [
      {
        PolicyDocument: {
          Statement: [
            { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Resource: WORKER_ROLE },
          ],
        },
      },
    ],
  });
  site.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
    ClusterName: 'gw-gpu',
    Namespace: 'kueue-system',
    ServiceAccount: 'kueue-controller-manager',
  });
});

it('leaves no cdk-nag error unacknowledged (the packs ran as validation plugins of the synthesis)', () => {
  expect(errorsOf(built.app)).toEqual([]);
});

describe('the network path from the manager to the partner (a transit gateway, no VPN)', () => {
  const PARAMETER = '/genesis/federation/aurora-cloud/gw-cui/transit-gateway-id';
  const PARAMETER_ARN = `arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter${PARAMETER}`;
  const only = <T>(m: Record<string, T>): [string, T] => {
    const entries = Object.entries(m);
    expect(entries).toHaveLength(1);
    return entries[0];
  };

  it("the manager's site holds one transit gateway, attached to the manager enclave, routed to the endpoint /32 only", () => {
    const [tgw, gateway] = only(site.findResources('AWS::EC2::TransitGateway'));
    expect(gateway.Properties).toEqual(
      expect.objectContaining({
        AutoAcceptSharedAttachments: 'enable',
        DefaultRouteTableAssociation: 'enable',
        DefaultRouteTablePropagation: 'enable',
      }),
    );
    const [, attachment] = only(site.findResources('AWS::EC2::TransitGatewayAttachment'));
    const vpc = Object.entries(site.findResources('AWS::EC2::VPC')).find(
      ([, v]) => v.Properties.CidrBlock === '10.41.0.0/16',
    )![0];
    expect(attachment.Properties.TransitGatewayId).toEqual({ Ref: tgw });
    expect(attachment.Properties.VpcId).toEqual({ Ref: vpc });
    expect(attachment.Properties.SubnetIds).toHaveLength(3);
    const routes = Object.values(site.findResources('AWS::EC2::Route')).filter(
      (r) => r.Properties.TransitGatewayId !== undefined,
    );
    expect(routes.map((r) => r.Properties.DestinationCidrBlock)).toEqual(Array(3).fill('10.71.0.10/32'));
    for (const r of routes) expect(r.Properties.TransitGatewayId).toEqual({ Ref: tgw });
    // The VPN still carries the off-AWS worker only.
    site.resourcePropertiesCountIs('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.30' }, 0);
    expect(
      Object.values(site.findResources('AWS::EC2::VPNConnectionRoute')).map(
        (r) => r.Properties.DestinationCidrBlock,
      ),
    ).toEqual(['10.70.0.10/32']);
  });

  it("publishes the gateway's id in an advanced SSM parameter and shares both with the partner's account only", () => {
    const [tgw] = only(site.findResources('AWS::EC2::TransitGateway'));
    const [param] = Object.entries(site.findResources('AWS::SSM::Parameter')).find(
      ([, p]) => p.Properties.Name === PARAMETER,
    )!;
    site.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PARAMETER,
      Tier: 'Advanced',
      Value: { Ref: tgw },
    });
    const [, share] = only(site.findResources('AWS::RAM::ResourceShare'));
    expect(share.Properties.Principals).toEqual([PARTNER_AWS_ACCOUNT]);
    expect(share.Properties.ResourceArns).toEqual([
      {
        'Fn::Join': ['', ['arn:aws-us-gov:ec2:us-gov-west-1:111122223333:transit-gateway/', { Ref: tgw }]],
      },
      { 'Fn::Join': ['', ['arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter', { Ref: param }]] },
    ]);
  });

  it("lets the manager's system nodes out to each worker's endpoint on its port, over either path", () => {
    const [, sg] = only(
      site.findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: 'Federation manager nodes: the API endpoints of its workers only' },
      }),
    );
    expect(
      sg.Properties.SecurityGroupEgress.map((e: Record<string, unknown>) => [e.CidrIp, e.FromPort, e.ToPort]),
    ).toEqual([
      ['10.71.0.10/32', 443, 443],
      ['10.70.0.10/32', 6443, 6443],
    ]);
  });

  it("the partner's stack attaches its enclave to the gateway whose id the shared parameter gives, and routes the manager's enclave back only", () => {
    const parameters = Object.entries(partner.template.Parameters as Record<string, any>).filter(
      ([, p]) => p.Default === PARAMETER_ARN,
    );
    expect(parameters).toHaveLength(1);
    const [name, parameter] = parameters[0];
    expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
    const [, attachment] = only(template.findResources('AWS::EC2::TransitGatewayAttachment'));
    const [vpc] = only(template.findResources('AWS::EC2::VPC'));
    expect(attachment.Properties).toEqual(
      expect.objectContaining({ TransitGatewayId: { Ref: name }, VpcId: { Ref: vpc } }),
    );
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    expect(routes.map((r) => [r.Properties.DestinationCidrBlock, r.Properties.TransitGatewayId])).toEqual([
      ['10.41.0.0/16', { Ref: name }],
      ['10.41.0.0/16', { Ref: name }],
    ]);
    template.resourceCountIs('AWS::EC2::TransitGateway', 0);
    template.resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  it('uses only resource types the validator thread is built for', () => {
    const used = new Set(
      [partner.template, assembly.getStackByName('Site-govcloud-west').template].flatMap((t) =>
        Object.values(t.Resources as Record<string, { Type: string }>).map((r) => r.Type),
      ),
    );
    expect([...used].filter((t) => !AWS_RESOURCE_TYPES.includes(t))).toEqual([]);
  });
});
