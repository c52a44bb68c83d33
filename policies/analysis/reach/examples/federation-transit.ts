/**
 * A federation manager enclave on AWS joined to a worker enclave on AWS by a transit gateway, for
 * the federation path rule's examples: manager m in enclave a (10.41.0.0/16), worker w in enclave w
 * (10.70.0.0/16) with its API at 10.70.0.10:6443, and m's Kueue namespace reaching it on its port only.
 */
import type { ExampleArtifacts } from '../../../engine/types';
import { route, vpc } from './aws';
import { federationArtifacts, nodeEgress } from './federation';

const attachment = (p: string) => ({
  Type: 'AWS::EC2::TransitGatewayAttachment',
  Properties: {
    TransitGatewayId: { Ref: 'Tgw' },
    VpcId: { Ref: `${p}Vpc` },
    SubnetIds: [{ Ref: `${p}Sub` }],
  },
});

/**
 * Transit gateway Tgw joining VPCs A and W: A routes 10.70.0.10/32 to it and lets tcp/6443 out to
 * it, W routes 10.41.0.0/16 back and admits tcp/6443 from it; `edit` changes the resources.
 */
export function transitEnclaves(
  edit: (r: Record<string, Record<string, unknown>>) => void = () => {},
): ExampleArtifacts {
  const resources: Record<string, Record<string, unknown>> = {
    ...vpc('A', '10.41.0.0/16', '10.41.0.0/24', 'a'),
    ...vpc('W', '10.70.0.0/16', '10.70.0.0/24', 'w'),
    Tgw: {
      Type: 'AWS::EC2::TransitGateway',
      Properties: { DefaultRouteTableAssociation: 'enable', DefaultRouteTablePropagation: 'enable' },
    },
    AAttach: attachment('A'),
    WAttach: attachment('W'),
    ToWorker: route('ARt', '10.70.0.10/32', { TransitGatewayId: { Ref: 'Tgw' } }),
    Back: route('WRt', '10.41.0.0/16', { TransitGatewayId: { Ref: 'Tgw' } }),
    NodeEgress: nodeEgress(),
    Api: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'x',
        VpcId: { Ref: 'WVpc' },
        SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, CidrIp: '10.41.0.0/16' }],
      },
    },
  };
  edit(resources);
  return federationArtifacts(resources);
}
