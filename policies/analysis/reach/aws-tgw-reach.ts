/**
 * Reach through transit gateways of the assembly: from a subnet, traffic a route sends to a
 * transit gateway enters it through the attachment of the subnet's VPC and leaves through the
 * attachment of the VPC that holds the destination (aws-tgw). What arrives is what the source's
 * security groups let out and its subnet's network ACL passes, the destination subnet's network
 * ACL lets in, and a security group of the destination VPC admits; and the connection completes
 * only where the destination subnet's route table sends the source's addresses back to the same
 * gateway. Each opening names the destination enclave, with the addresses and the packets that
 * pass (as openings through a VPN do), so the federation path rule can hold it to an endpoint.
 */
import type { CfnItem } from '../../engine/cfn/template';
import type { AwsNetwork, Subnet, Vpc } from './aws-model';
import { aclAllows, listeners, type AclEntry, type SgRule } from './aws-filters';
import { exitsFrom, lookup, type Exit } from './aws-routes';
import { attachmentOf, type TgwAttachment, type TransitGateway } from './aws-tgw';
import { CidrSet } from './cidr';
import { describe, meet } from './ports';
import type { Opening, WitnessStep } from './types';

type Rule = SgRule & { vpc?: Vpc };

/** What of the source's addresses the destination subnet routes back to the gateway. */
function returnPath(
  t: Subnet,
  source: CidrSet,
  tgw: TransitGateway,
): { back: CidrSet; steps: WitnessStep[] } {
  let back = CidrSet.EMPTY;
  const steps: WitnessStep[] = [];
  for (const h of lookup(t.routeTable, source).hops)
    if (h.route.target.kind === 'tgw' && h.route.target.tgw === tgw) {
      back = back.union(h.part);
      steps.push({ text: `return ${h.step.text}`, ref: h.step.ref });
    }
  return { back, steps };
}

const attached = (a: TgwAttachment, vpc: Vpc): WitnessStep[] => [
  ...a.steps,
  { text: `attachment ${a.item.logicalId} of ${vpc.enclave}`, ref: a.item.ref },
];

interface Leg {
  readonly s: Subnet;
  readonly from: Vpc;
  readonly to: Vpc;
  readonly exit: Exit;
  readonly tgw: TransitGateway;
  readonly part: CidrSet;
  readonly steps: WitnessStep[];
}

function deliveries(
  net: AwsNetwork,
  acls: Map<CfnItem, AclEntry[]>,
  rules: readonly Rule[],
  leg: Leg,
): Opening[] {
  const { s, from, to, exit, tgw, part } = leg;
  const out: Opening[] = [];
  for (const rule of rules.filter((r) => r.egress && r.vpc === from && !r.peerGroup)) {
    const cidrs = rule.cidr ? rule.cidr.intersect(part) : part;
    if (cidrs.isEmpty()) continue;
    const outAcl = aclAllows(s.acl ? acls.get(s.acl) : undefined, true, cidrs, rule.svc);
    for (const t of net.subnets.filter((x) => x.vpc === to && x.cidr.overlaps(outAcl.allowed))) {
      const dst = outAcl.allowed.intersect(t.cidr);
      const inAcl = aclAllows(t.acl ? acls.get(t.acl) : undefined, false, s.cidr, rule.svc);
      const back = returnPath(t, s.cidr, tgw);
      if (inAcl.allowed.isEmpty() || back.back.isEmpty()) continue;
      for (const l of listeners(rules, net, s.cidr, to)) {
        const svc = meet(rule.svc, l.svc);
        if (!svc) continue;
        const undecided = rule.undecided || l.undecided || !back.back.covers(s.cidr);
        out.push({
          from: from.enclave,
          to: to.enclave,
          what: `${describe(svc)} to ${dst} (through transit gateway ${tgw.item.logicalId})`,
          witness: [
            { text: `subnet ${s.item.logicalId}`, ref: s.item.ref },
            ...exit.witness,
            ...leg.steps,
            ...outAcl.steps,
            ...inAcl.steps,
            ...back.steps,
            {
              text: `security group ${rule.group.logicalId} lets out ${describe(rule.svc)} to ${rule.cidr ?? rule.undecided}`,
              ref: rule.item.ref,
            },
            {
              text: `security group ${l.group.logicalId} admits ${describe(l.svc)} from ${l.cidr ?? (l.peerGroup ? `group ${l.peerGroup.logicalId}` : l.undecided)}`,
              ref: l.item.ref,
            },
          ],
          status: undecided ? 'undecided' : 'open',
          culprit: rule.item.ref,
          cidrs: dst,
          svc,
        });
      }
    }
  }
  return out;
}

/** Openings from each VPC through the transit gateways it routes to, into the VPCs attached to them. */
export function tgwReach(
  net: AwsNetwork,
  sources: readonly Subnet[],
  acls: Map<CfnItem, AclEntry[]>,
  rules: readonly Rule[],
): Opening[] {
  const out: Opening[] = [];
  if (net.tgw.gateways.length === 0) return out;
  for (const from of net.vpcs)
    for (const s of sources.filter((x) => x.vpc === from))
      for (const exit of exitsFrom(net, s, from.cidr.complement())) {
        const tgw = exit.tgw;
        const enter = tgw && attachmentOf(tgw, from);
        if (exit.via !== 'transit gateway' || !tgw || !enter) continue;
        for (const to of net.vpcs) {
          const leave = to !== from ? attachmentOf(tgw, to) : undefined;
          const part = exit.dest.intersect(to.cidr);
          if (!leave || part.isEmpty()) continue;
          const steps = [...attached(enter, from), ...attached(leave, to)];
          out.push(...deliveries(net, acls, rules, { s, from, to, exit, tgw, part, steps }));
        }
      }
  return out;
}
