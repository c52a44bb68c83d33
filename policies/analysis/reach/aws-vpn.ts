/**
 * Reach through site-to-site VPNs: from an enclave VPC, traffic a route sends to a virtual private
 * gateway reaches the far side only where a VPN connection of that gateway carries it. A connection
 * with static routes only carries its static routes (VPNConnectionRoute); one that learns routes by
 * BGP may carry anything (undecided). What leaves is then what the security groups of the VPC let
 * out (egress rules to those addresses) and the subnet's network ACL passes. Each opening names the
 * enclave of the intent the addresses belong to, or `off-site` where none declares them.
 */
import type { CfnItem } from '../../engine/cfn/template';
import type { AwsNetwork, Subnet, Vpc } from './aws-model';
import { aclAllows, type AclEntry, type SgRule } from './aws-filters';
import { exitsFrom, type Exit } from './aws-routes';
import { CidrSet } from './cidr';
import type { Intent } from './intent';
import { describe } from './ports';
import type { Opening, WitnessStep } from './types';

/** What the VPN connections of a gateway carry, with the static routes that carry it. */
interface Carried {
  readonly cidrs: CidrSet;
  readonly steps: WitnessStep[];
  readonly undecided: boolean;
}

function carriedBy(net: AwsNetwork, vgw: CfnItem, dest: CidrSet): Carried {
  const gw = (v: unknown) => net.byRef.get(v) === vgw;
  let cidrs = CidrSet.EMPTY;
  const steps: WitnessStep[] = [];
  let undecided = false;
  for (const c of net.ofType('AWS::EC2::VPNConnection').filter((x) => gw(x.props.VpnGatewayId))) {
    const staticOnly = c.props.StaticRoutesOnly === true || c.props.StaticRoutesOnly === 'true';
    if (!staticOnly) {
      undecided = true;
      cidrs = cidrs.union(dest);
      steps.push({ text: `VPN connection ${c.logicalId} learns its routes by BGP`, ref: c.ref });
      continue;
    }
    for (const r of net.ofType('AWS::EC2::VPNConnectionRoute')) {
      if (net.byRef.get(r.props.VpnConnectionId) !== c) continue;
      const part = (net.cidrOf(r.props.DestinationCidrBlock) ?? CidrSet.EMPTY).intersect(dest);
      if (part.isEmpty()) continue;
      cidrs = cidrs.union(part);
      steps.push({
        text: `VPN static route ${r.logicalId}: ${part} over connection ${c.logicalId}`,
        ref: r.ref,
      });
    }
  }
  return { cidrs, steps, undecided };
}

/** The enclaves of the intent (not in the assembly) a set falls in, and what falls in none. */
function destinations(set: CidrSet, intent: Intent | undefined, net: AwsNetwork): [string, CidrSet][] {
  const out: [string, CidrSet][] = [];
  let rest = set;
  for (const e of intent?.enclaves ?? []) {
    if (net.vpcs.some((v) => v.enclave === e.id)) continue;
    const part = rest.intersect(e.cidr);
    if (!part.isEmpty()) out.push([e.id, part]);
    rest = rest.minus(e.cidr);
  }
  if (!rest.isEmpty()) out.push(['off-site', rest]);
  return out;
}

function exitOpenings(
  net: AwsNetwork,
  vpc: Vpc,
  s: Subnet,
  exit: Exit,
  egress: readonly SgRule[],
  acl: AclEntry[] | undefined,
  intent: Intent | undefined,
): Opening[] {
  const vgw = exit.vgw as CfnItem;
  const carried = carriedBy(net, vgw, exit.dest);
  const out: Opening[] = [];
  // a rule to another group reaches members inside the VPC, never the far side of the VPN
  for (const rule of egress.filter((r) => !r.peerGroup)) {
    const cidrs = rule.cidr ? rule.cidr.intersect(carried.cidrs) : carried.cidrs;
    if (cidrs.isEmpty()) continue;
    const outAcl = aclAllows(acl, true, cidrs, rule.svc);
    for (const [to, part] of destinations(outAcl.allowed, intent, net))
      out.push({
        from: vpc.enclave,
        to,
        what: `${describe(rule.svc)} to ${part} (through VPN gateway ${vgw.logicalId})`,
        witness: [
          { text: `subnet ${s.item.logicalId}`, ref: s.item.ref },
          ...exit.witness,
          ...carried.steps,
          ...outAcl.steps,
          {
            text: `security group ${rule.group.logicalId} lets out ${describe(rule.svc)} to ${rule.cidr ?? rule.undecided}`,
            ref: rule.item.ref,
          },
        ],
        status: carried.undecided || rule.undecided ? 'undecided' : 'open',
        culprit: rule.item.ref,
        cidrs: part,
        svc: rule.svc,
      });
  }
  return out;
}

export interface VpnReach {
  readonly openings: Opening[];
  /** `from|to` for each enclave (or `off-site`) a route sends to a VPN gateway that carries it. */
  readonly routed: Set<string>;
}

/** Openings from each enclave VPC through its VPN gateways, per source subnet and egress rule. */
export function vpnReach(
  net: AwsNetwork,
  sources: readonly Subnet[],
  acls: Map<CfnItem, AclEntry[]>,
  rules: ReadonlyArray<SgRule & { vpc?: Vpc }>,
  intent: Intent | undefined,
): VpnReach {
  const openings: Opening[] = [];
  const routed = new Set<string>();
  const inAssembly = net.vpcs.reduce((acc, v) => acc.union(v.cidr), CidrSet.EMPTY);
  for (const vpc of net.vpcs) {
    const egress = rules.filter((r) => r.egress && r.vpc === vpc);
    for (const s of sources.filter((x) => x.vpc === vpc))
      for (const exit of exitsFrom(net, s, inAssembly.complement())) {
        if (exit.via !== 'vpn gateway' || !exit.vgw) continue;
        const carried = carriedBy(net, exit.vgw, exit.dest);
        for (const [to] of destinations(carried.cidrs, intent, net)) routed.add(`${vpc.enclave}|${to}`);
        openings.push(
          ...exitOpenings(net, vpc, s, exit, egress, s.acl ? acls.get(s.acl) : undefined, intent),
        );
      }
  }
  return { openings, routed };
}
