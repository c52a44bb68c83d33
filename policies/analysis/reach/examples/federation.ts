/** A federation manager enclave on AWS with a VPN to a worker's API, for the federation path rule's examples. */
import type { ExampleArtifacts, K8sObject } from '../../../engine/types';
import { KUEUE_NAMESPACE } from '../../../../infra/contract';
import { enclave, intentOf, route, vpc } from './aws';

/** Intent: manager m in enclave a (AWS site s), worker w in enclave w (10.70.0.0/16) at 10.70.0.10:6443. */
export const federationIntent = () =>
  intentOf(
    [
      enclave('a', '10.41.0.0/16'),
      { ...enclave('w', '10.70.0.0/16', 'cui', { mode: 'none' }, ['a']), site: 'p' },
    ],
    {
      sites: [
        { id: 's', kind: 'aws' },
        { id: 'p', kind: 'partner', cni: 'cilium' },
      ],
      clusters: [
        { id: 'm', site: 's', enclave: 'a' },
        { id: 'w', site: 'p', enclave: 'w', apiServer: { address: '10.70.0.10', port: 6443 } },
      ],
      federations: [{ id: 'f', manager: 'm', workers: ['w'] }],
    },
  );

/** The Kueue namespace's egress to the endpoint on its port. */
export const TO_ENDPOINT = {
  to: [{ ipBlock: { cidr: '10.70.0.10/32' } }],
  ports: [{ protocol: 'TCP', port: 6443 }],
};

/**
 * The VPN of enclave a carrying 10.70.0.10/32, its nodes' egress, and manager m's Kueue namespace
 * with one egress policy of `egress` rules; `edit` changes the AWS resources.
 */
export function federatedEnclave(
  edit: (r: Record<string, Record<string, unknown>>) => void = () => {},
  egress: unknown[] = [TO_ENDPOINT],
): ExampleArtifacts {
  const resources: Record<string, Record<string, unknown>> = {
    ...vpc('A', '10.41.0.0/16', '10.41.0.0/24', 'a'),
    Vgw: { Type: 'AWS::EC2::VPNGateway', Properties: { Type: 'ipsec.1' } },
    VgwAttach: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: { Ref: 'AVpc' }, VpnGatewayId: { Ref: 'Vgw' } },
    },
    Cgw: {
      Type: 'AWS::EC2::CustomerGateway',
      Properties: { Type: 'ipsec.1', IpAddress: '198.51.100.20', BgpAsn: 65000 },
    },
    Vpn: {
      Type: 'AWS::EC2::VPNConnection',
      Properties: {
        Type: 'ipsec.1',
        CustomerGatewayId: { Ref: 'Cgw' },
        VpnGatewayId: { Ref: 'Vgw' },
        StaticRoutesOnly: true,
      },
    },
    VpnRoute: {
      Type: 'AWS::EC2::VPNConnectionRoute',
      Properties: { VpnConnectionId: { Ref: 'Vpn' }, DestinationCidrBlock: '10.70.0.10/32' },
    },
    ToWorker: route('ARt', '10.70.0.10/32', { GatewayId: { Ref: 'Vgw' } }),
    NodeEgress: nodeEgress(),
  };
  edit(resources);
  return federationArtifacts(resources, egress);
}

/** The egress group of manager m's nodes in enclave a: the worker's API endpoint on its port only. */
export const nodeEgress = (): Record<string, unknown> => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: {
    GroupDescription: 'x',
    VpcId: { Ref: 'AVpc' },
    SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, CidrIp: '10.70.0.10/32' }],
  },
});

/** `resources` as site s's stack, with manager m's Kueue namespace egress policy of `egress` rules. */
export function federationArtifacts(
  resources: Record<string, Record<string, unknown>>,
  egress: unknown[] = [TO_ENDPOINT],
): ExampleArtifacts {
  const policy: K8sObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'federation-egress', namespace: KUEUE_NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  };
  return {
    aws: { 'Site-s': { Resources: resources as never } },
    k8s: { 's/m/cluster.yaml': [policy] },
    intent: federationIntent(),
  };
}
