/**
 * The network path of a federation manager on AWS to workers in a partner's own AWS account: a
 * transit gateway of the manager's site, one per partner site and manager enclave, so partners
 * never reach each other.
 *
 * On the manager's side (FederationTransitGateway): the transit gateway, its attachment to the
 * manager enclave's workload subnets, per worker endpoint a route for its /32 to the gateway in
 * each workload route table (nothing else of the partner's enclave is routed), an SSM parameter
 * that publishes the gateway's id under a stable name, and one AWS RAM share of the gateway and
 * that parameter with the partner's account and no one else.
 *
 * On the partner's side (FederationTransitAttachment): the attachment of the worker enclave's
 * workload subnets to the gateway whose id the shared parameter gives at deploy time, and in each
 * workload route table a return route for the manager's enclave to it. The partner's stack never
 * names a deploy-time id of the platform's account, so the two deploy in order without a cycle.
 *
 * Explicit route table associations would need the partner attachment's id, which the manager's
 * stack cannot know: the gateway's default route table associates and propagates every attachment,
 * and what each VPC sends to it is held by its own route tables.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { constructId } from './ids';

/** A worker's API endpoint the manager calls. */
export interface TransitEndpoint {
  /** The worker cluster's id, which names the resources of its endpoint. */
  readonly worker: string;
  readonly address: string;
  readonly port: number;
}

export interface FederationTransitGatewayProps {
  readonly vpc: ec2.IVpc;
  /** The subnets the manager's nodes run in: the gateway's attachment places its interfaces there. */
  readonly subnetIds: readonly string[];
  /** The route tables of those subnets. */
  readonly routeTableIds: readonly string[];
  readonly endpoints: readonly TransitEndpoint[];
  /** The partner's AWS account: the only principal the gateway and its parameter are shared with. */
  readonly partnerAccount: string;
  /** Name of the SSM parameter that publishes the gateway's id. */
  readonly parameterName: string;
  /** Prefix of the Name tags and of the share's name. */
  readonly name: string;
  readonly description: string;
}

export class FederationTransitGateway extends Construct {
  readonly gateway: ec2.CfnTransitGateway;
  readonly parameter: ssm.StringParameter;
  readonly share: ram.CfnResourceShare;

  constructor(scope: Construct, id: string, props: FederationTransitGatewayProps) {
    super(scope, id);
    const tags = (suffix: string) => [{ key: 'Name', value: `${props.name}-${suffix}` }];
    this.gateway = new ec2.CfnTransitGateway(this, 'Gateway', {
      description: props.description,
      autoAcceptSharedAttachments: 'enable',
      defaultRouteTableAssociation: 'enable',
      defaultRouteTablePropagation: 'enable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'disable',
      multicastSupport: 'disable',
      tags: tags('tgw'),
    });
    const attachment = new ec2.CfnTransitGatewayAttachment(this, 'Attachment', {
      transitGatewayId: this.gateway.ref,
      vpcId: props.vpc.vpcId,
      subnetIds: [...props.subnetIds],
      tags: tags('manager'),
    });
    for (const e of [...props.endpoints].sort((a, b) => (a.worker < b.worker ? -1 : 1)))
      props.routeTableIds.forEach((rt, i) => {
        const route = new ec2.CfnRoute(this, `Route${constructId(e.worker)}${i}`, {
          routeTableId: rt,
          destinationCidrBlock: `${e.address}/32`,
          transitGatewayId: this.gateway.ref,
        });
        route.addResourceDependency(attachment);
      });
    // Advanced tier: only advanced parameters can be shared with another account.
    this.parameter = new ssm.StringParameter(this, 'GatewayParameter', {
      parameterName: props.parameterName,
      stringValue: this.gateway.ref,
      tier: ssm.ParameterTier.ADVANCED,
      description: `Transit gateway of ${props.description}`,
    });
    const gatewayArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'transit-gateway',
      resourceName: this.gateway.ref,
    });
    this.share = new ram.CfnResourceShare(this, 'Share', {
      name: `${props.name}-tgw`,
      principals: [props.partnerAccount],
      resourceArns: [gatewayArn, this.parameter.parameterArn],
      // The partner's account is outside the platform's organization, as a rule.
      allowExternalPrincipals: true,
      tags: tags('tgw'),
    });
  }
}

export interface FederationTransitAttachmentProps {
  readonly vpc: ec2.IVpc;
  /** The worker enclave's workload subnets. */
  readonly subnetIds: readonly string[];
  /** Their route tables: the return route to the manager is added to each. */
  readonly routeTableIds: readonly string[];
  /** ARN of the SSM parameter (in the manager's account, shared by RAM) holding the gateway's id. */
  readonly parameterArn: string;
  /** The manager's enclave CIDR: the only destination routed to the gateway. */
  readonly managerCidr: string;
  /** Prefix of the Name tags. */
  readonly name: string;
}

export class FederationTransitAttachment extends Construct {
  readonly attachment: ec2.CfnTransitGatewayAttachment;

  constructor(scope: Construct, id: string, props: FederationTransitAttachmentProps) {
    super(scope, id);
    // A CloudFormation parameter of type AWS::SSM::Parameter::Value<String> whose default is the
    // shared parameter's ARN: the gateway's id is read at deploy time, in the partner's account.
    const gatewayId = ssm.StringParameter.fromStringParameterArn(
      this,
      'GatewayId',
      props.parameterArn,
    ).stringValue;
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Attachment', {
      transitGatewayId: gatewayId,
      vpcId: props.vpc.vpcId,
      subnetIds: [...props.subnetIds],
      tags: [{ key: 'Name', value: `${props.name}-attachment` }],
    });
    props.routeTableIds.forEach((rt, i) => {
      const route = new ec2.CfnRoute(this, `Return${i}`, {
        routeTableId: rt,
        destinationCidrBlock: props.managerCidr,
        transitGatewayId: gatewayId,
      });
      route.addResourceDependency(this.attachment);
    });
  }
}
