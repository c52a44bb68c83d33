/**
 * The network of a cloud assembly as the reachability analysis sees it: VPCs (and the enclave each
 * one is, by its CIDR), subnets with their route table and network ACL, routes and their targets.
 * Built from the resolved templates (policies/engine/cfn), never from the model.
 */
import { asArray, cfnResources, isRecord, refValue, tagsOf, type CfnItem } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import type { RuleContext } from '../../engine/types';
import { CidrSet } from './cidr';
import { enclaveOfSet, type Intent } from './intent';
import { buildTgwModel, type TgwModel, type TransitGateway } from './aws-tgw';
import { TAG } from '../../../infra/contract';

export interface Vpc {
  readonly item: CfnItem;
  readonly cidr: CidrSet;
  /** The enclave: the intent enclave whose CIDR holds the VPC's, else its genesis:enclave tag. */
  readonly enclave: string;
}
export interface Subnet {
  readonly item: CfnItem;
  readonly vpc?: Vpc;
  readonly cidr: CidrSet;
  routeTable?: RouteTable;
  acl?: CfnItem;
}
export type Target =
  | { readonly kind: 'local' }
  | { readonly kind: 'igw'; readonly item?: CfnItem }
  | { readonly kind: 'nat'; readonly item: CfnItem }
  | { readonly kind: 'pcx'; readonly item?: CfnItem }
  | { readonly kind: 'firewall'; readonly item: CfnItem }
  | { readonly kind: 'endpoint'; readonly item: CfnItem }
  | { readonly kind: 'vgw'; readonly item: CfnItem }
  | { readonly kind: 'tgw'; readonly tgw: TransitGateway }
  | { readonly kind: 'other'; readonly what: string };
export interface Route {
  readonly item?: CfnItem;
  /** Destination addresses; undefined when undecidable (a prefix list, a deploy-time value). */
  readonly dest?: CidrSet;
  readonly destText: string;
  readonly target: Target;
}
export interface RouteTable {
  readonly item?: CfnItem;
  readonly vpc?: Vpc;
  readonly routes: Route[];
}

export interface AwsNetwork {
  readonly vpcs: Vpc[];
  readonly subnets: Subnet[];
  readonly byRef: Map<unknown, CfnItem>;
  readonly vpcOf: (ref: unknown) => Vpc | undefined;
  readonly subnetOf: (ref: unknown) => Subnet | undefined;
  /** Addresses a resolved CIDR value stands for (a literal, or a VPC's CidrBlock attribute). */
  readonly cidrOf: (v: unknown) => CidrSet | undefined;
  /** The resources of a type (the same objects the indexes hold). */
  readonly ofType: (type: string) => CfnItem[];
  /** Transit gateways of the assembly and what is attached to them (aws-tgw). */
  readonly tgw: TgwModel;
}

const TARGET_KEYS: ReadonlyArray<[string, string]> = [
  ['TransitGatewayId', 'transit gateway'],
  ['NetworkInterfaceId', 'network interface'],
  ['InstanceId', 'instance'],
  ['CarrierGatewayId', 'carrier gateway'],
  ['LocalGatewayId', 'local gateway'],
  ['CoreNetworkArn', 'Cloud WAN core network'],
  ['EgressOnlyInternetGatewayId', 'egress-only internet gateway'],
];

function indexRefs(items: readonly CfnItem[]): Map<unknown, CfnItem> {
  const m = new Map<unknown, CfnItem>();
  for (const item of items) {
    m.set(refValue(item), item);
    for (const att of [
      'GroupId',
      'Id',
      'CidrBlock',
      'RuleGroupArn',
      'FirewallPolicyArn',
      'AllocationId',
      'DefaultSecurityGroup',
      'DefaultNetworkAcl',
    ]) {
      const v = item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, att] });
      if (typeof v === 'string' && !m.has(v)) m.set(v, item);
    }
  }
  return m;
}

/** The network firewall a route's VpcEndpointId names through Fn::GetAtt [fw, EndpointIds]. */
function firewallOfExpression(
  item: CfnItem,
  raw: unknown,
  byRef: Map<unknown, CfnItem>,
): CfnItem | undefined {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) {
      const ga = v['Fn::GetAtt'];
      if (Array.isArray(ga) && ga[1] === 'EndpointIds' && typeof ga[0] === 'string') found.push(ga[0]);
      Object.values(v).forEach(walk);
    }
  };
  walk(raw);
  for (const id of found) {
    const fw = byRef.get(item.resolver.resolve({ Ref: id }));
    if (fw?.resource.Type === 'AWS::NetworkFirewall::Firewall') return fw;
  }
  return undefined;
}

function targetOf(r: CfnItem, byRef: Map<unknown, CfnItem>, tgw: TgwModel): Target {
  const p = r.props;
  if (p.TransitGatewayId !== undefined) {
    const link = tgw.linkOf(r, 'TransitGatewayId');
    if (link.tgw) return { kind: 'tgw', tgw: link.tgw };
  }
  if (p.GatewayId !== undefined) {
    const g = byRef.get(p.GatewayId);
    if (p.GatewayId === 'local') return { kind: 'local' };
    if (g?.resource.Type === 'AWS::EC2::InternetGateway') return { kind: 'igw', item: g };
    if (g?.resource.Type === 'AWS::EC2::VPCEndpoint') return { kind: 'endpoint', item: g };
    if (g?.resource.Type === 'AWS::EC2::VPNGateway') return { kind: 'vgw', item: g };
    return {
      kind: 'other',
      what: g ? `gateway ${g.logicalId} (${g.resource.Type})` : `gateway ${String(p.GatewayId)}`,
    };
  }
  if (p.NatGatewayId !== undefined) {
    const n = byRef.get(p.NatGatewayId);
    return n
      ? { kind: 'nat', item: n }
      : { kind: 'other', what: `NAT gateway ${String(p.NatGatewayId)} outside the assembly` };
  }
  if (p.VpcPeeringConnectionId !== undefined)
    return { kind: 'pcx', item: byRef.get(p.VpcPeeringConnectionId) };
  if (p.VpcEndpointId !== undefined) {
    const fw = firewallOfExpression(r, r.resource.Properties?.VpcEndpointId, byRef);
    if (fw) return { kind: 'firewall', item: fw };
    const e = byRef.get(p.VpcEndpointId);
    return e
      ? { kind: 'endpoint', item: e }
      : {
          kind: 'other',
          what: `VPC endpoint ${isUnknown(p.VpcEndpointId) ? '(undecidable)' : String(p.VpcEndpointId)}`,
        };
  }
  for (const [k, what] of TARGET_KEYS)
    if (p[k] !== undefined)
      return { kind: 'other', what: `${what} ${isUnknown(p[k]) ? '(undecidable)' : String(p[k])}` };
  return { kind: 'other', what: 'an unrecognised target' };
}

function vpcs(ofType: (t: string) => CfnItem[], intent: Intent | undefined): Vpc[] {
  const out: Vpc[] = [];
  const extra = new Map<unknown, string[]>();
  for (const c of ofType('AWS::EC2::VPCCidrBlock'))
    extra.set(c.props.VpcId, [
      ...(extra.get(c.props.VpcId) ?? []),
      ...[c.props.CidrBlock, c.props.Ipv6CidrBlock].filter((x): x is string => typeof x === 'string'),
    ]);
  for (const v of ofType('AWS::EC2::VPC')) {
    const cidr = CidrSet.tryOf(v.props.CidrBlock, ...(extra.get(refValue(v)) ?? [])) ?? CidrSet.EMPTY;
    const primary = CidrSet.tryOf(v.props.CidrBlock) ?? CidrSet.EMPTY;
    const tag = tagsOf(v.props).get(TAG.enclave);
    const enclave =
      enclaveOfSet(intent, primary)?.id ?? (typeof tag === 'string' ? tag : `vpc ${v.logicalId}`);
    out.push({ item: v, cidr, enclave });
  }
  return out;
}

/** Route tables with their routes (and the prefix-list routes of gateway endpoints). */
function routeTables(
  ofType: (t: string) => CfnItem[],
  byRef: Map<unknown, CfnItem>,
  vpcOf: (ref: unknown) => Vpc | undefined,
  cidrOf: (v: unknown) => CidrSet | undefined,
  tgw: TgwModel,
): Map<CfnItem, RouteTable> {
  const tables = new Map<CfnItem, RouteTable>();
  for (const t of ofType('AWS::EC2::RouteTable'))
    tables.set(t, { item: t, vpc: vpcOf(t.props.VpcId), routes: [] });
  for (const r of ofType('AWS::EC2::Route')) {
    const t = byRef.get(r.props.RouteTableId);
    const table = t && tables.get(t);
    if (!table) continue;
    const destRaw = r.props.DestinationCidrBlock ?? r.props.DestinationIpv6CidrBlock;
    const dest = r.props.DestinationPrefixListId !== undefined ? undefined : cidrOf(destRaw);
    table.routes.push({
      item: r,
      dest,
      destText: dest
        ? dest.toString()
        : `prefix list or value ${String(r.props.DestinationPrefixListId ?? destRaw)}`,
      target: targetOf(r, byRef, tgw),
    });
  }
  for (const e of ofType('AWS::EC2::VPCEndpoint')) {
    if (e.props.VpcEndpointType !== 'Gateway') continue;
    for (const rt of asArray(e.props.RouteTableIds)) {
      const t = byRef.get(rt);
      const table = t && tables.get(t);
      if (table)
        table.routes.push({
          item: e,
          dest: undefined,
          destText: `the prefix list of ${String(e.props.ServiceName)}`,
          target: { kind: 'endpoint', item: e },
        });
    }
  }
  for (const p of ofType('AWS::EC2::VPNGatewayRoutePropagation')) {
    for (const rt of asArray(p.props.RouteTableIds)) {
      const table = byRef.get(rt) && tables.get(byRef.get(rt) as CfnItem);
      if (table)
        table.routes.push({
          item: p,
          dest: undefined,
          destText: 'routes propagated from a VPN gateway',
          target: { kind: 'other', what: `VPN gateway ${String(p.props.VpnGatewayId)}` },
        });
    }
  }
  return tables;
}

export function buildNetwork(ctx: RuleContext, intent: Intent | undefined): AwsNetwork {
  const items = [...cfnResources(ctx)];
  const ofType = (type: string) => items.filter((i) => i.resource.Type === type);
  const byRef = indexRefs(items);
  const vpcList = vpcs(ofType, intent);
  const vpcByItem = new Map(vpcList.map((v) => [v.item, v]));
  const vpcOf = (ref: unknown) => {
    const i = byRef.get(ref);
    return i ? vpcByItem.get(i) : undefined;
  };
  const cidrOf = (v: unknown): CidrSet | undefined => {
    if (typeof v === 'string') {
      const lit = CidrSet.tryOf(v);
      if (lit) return lit;
      const item = byRef.get(v);
      const vpc = item && vpcByItem.get(item);
      if (vpc && item && item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, 'CidrBlock'] }) === v)
        return CidrSet.tryOf(vpc.item.props.CidrBlock);
    }
    return undefined;
  };
  const subnets: Subnet[] = [...ofType('AWS::EC2::Subnet')].map((s) => ({
    item: s,
    vpc: vpcOf(s.props.VpcId),
    cidr: cidrOf(s.props.CidrBlock) ?? CidrSet.EMPTY,
  }));
  const subnetByItem = new Map(subnets.map((s) => [s.item, s]));
  const subnetOf = (ref: unknown) => {
    const i = byRef.get(ref);
    return i ? subnetByItem.get(i) : undefined;
  };
  const tgw = buildTgwModel(ofType, byRef, vpcOf);
  const tables = routeTables(ofType, byRef, vpcOf, cidrOf, tgw);
  const mainTables = new Map<Vpc, RouteTable>();
  for (const v of vpcList) mainTables.set(v, { vpc: v, routes: [] });
  for (const t of tables.values())
    if (t.vpc)
      t.routes.push({ dest: t.vpc.cidr, destText: t.vpc.cidr.toString(), target: { kind: 'local' } });
  for (const m of mainTables.values())
    if (m.vpc)
      m.routes.push({ dest: m.vpc.cidr, destText: m.vpc.cidr.toString(), target: { kind: 'local' } });
  for (const a of ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const s = subnetOf(a.props.SubnetId);
    const t = byRef.get(a.props.RouteTableId);
    if (s && t && tables.get(t)) s.routeTable = tables.get(t);
  }
  for (const a of ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
    const s = subnetOf(a.props.SubnetId);
    const acl = byRef.get(a.props.NetworkAclId);
    if (s && acl) s.acl = acl;
  }
  for (const s of subnets) if (!s.routeTable && s.vpc) s.routeTable = mainTables.get(s.vpc);
  return { vpcs: vpcList, subnets, byRef, vpcOf, subnetOf, cidrOf, ofType, tgw };
}
