/** The federation path on AWS: a VPN from the manager's enclave that carries the worker's API endpoint only. */
import type { Template } from 'aws-cdk-lib/assertions';
import { CUSTOMER_GATEWAY_ASN } from '../../constructs/aws/federation-vpn';
import { resourcesOf, synthDefault } from './synth';

let t: Template;
let cuiVpc: string;

beforeAll(() => {
  t = synthDefault().template('Site-govcloud-west');
  cuiVpc = Object.entries(resourcesOf(t, 'AWS::EC2::VPC')).find(
    ([, v]) => v.Properties.CidrBlock === '10.41.0.0/16',
  )![0];
});

const only = (type: string) => {
  const all = Object.entries(resourcesOf(t, type));
  expect(all).toHaveLength(1);
  return all[0];
};

describe('federation VPN of the manager enclave gw-cui', () => {
  it('attaches one virtual private gateway to the manager enclave VPC', () => {
    const [vgw] = only('AWS::EC2::VPNGateway');
    const attach = Object.values(resourcesOf(t, 'AWS::EC2::VPCGatewayAttachment')).filter(
      (a) => a.Properties.VpnGatewayId,
    );
    expect(attach.map((a) => [a.Properties.VpcId.Ref, a.Properties.VpnGatewayId.Ref])).toEqual([
      [cuiVpc, vgw],
    ]);
  });

  it("connects to the worker site's IPsec peer with static routes only, carrying the endpoint /32 only", () => {
    const [cgw, customer] = only('AWS::EC2::CustomerGateway');
    expect(customer.Properties).toMatchObject({ IpAddress: '198.51.100.20', BgpAsn: CUSTOMER_GATEWAY_ASN });
    const [conn, connection] = only('AWS::EC2::VPNConnection');
    expect(connection.Properties).toMatchObject({ CustomerGatewayId: { Ref: cgw }, StaticRoutesOnly: true });
    const [, route] = only('AWS::EC2::VPNConnectionRoute');
    expect(route.Properties).toEqual({
      VpnConnectionId: { Ref: conn },
      DestinationCidrBlock: '10.70.0.10/32',
    });
  });

  it('routes exactly 10.70.0.10/32 to the gateway from each workload route table of gw-cui, after the attachment', () => {
    const [vgw] = only('AWS::EC2::VPNGateway');
    const toVgw = Object.values(resourcesOf(t, 'AWS::EC2::Route')).filter(
      (r) => r.Properties.GatewayId?.Ref === vgw,
    );
    expect(toVgw).toHaveLength(3);
    for (const r of toVgw) {
      expect(r.Properties.DestinationCidrBlock).toBe('10.70.0.10/32');
      expect(r.DependsOn?.some((d) => /FederationVpnAttachment/.test(d))).toBe(true);
    }
    const tables = new Set(toVgw.map((r) => r.Properties.RouteTableId.Ref));
    for (const id of tables)
      expect(resourcesOf(t, 'AWS::EC2::RouteTable')[id].Properties.VpcId.Ref).toBe(cuiVpc);
  });

  it("lets the manager's system nodes out to the endpoint on tcp/6443 only, besides the cluster's group", () => {
    const [sgId, sg] = Object.entries(resourcesOf(t, 'AWS::EC2::SecurityGroup')).find(([id]) =>
      /FederationEgress/.test(id),
    )!;
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      {
        CidrIp: '10.70.0.10/32',
        Description: 'API of worker aurora-gpu',
        FromPort: 6443,
        IpProtocol: 'tcp',
        ToPort: 6443,
      },
    ]);
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const templates = Object.entries(resourcesOf(t, 'AWS::EC2::LaunchTemplate'));
    const withGroups = templates.filter(([, lt]) => lt.Properties.LaunchTemplateData.SecurityGroupIds);
    expect(withGroups.map(([id]) => id)).toEqual([expect.stringMatching(/ClusterGwGpuEksSystemNodes/)]);
    expect(withGroups[0][1].Properties.LaunchTemplateData.SecurityGroupIds).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/ClusterGwGpuEksCluster/), 'ClusterSecurityGroupId'] },
      { 'Fn::GetAtt': [sgId, 'GroupId'] },
    ]);
  });
});
