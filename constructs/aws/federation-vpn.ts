/**
 * The network path of a federation manager on AWS to workers off AWS: a site-to-site IPsec VPN
 * from the manager's enclave VPC that carries exactly each worker's API endpoint (a /32), and a
 * security group on the manager's system nodes (where Kueue's MultiKueue controller runs) that
 * lets out only those endpoints on their ports.
 *
 * - A virtual private gateway attached to the VPC (one per VPC, as AWS allows);
 * - per IPsec peer (the worker site's gateway): a customer gateway and a VPN connection with
 *   static routes only, one static route per endpoint /32: the VPN never learns or carries more;
 * - per endpoint, a route for its /32 to the gateway in each workload route table: nothing else
 *   of the worker's enclave is routed.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { TransitEndpoint } from './federation-transit';
import { constructId } from './ids';

/** The BGP ASN of a customer gateway whose routes are static (AWS still requires one). */
export const CUSTOMER_GATEWAY_ASN = 65000;

/** A worker's API endpoint behind an IPsec gateway. */
export interface FederationEndpoint extends TransitEndpoint {
  /** The public address of the IPsec gateway in front of the worker. */
  readonly vpnPeer: string;
}

export interface FederationVpnProps {
  readonly vpc: ec2.IVpc;
  /** The route tables of the subnets the manager's nodes run in. */
  readonly routeTableIds: readonly string[];
  readonly endpoints: readonly FederationEndpoint[];
  /** Prefix of the Name tags. */
  readonly name: string;
}

export class FederationVpn extends Construct {
  readonly gateway: ec2.CfnVPNGateway;

  constructor(scope: Construct, id: string, props: FederationVpnProps) {
    super(scope, id);
    const tags = (suffix: string) => [{ key: 'Name', value: `${props.name}-${suffix}` }];
    this.gateway = new ec2.CfnVPNGateway(this, 'Gateway', { type: 'ipsec.1', tags: tags('vgw') });
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'Attachment', {
      vpcId: props.vpc.vpcId,
      vpnGatewayId: this.gateway.ref,
    });
    const byPeer = new Map<string, FederationEndpoint[]>();
    for (const e of [...props.endpoints].sort((a, b) => (a.worker < b.worker ? -1 : 1)))
      byPeer.set(e.vpnPeer, [...(byPeer.get(e.vpnPeer) ?? []), e]);
    for (const [peer, endpoints] of byPeer) {
      const peerId = constructId(endpoints[0].worker);
      const customer = new ec2.CfnCustomerGateway(this, `Customer${peerId}`, {
        type: 'ipsec.1',
        ipAddress: peer,
        bgpAsn: CUSTOMER_GATEWAY_ASN,
        tags: tags(endpoints[0].worker),
      });
      const connection = new ec2.CfnVPNConnection(this, `Connection${peerId}`, {
        type: 'ipsec.1',
        customerGatewayId: customer.ref,
        vpnGatewayId: this.gateway.ref,
        staticRoutesOnly: true,
        tags: tags(endpoints[0].worker),
      });
      for (const e of endpoints)
        new ec2.CfnVPNConnectionRoute(this, `Static${constructId(e.worker)}`, {
          vpnConnectionId: connection.ref,
          destinationCidrBlock: `${e.address}/32`,
        });
    }
    for (const e of props.endpoints)
      props.routeTableIds.forEach((rt, i) => {
        const route = new ec2.CfnRoute(this, `Route${constructId(e.worker)}${i}`, {
          routeTableId: rt,
          destinationCidrBlock: `${e.address}/32`,
          gatewayId: this.gateway.ref,
        });
        route.addResourceDependency(attachment);
      });
  }
}

/** A security group that lets out only the endpoints, each on its port (for the manager's nodes). */
export function federationEgressGroup(
  scope: Construct,
  id: string,
  vpc: ec2.IVpc,
  endpoints: ReadonlyArray<Pick<FederationEndpoint, 'worker' | 'address' | 'port'>>,
): ec2.SecurityGroup {
  const sg = new ec2.SecurityGroup(scope, id, {
    vpc,
    description: 'Federation manager nodes: the API endpoints of its workers only',
    allowAllOutbound: false,
  });
  for (const e of endpoints)
    sg.addEgressRule(ec2.Peer.ipv4(`${e.address}/32`), ec2.Port.tcp(e.port), `API of worker ${e.worker}`);
  return sg;
}
