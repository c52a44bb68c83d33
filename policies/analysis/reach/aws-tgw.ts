/**
 * Transit gateways of the assembly, linked from the artifacts alone. A resource names a transit
 * gateway by its id: a `Ref` to an AWS::EC2::TransitGateway of its own stack, or (in another
 * account, which cannot know a deploy-time id) a CloudFormation parameter of type
 * `AWS::SSM::Parameter::Value<String>` whose default is the ARN (or name) of an AWS::SSM::Parameter
 * of the assembly whose Value is that `Ref`. Across accounts the link holds only where an AWS RAM
 * share of the gateway's stack shares the parameter and the gateway with the reader's account.
 *
 * A gateway delivers traffic to the VPC attachments (AWS::EC2::TransitGatewayAttachment or
 * TransitGatewayVpcAttachment) whose VPC holds the destination, when its default route table
 * associates and propagates them; nothing else of a transit gateway is understood here (route
 * tables, static routes, peering, VPN or Connect attachments): the federation path rule reports
 * such resources rather than pass them.
 */
import { asArray, refValue, type CfnItem } from '../../engine/cfn/template';
import type { Vpc } from './aws-model';
import type { WitnessStep } from './types';

export const ATTACHMENT_TYPES: readonly string[] = [
  'AWS::EC2::TransitGatewayAttachment',
  'AWS::EC2::TransitGatewayVpcAttachment',
];
/** Transit-gateway resource types the analysis evaluates; any other type naming a transit gateway is reported. */
export const UNDERSTOOD_TGW_TYPES: ReadonlySet<string> = new Set([
  'AWS::EC2::TransitGateway',
  ...ATTACHMENT_TYPES,
]);

export interface TgwAttachment {
  readonly item: CfnItem;
  readonly vpc?: Vpc;
  /** How the attachment's TransitGatewayId leads to the gateway. */
  readonly steps: readonly WitnessStep[];
  /** Whether the link needs a RAM share (another account) and it is there. */
  readonly shared: boolean;
}

export interface TransitGateway {
  readonly item: CfnItem;
  /** The SSM parameters of the assembly whose Value is the gateway's id. */
  readonly parameters: readonly CfnItem[];
  readonly attachments: TgwAttachment[];
  /** Default route table association and propagation both enabled: every attachment is routed. */
  readonly defaultTables: boolean;
}

export interface TgwLink {
  readonly tgw?: TransitGateway;
  readonly steps: WitnessStep[];
  /** False when the link crosses accounts and no RAM share of the gateway's stack allows it. */
  readonly shared: boolean;
  /** Why no gateway is linked, when it is not. */
  readonly reason?: string;
}

/** An attachment the analysis cannot follow, and why. */
export interface UnlinkedAttachment {
  readonly item: CfnItem;
  readonly reason: string;
}

export interface TgwModel {
  readonly gateways: readonly TransitGateway[];
  /** The gateway a TransitGatewayId-like property of an item names, with how. */
  readonly linkOf: (item: CfnItem, key: string) => TgwLink;
  /**
   * Attachments whose gateway is no transit gateway of the assembly, or whose traffic from the
   * gateway would follow route tables the assembly does not hold.
   */
  readonly unlinked: readonly UnlinkedAttachment[];
  /** The ARNs of a gateway (symbolic id) or of an SSM parameter, as RAM shares name them. */
  readonly arnsOf: (item: CfnItem) => string[];
  /** RAM shares of the assembly. */
  readonly shares: readonly CfnItem[];
}

const enabled = (v: unknown): boolean => v === undefined || String(v).toLowerCase() === 'enable';

/**
 * The ARNs that name a gateway or an SSM parameter: with its id or name as the resolver gives a
 * `Ref` of it (symbolic), and for a parameter also with its literal name.
 */
function arnsOf(item: CfnItem): string[] {
  const { partition, region, account } = item.resolver;
  const ref = String(refValue(item));
  if (item.resource.Type === 'AWS::EC2::TransitGateway')
    return [`arn:${partition}:ec2:${region}:${account}:transit-gateway/${ref}`];
  if (item.resource.Type !== 'AWS::SSM::Parameter') return [];
  const base = `arn:${partition}:ssm:${region}:${account}:parameter`;
  const name = item.props.Name;
  const named = typeof name === 'string' ? [`${base}${name.startsWith('/') ? '' : '/'}${name}`] : [];
  return [...named, `${base}${ref}`, `${base}/${ref}`];
}

/** Principals the shares give a resource to (empty when no share of the assembly names it). */
function sharedWith(shares: readonly CfnItem[], item: CfnItem): Set<string> {
  const arns = arnsOf(item);
  const out = new Set<string>();
  for (const s of shares)
    if (asArray(s.props.ResourceArns).some((a) => typeof a === 'string' && arns.includes(a)))
      for (const p of asArray(s.props.Principals)) if (typeof p === 'string') out.add(p);
  return out;
}

/**
 * Adds each VPC attachment of the assembly to its gateway's; returns those that cannot be followed:
 * no gateway of the assembly, or subnets the assembly does not hold in the attached VPC.
 */
function linkAttachments(
  ofType: (t: string) => CfnItem[],
  byRef: Map<unknown, CfnItem>,
  vpcOf: (ref: unknown) => Vpc | undefined,
  linkOf: TgwModel['linkOf'],
): UnlinkedAttachment[] {
  const unlinked: UnlinkedAttachment[] = [];
  for (const type of ATTACHMENT_TYPES)
    for (const a of ofType(type)) {
      const link = linkOf(a, 'TransitGatewayId');
      if (!link.tgw) {
        unlinked.push({
          item: a,
          reason: link.reason ?? 'its gateway is no transit gateway of the assembly',
        });
        continue;
      }
      // Traffic the gateway delivers enters the VPC in the attachment's subnets and follows their
      // route tables: subnets the assembly does not hold in that VPC leave the path unknown.
      const vpc = vpcOf(a.props.VpcId);
      const foreign = asArray(a.props.SubnetIds).filter((id) => {
        const subnet = byRef.get(id);
        return subnet?.resource.Type !== 'AWS::EC2::Subnet' || !vpc || vpcOf(subnet.props.VpcId) !== vpc;
      });
      if (foreign.length > 0 || asArray(a.props.SubnetIds).length === 0) {
        unlinked.push({
          item: a,
          reason: `its subnets ${foreign.map((f) => JSON.stringify(f)).join(', ') || '(none)'} are not subnets of the assembly in the attached VPC, whose route tables would carry what the gateway delivers`,
        });
        continue;
      }
      link.tgw.attachments.push({
        item: a,
        vpc,
        steps: link.steps,
        shared: link.shared,
      });
    }
  return unlinked;
}

export function buildTgwModel(
  ofType: (t: string) => CfnItem[],
  byRef: Map<unknown, CfnItem>,
  vpcOf: (ref: unknown) => Vpc | undefined,
): TgwModel {
  const shares = ofType('AWS::RAM::ResourceShare');
  const tgwItems = ofType('AWS::EC2::TransitGateway');
  const params = ofType('AWS::SSM::Parameter');
  const gateways: TransitGateway[] = tgwItems.map((item) => ({
    item,
    parameters: params.filter((p) => byRef.get(p.props.Value) === item),
    attachments: [],
    defaultTables:
      enabled(item.props.DefaultRouteTableAssociation) && enabled(item.props.DefaultRouteTablePropagation),
  }));
  const byItem = new Map(gateways.map((g) => [g.item, g]));

  const linkOf = (item: CfnItem, key: string): TgwLink => {
    const direct = byRef.get(item.props[key]);
    if (direct && byItem.has(direct)) return { tgw: byItem.get(direct), steps: [], shared: true };
    const raw = item.resource.Properties?.[key] as Record<string, unknown> | undefined;
    const name = raw && typeof raw === 'object' ? raw.Ref : undefined;
    const param = typeof name === 'string' ? item.stack.template.Parameters?.[name] : undefined;
    const def = (param as { Default?: unknown } | undefined)?.Default;
    const untraced = {
      steps: [],
      shared: false,
      reason: 'its id cannot be traced to a transit gateway of the assembly',
    };
    if (!param || typeof param.Type !== 'string' || !param.Type.startsWith('AWS::SSM::Parameter::Value'))
      return untraced;
    if (typeof def !== 'string') return untraced;
    // The deploy command genesis gives passes no parameter, so the default applies; a parameter
    // whose AllowedValues admits another value may be deployed with that one instead.
    const allowed = (param as { AllowedValues?: unknown }).AllowedValues;
    if (Array.isArray(allowed) && allowed.some((v) => v !== def))
      return {
        steps: [],
        shared: false,
        reason: `parameter ${String(name)} allows other values at deploy time (${allowed.map((v) => JSON.stringify(v)).join(', ')})`,
      };
    const source = params.find(
      (p) => arnsOf(p).slice(0, 1).includes(def) || (def === p.props.Name && p.stack === item.stack),
    );
    const tgw = source && byItem.get(byRef.get(source.props.Value) as CfnItem);
    if (!source || !tgw) return untraced;
    const crosses = source.stack.account !== item.stack.account;
    const reader = item.stack.account ?? '';
    const shared =
      !crosses || (sharedWith(shares, source).has(reader) && sharedWith(shares, tgw.item).has(reader));
    const steps: WitnessStep[] = [
      {
        text: `parameter ${String(name)} of ${item.stack.stackName} (default ${def}): SSM parameter ${source.logicalId} of ${source.stack.stackName} holds the id of transit gateway ${tgw.item.logicalId}${crosses ? (shared ? `, both shared with account ${reader} by AWS RAM` : `, not shared with account ${reader}`) : ''}`,
        ref: source.ref,
      },
    ];
    return { tgw, steps, shared };
  };

  const unlinked = linkAttachments(ofType, byRef, vpcOf, linkOf);
  return { gateways, linkOf, unlinked, arnsOf, shares };
}

/** The attachment of a VPC to a gateway through which traffic flows (linked, shared where it must be). */
export function attachmentOf(tgw: TransitGateway, vpc: Vpc | undefined): TgwAttachment | undefined {
  if (!tgw.defaultTables) return undefined;
  return tgw.attachments.find((a) => a.vpc === vpc && a.shared);
}
