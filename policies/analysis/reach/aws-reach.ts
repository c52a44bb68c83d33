/**
 * Enclave reach on AWS: from each enclave VPC, what leaves it for addresses outside every enclave
 * (the internet, or networks the assembly does not hold), which names its resolver answers, and
 * which other enclave VPCs it can open connections into (route, network ACLs both ways, and a
 * security group of the destination that admits it).
 */
import type { CfnItem } from '../../engine/cfn/template';
import type { RuleContext } from '../../engine/types';
import { buildNetwork, type AwsNetwork, type Subnet, type Vpc } from './aws-model';
import { aclAllows, aclEntries, listeners, securityGroupRules, type AclEntry } from './aws-filters';
import { dnsVerdict } from './aws-firewalls';
import { exitsFrom, throughFilters, type Exit } from './aws-routes';
import { vpnReach } from './aws-vpn';
import { attachmentOf } from './aws-tgw';
import { tgwReach } from './aws-tgw-reach';
import { CidrSet } from './cidr';
import type { Intent } from './intent';
import { describe, meet, PROBES, type Service } from './ports';
import type { Opening, WitnessStep } from './types';

export interface AwsReach {
  readonly net: AwsNetwork;
  readonly openings: Opening[];
  /** `from|to` for enclave pairs a route carries traffic between (whether or not a listener admits it). */
  readonly routed: Set<string>;
  /** Names each enclave VPC's resolver answers. */
  readonly dns: Map<
    string,
    { names: readonly string[]; witness: readonly WitnessStep[]; undecided: readonly string[]; vpc: Vpc }
  >;
}

/** Addresses of no enclave: neither a VPC of the assembly nor an enclave of the intent. */
export function outsideSet(net: AwsNetwork, intent: Intent | undefined): CidrSet {
  let inside = net.vpcs.reduce((acc, v) => acc.union(v.cidr), CidrSet.EMPTY);
  for (const e of intent?.enclaves ?? []) inside = inside.union(e.cidr);
  return inside.complement();
}

function exitOpening(
  net: AwsNetwork,
  vpc: Vpc,
  s: Subnet,
  exit: Exit,
  acl: AclEntry[] | undefined,
): Opening | undefined {
  let allowed = CidrSet.EMPTY;
  const steps: WitnessStep[] = [];
  for (const p of PROBES) {
    const a = aclAllows(acl, true, exit.dest, p);
    allowed = allowed.union(a.allowed);
    steps.push(...a.steps);
  }
  if (allowed.isEmpty()) return undefined;
  // A VPN carries only what its connections route (aws-vpn): never the internet's traffic; a
  // transit gateway of the assembly delivers only to the VPCs attached to it (aws-tgw-reach).
  if (exit.via === 'vpn gateway') return undefined;
  if (exit.via === 'transit gateway' && exit.tgw?.attachments.every((a) => a.vpc !== undefined))
    return undefined;
  // A peering connection to a VPC of the assembly carries no transit: addresses beyond that VPC are dropped.
  const peer =
    exit.pcx &&
    [net.vpcOf(exit.pcx.props.VpcId), net.vpcOf(exit.pcx.props.PeerVpcId)].find(
      (v) => v !== undefined && v !== vpc,
    );
  if (exit.via === 'peering' && peer) return undefined;
  const f = throughFilters({ ...exit, dest: allowed });
  if (f.cidrs.isEmpty() && f.names.length === 0 && f.undecided.length === 0) return undefined;
  const what = [
    f.cidrs.isEmpty() ? '' : `addresses ${f.cidrs}`,
    f.names.length ? `names ${f.names.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const witness = [
    { text: `subnet ${s.item.logicalId}`, ref: s.item.ref },
    ...exit.witness,
    ...exit.filters.flatMap((x) => x.steps),
    ...dedupe(steps),
  ];
  const via = exit.via === 'peering' ? 'a peering connection to a VPC outside the assembly' : exit.via;
  const culprit = exit.witness.find((w) => w.ref)?.ref ?? s.item.ref;
  return {
    from: vpc.enclave,
    to: 'internet',
    what: `${what || 'undecided traffic'} (through ${via})`,
    witness,
    status: exit.via === 'undecided route' || (f.undecided.length && !what) ? 'undecided' : 'open',
    culprit,
    cidrs: f.cidrs,
    names: f.names,
  };
}

const dedupe = (steps: WitnessStep[]): WitnessStep[] => [...new Map(steps.map((s) => [s.text, s])).values()];

function pairOpenings(
  net: AwsNetwork,
  acls: Map<CfnItem, AclEntry[]>,
  rules: ReturnType<typeof securityGroupRules>,
  from: Vpc,
  to: Vpc,
  routed: Set<string>,
  sources: readonly Subnet[],
): Opening[] {
  const out: Opening[] = [];
  for (const s of sources.filter((x) => x.vpc === from)) {
    for (const exit of exitsFrom(net, s, to.cidr)) {
      if (exit.via === 'internet gateway') continue;
      if (
        exit.via === 'peering' &&
        exit.pcx &&
        ![exit.pcx.props.VpcId, exit.pcx.props.PeerVpcId].some((v) => net.vpcOf(v) === to)
      )
        continue;
      if (exit.via === 'transit gateway') {
        // Openings through a transit gateway are tgwReach's (aws-tgw-reach.ts): the routed part
        // only, with the return route and the source's egress.
        if (exit.tgw && attachmentOf(exit.tgw, from) && attachmentOf(exit.tgw, to))
          routed.add(`${from.enclave}|${to.enclave}`);
        continue;
      }
      routed.add(`${from.enclave}|${to.enclave}`);
      for (const rule of listeners(rules, net, s.cidr, to)) {
        const svc: Service | undefined = meet(rule.svc, rule.svc);
        if (!svc) continue;
        const outAcl = aclAllows(s.acl ? acls.get(s.acl) : undefined, true, exit.dest, svc);
        if (outAcl.allowed.isEmpty()) continue;
        const targets = net.subnets.filter((t) => t.vpc === to && t.cidr.overlaps(outAcl.allowed));
        for (const t of targets) {
          const inAcl = aclAllows(t.acl ? acls.get(t.acl) : undefined, false, s.cidr, svc);
          if (inAcl.allowed.isEmpty()) continue;
          const witness = [
            { text: `subnet ${s.item.logicalId}`, ref: s.item.ref },
            ...exit.witness,
            ...outAcl.steps,
            ...inAcl.steps,
            {
              text: `security group ${rule.group.logicalId} admits ${describe(rule.svc)} from ${rule.cidr ?? (rule.peerGroup ? `group ${rule.peerGroup.logicalId}` : rule.undecided)}`,
              ref: rule.item.ref,
            },
          ];
          const status = rule.undecided ? 'undecided' : 'open';
          out.push({
            from: from.enclave,
            to: to.enclave,
            what: `${describe(svc)} to ${t.cidr} (subnet ${t.item.logicalId})`,
            witness,
            status,
            culprit: rule.item.ref,
          });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Subnets traffic may start from: every subnet but those that hold only NAT gateways and network
 * firewall endpoints (their traffic is the traffic they forward, already on the path). A subnet
 * that anything else names (a cluster, a node group, an endpoint, an instance) is a source.
 */
export function sourceSubnets(net: AwsNetwork): Subnet[] {
  const infra = new Set<unknown>();
  for (const n of net.ofType('AWS::EC2::NatGateway')) infra.add(n.props.SubnetId);
  for (const f of net.ofType('AWS::NetworkFirewall::Firewall'))
    for (const m of Array.isArray(f.props.SubnetMappings) ? f.props.SubnetMappings : [])
      infra.add((m as Record<string, unknown>).SubnetId);
  const used = new Set<unknown>();
  // each subnet's reference and its JSON text, resolved once (not once per resource)
  const refs: Array<[string, string]> = [];
  for (const s of net.subnets) {
    const ref = refOf(s);
    if (typeof ref === 'string') refs.push([ref, JSON.stringify(ref)]);
  }
  for (const type of new Set(net.byRef.values())) {
    if (
      type.resource.Type === 'AWS::EC2::NatGateway' ||
      type.resource.Type === 'AWS::NetworkFirewall::Firewall' ||
      /RouteTableAssociation|NetworkAclAssociation|::Subnet$/.test(type.resource.Type)
    )
      continue;
    const text = JSON.stringify(type.props);
    for (const [ref, quoted] of refs) if (text.includes(quoted)) used.add(ref);
  }
  return net.subnets.filter((s) => !infra.has(refOf(s)) || used.has(refOf(s)));
}
const refOf = (s: Subnet): unknown => s.item.resolver.resolve({ Ref: s.item.logicalId });

export function awsReach(ctx: RuleContext, intent: Intent | undefined): AwsReach {
  const net = buildNetwork(ctx, intent);
  const acls = aclEntries(net);
  const rules = securityGroupRules(net);
  const outside = outsideSet(net, intent);
  const openings: Opening[] = [];
  const dns: AwsReach['dns'] = new Map();
  const routed = new Set<string>();
  // every resource's properties are searched for subnet references: once, not per pair of VPCs
  const sources = sourceSubnets(net);
  for (const vpc of net.vpcs) {
    for (const s of sources.filter((x) => x.vpc === vpc)) {
      for (const exit of exitsFrom(net, s, outside)) {
        const o = exitOpening(net, vpc, s, exit, s.acl ? acls.get(s.acl) : undefined);
        if (o) openings.push(o);
      }
    }
    const d = dnsVerdict(net, vpc);
    dns.set(vpc.enclave, { names: d.names, witness: d.steps, undecided: d.undecided, vpc });
    for (const other of net.vpcs)
      if (other !== vpc) openings.push(...pairOpenings(net, acls, rules, vpc, other, routed, sources));
  }
  const vpn = vpnReach(net, sources, acls, rules, intent);
  openings.push(...vpn.openings, ...tgwReach(net, sources, acls, rules));
  for (const r of vpn.routed) routed.add(r);
  return { net, openings, routed, dns };
}
