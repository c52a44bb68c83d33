/**
 * Network ACLs (stateless, ordered: the lowest rule number that matches decides, deny before a
 * later allow, an implicit deny at the end) and security groups (stateful, the union of allows,
 * with references to other groups and prefix lists).
 */
import { asArray, isRecord, type CfnItem } from '../../engine/cfn/template';
import type { AwsNetwork, Vpc } from './aws-model';
import { CidrSet } from './cidr';
import { covers, describe, overlaps, protoNumber, service, type Service } from './ports';
import type { WitnessStep } from './types';

export interface AclEntry {
  readonly item: CfnItem;
  readonly number: number;
  readonly egress: boolean;
  readonly allow: boolean;
  /** Undefined when undecidable: judged as matching (for allows) and as not matching (for denies). */
  readonly cidr?: CidrSet;
  readonly svc: Service;
}

export function aclEntries(net: AwsNetwork): Map<CfnItem, AclEntry[]> {
  const m = new Map<CfnItem, AclEntry[]>();
  for (const e of net.ofType('AWS::EC2::NetworkAclEntry')) {
    const acl = net.byRef.get(e.props.NetworkAclId);
    if (!acl) continue;
    const p = e.props;
    const proto = protoNumber(p.Protocol) ?? -1;
    const range = isRecord(p.PortRange) ? p.PortRange : {};
    const entry: AclEntry = {
      item: e,
      number: Number(p.RuleNumber),
      egress: p.Egress === true || p.Egress === 'true',
      allow: String(p.RuleAction).toLowerCase() === 'allow',
      cidr: net.cidrOf(p.CidrBlock ?? p.Ipv6CidrBlock),
      svc: service(
        proto,
        range.From === undefined ? undefined : Number(range.From),
        range.To === undefined ? undefined : Number(range.To),
      ),
    };
    m.set(acl, [...(m.get(acl) ?? []), entry]);
  }
  for (const list of m.values()) list.sort((a, b) => a.number - b.number);
  return m;
}

/**
 * The peers (addresses) a network ACL lets `svc` through to (egress) or from (ingress). An entry
 * that covers only some of the ports admits the peers when it allows, and removes none when it
 * denies: the answer over-approximates what passes, never under.
 */
export function aclAllows(
  entries: readonly AclEntry[] | undefined,
  egress: boolean,
  peers: CidrSet,
  svc: Service,
): { allowed: CidrSet; steps: WitnessStep[] } {
  if (!entries) return { allowed: peers, steps: [] };
  let remaining = peers;
  let allowed = CidrSet.EMPTY;
  const steps: WitnessStep[] = [];
  for (const e of entries) {
    if (e.egress !== egress || !overlaps(e.svc, svc)) continue;
    const hit = e.cidr ? remaining.intersect(e.cidr) : remaining;
    if (hit.isEmpty()) continue;
    if (e.allow) {
      allowed = allowed.union(hit);
      steps.push({
        text: `network ACL entry ${e.item.logicalId} (#${e.number}) allows ${describe(e.svc)} ${egress ? 'to' : 'from'} ${hit}`,
        ref: e.item.ref,
      });
    }
    if (e.cidr && covers(e.svc, svc)) remaining = remaining.minus(e.cidr);
    if (remaining.isEmpty()) break;
  }
  return { allowed, steps };
}

export interface SgRule {
  readonly group: CfnItem;
  /** The resource that declares the rule (the group, or a standalone ingress/egress resource). */
  readonly item: CfnItem;
  readonly egress: boolean;
  readonly svc: Service;
  /** Addresses admitted; undefined when the peer is a group or prefix list (see peerGroup). */
  readonly cidr?: CidrSet;
  readonly peerGroup?: CfnItem;
  /** Set when the peer cannot be decided (a prefix list, a group outside the assembly, a deploy-time value). */
  readonly undecided?: string;
}

function sgRule(
  group: CfnItem,
  item: CfnItem,
  egress: boolean,
  r: Record<string, unknown>,
  net: AwsNetwork,
): SgRule {
  const proto = protoNumber(r.IpProtocol) ?? -1;
  const svc = service(
    proto,
    r.FromPort === undefined ? undefined : Number(r.FromPort),
    r.ToPort === undefined ? undefined : Number(r.ToPort),
  );
  const cidrValue = r.CidrIp ?? r.CidrIpv6;
  if (cidrValue !== undefined) {
    const cidr = net.cidrOf(cidrValue);
    return cidr
      ? { group, item, egress, svc, cidr }
      : { group, item, egress, svc, undecided: `address ${String(cidrValue)}` };
  }
  const peer = r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId ?? r.SourceSecurityGroupName;
  const pl = r.SourcePrefixListId ?? r.DestinationPrefixListId;
  if (peer !== undefined) {
    const g = net.byRef.get(peer);
    return g
      ? { group, item, egress, svc, peerGroup: g }
      : { group, item, egress, svc, undecided: `security group ${String(peer)} outside the assembly` };
  }
  return {
    group,
    item,
    egress,
    svc,
    undecided: pl !== undefined ? `prefix list ${String(pl)}` : 'a rule with no peer',
  };
}

/** Every security group rule, inline or standalone, with the VPC of its group. */
export function securityGroupRules(net: AwsNetwork): Array<SgRule & { vpc?: Vpc }> {
  const out: Array<SgRule & { vpc?: Vpc }> = [];
  for (const g of net.ofType('AWS::EC2::SecurityGroup')) {
    const vpc = net.vpcOf(g.props.VpcId);
    for (const r of asArray(g.props.SecurityGroupIngress))
      if (isRecord(r)) out.push({ ...sgRule(g, g, false, r, net), vpc });
    for (const r of asArray(g.props.SecurityGroupEgress))
      if (isRecord(r)) out.push({ ...sgRule(g, g, true, r, net), vpc });
  }
  for (const [type, egress] of [
    ['AWS::EC2::SecurityGroupIngress', false],
    ['AWS::EC2::SecurityGroupEgress', true],
  ] as const) {
    for (const i of net.ofType(type)) {
      const g = net.byRef.get(i.props.GroupId);
      out.push({
        ...sgRule(g ?? i, i, egress, i.props, net),
        // a group of the assembly, or a VPC's default group (Fn::GetAtt [Vpc, DefaultSecurityGroup])
        vpc: g
          ? g.resource.Type === 'AWS::EC2::VPC'
            ? net.vpcs.find((v) => v.item === g)
            : net.vpcOf(g.props.VpcId)
          : undefined,
        ...(g ? {} : { undecided: `security group ${String(i.props.GroupId)} outside the assembly` }),
      });
    }
  }
  return out;
}

/** The addresses of a group's members: the subnets of the VPC it lives in (members may sit in any of them). */
export function groupAddresses(group: CfnItem, net: AwsNetwork): CidrSet {
  return net.vpcOf(group.props.VpcId)?.cidr ?? CidrSet.EMPTY;
}

/**
 * Security group rules of `to` that admit some address of `from` (the listeners for the pair). A
 * group whose VPC is not known may be one of `to`'s: it counts, so no opening is missed.
 */
export function listeners<R extends SgRule & { readonly vpc?: Vpc }>(
  rules: readonly R[],
  net: AwsNetwork,
  from: CidrSet,
  to: Vpc,
): R[] {
  return rules.filter(
    (r) =>
      !r.egress &&
      (r.vpc === to || r.vpc === undefined) &&
      (r.undecided !== undefined ||
        (r.cidr
          ? r.cidr.overlaps(from)
          : r.peerGroup
            ? groupAddresses(r.peerGroup, net).overlaps(from)
            : false)),
  );
}
