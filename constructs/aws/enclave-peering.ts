/**
 * A one-way reachability between two enclave networks of a site: workloads of `from` may open
 * connections into `to` (the model's `reachableFrom`). A VPC peering carries the traffic, routes
 * exist for the two workload CIDRs only, and `to` admits `from` in its network ACL.
 *
 * Peering never routes through the peer's NAT or internet gateway (AWS does not allow edge-to-edge
 * routing), so an isolated enclave gains no internet path by being peered with one that has it.
 * The other direction stays closed at the security groups: nothing in `from` admits `to`.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { EnclaveNetwork } from './enclave-network';

export interface EnclavePeeringProps {
  readonly from: EnclaveNetwork;
  readonly to: EnclaveNetwork;
  readonly fromCidr: string;
  readonly toCidr: string;
  readonly name: string;
}

export class EnclavePeering extends Construct {
  readonly peering: ec2.CfnVPCPeeringConnection;

  constructor(scope: Construct, id: string, props: EnclavePeeringProps) {
    super(scope, id);
    // Same account and region: the peering is accepted on creation.
    this.peering = new ec2.CfnVPCPeeringConnection(this, 'Peering', {
      vpcId: props.from.vpc.vpcId,
      peerVpcId: props.to.vpc.vpcId,
      tags: [{ key: 'Name', value: props.name }],
    });
    props.from.workloadRouteTableIds.forEach((rt, i) => {
      new ec2.CfnRoute(this, `Forward${i}`, {
        routeTableId: rt,
        destinationCidrBlock: props.toCidr,
        vpcPeeringConnectionId: this.peering.ref,
      });
    });
    props.to.workloadRouteTableIds.forEach((rt, i) => {
      new ec2.CfnRoute(this, `Return${i}`, {
        routeTableId: rt,
        destinationCidrBlock: props.fromCidr,
        vpcPeeringConnectionId: this.peering.ref,
      });
    });
    props.to.admitConnectionsFrom(props.fromCidr);
  }
}
