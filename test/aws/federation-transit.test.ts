/**
 * The transit-gateway federation path as constructs: the manager's side (gateway, attachment,
 * endpoint routes after the attachment, published id, one share) and the partner's side (an
 * attachment to the id a shared parameter gives, return routes after it); the default platform,
 * which has no partner site on AWS, holds none of it.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import {
  FederationTransitAttachment,
  FederationTransitGateway,
} from '../../constructs/aws/federation-transit';
import { resourcesOf, synthDefault } from './synth';

const ENV = { account: '111122223333', region: 'us-gov-west-1' };
const ARN =
  'arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/genesis/federation/p/a/transit-gateway-id';

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.41.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}
const isolated = (vpc: ec2.Vpc) => vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

describe("the manager's side", () => {
  const stack = new Stack(new App(), 'Manager', { env: ENV });
  const vpc = vpcIn(stack);
  new FederationTransitGateway(stack, 'Transit', {
    vpc,
    subnetIds: isolated(vpc).subnetIds,
    routeTableIds: isolated(vpc).subnets.map((s) => s.routeTable.routeTableId),
    endpoints: [
      { worker: 'w2', address: '10.71.0.20', port: 443 },
      { worker: 'w1', address: '10.71.0.10', port: 443 },
    ],
    partnerAccount: '210987654321',
    parameterName: '/genesis/federation/p/a/transit-gateway-id',
    name: 'genesis-a-to-p',
    description: 'federation manager enclave a to partner site p',
  });
  const t = Template.fromStack(stack);

  it('routes each endpoint /32 (sorted by worker) from each route table to the gateway, after the attachment', () => {
    const [attachment] = Object.keys(t.findResources('AWS::EC2::TransitGatewayAttachment'));
    const routes = Object.values(t.findResources('AWS::EC2::Route'));
    expect(routes.map((r) => r.Properties.DestinationCidrBlock)).toEqual([
      '10.71.0.10/32',
      '10.71.0.10/32',
      '10.71.0.20/32',
      '10.71.0.20/32',
    ]);
    for (const r of routes) expect(r.DependsOn).toEqual([attachment]);
  });

  it('shares the gateway and its parameter with the partner account alone', () => {
    t.resourceCountIs('AWS::RAM::ResourceShare', 1);
    t.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: ['210987654321'] });
    t.hasResourceProperties('AWS::SSM::Parameter', { Tier: 'Advanced' });
  });
});

describe("the partner's side", () => {
  const stack = new Stack(new App(), 'Partner', { env: { ...ENV, account: '210987654321' } });
  const vpc = vpcIn(stack);
  new FederationTransitAttachment(stack, 'Transit', {
    vpc,
    subnetIds: isolated(vpc).subnetIds,
    routeTableIds: isolated(vpc).subnets.map((s) => s.routeTable.routeTableId),
    parameterArn: ARN,
    managerCidr: '10.41.0.0/16',
    name: 'genesis-w-from-a',
  });
  const t = Template.fromStack(stack);

  it('reads the gateway id from the shared parameter and routes only the manager enclave back, after the attachment', () => {
    const params = Object.entries(t.toJSON().Parameters as Record<string, { Type: string; Default: string }>)
      .filter(([, p]) => p.Default === ARN)
      .map(([id, p]) => [id, p.Type]);
    expect(params).toEqual([[expect.any(String), 'AWS::SSM::Parameter::Value<String>']]);
    const [name] = params[0];
    const [attachment] = Object.keys(t.findResources('AWS::EC2::TransitGatewayAttachment'));
    t.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', { TransitGatewayId: { Ref: name } });
    const routes = Object.values(t.findResources('AWS::EC2::Route'));
    expect(routes).toHaveLength(2);
    for (const r of routes) {
      expect(r.Properties).toMatchObject({
        DestinationCidrBlock: '10.41.0.0/16',
        TransitGatewayId: { Ref: name },
      });
      expect(r.DependsOn).toEqual([attachment]);
    }
  });
});

it('the default platform (no partner site on AWS) holds no transit gateway, attachment or share', () => {
  const t = synthDefault().template('Site-govcloud-west');
  for (const type of [
    'AWS::EC2::TransitGateway',
    'AWS::EC2::TransitGatewayAttachment',
    'AWS::RAM::ResourceShare',
  ])
    expect(Object.keys(resourcesOf(t, type))).toEqual([]);
});
