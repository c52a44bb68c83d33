/**
 * Route evaluation: the longest prefix wins, evaluated over address sets (a route to 0.0.0.0/1
 * and one to 128.0.0.0/1 together carry what a default route would). From a subnet, traffic to a
 * set of destinations is followed through NAT gateways and network firewalls to where it leaves
 * the VPC: an internet gateway, a peering connection, a virtual private gateway (a VPN, whose
 * connections' static routes decide what it carries: see aws-vpn), a transit gateway of the
 * assembly (which delivers to the VPCs attached to it: see aws-tgw), or a device whose onward path
 * the assembly does not show (another transit gateway, instance, interface), which counts as leaving.
 */
import type { CfnItem } from '../../engine/cfn/template';
import type { AwsNetwork, Route, RouteTable, Subnet, Target } from './aws-model';
import type { TransitGateway } from './aws-tgw';
import { firewallVerdict, type FirewallVerdict } from './aws-firewalls';
import type { CidrSet } from './cidr';
import type { WitnessStep } from './types';

export interface Exit {
  /** How the traffic leaves the VPC. */
  readonly via:
    'internet gateway' | 'peering' | 'vpn gateway' | 'transit gateway' | 'outside device' | 'undecided route';
  readonly dest: CidrSet;
  /** The peering connection, for `peering`. */
  readonly pcx?: CfnItem;
  /** The virtual private gateway, for `vpn gateway`. */
  readonly vgw?: CfnItem;
  /** The transit gateway of the assembly, for `transit gateway` (aws-tgw). */
  readonly tgw?: TransitGateway;
  /** Firewalls passed on the way, each with what it lets through. */
  readonly filters: readonly FirewallVerdict[];
  readonly witness: readonly WitnessStep[];
}

const targetText = (t: Target): string => {
  switch (t.kind) {
    case 'local':
      return 'local';
    case 'igw':
      return `internet gateway ${t.item?.logicalId ?? ''}`.trim();
    case 'nat':
      return `NAT gateway ${t.item.logicalId}`;
    case 'pcx':
      return `peering connection ${t.item?.logicalId ?? '(outside the assembly)'}`;
    case 'firewall':
      return `network firewall ${t.item.logicalId}`;
    case 'endpoint':
      return `VPC endpoint ${t.item.logicalId}`;
    case 'vgw':
      return `VPN gateway ${t.item.logicalId}`;
    case 'tgw':
      return `transit gateway ${t.tgw.item.logicalId}`;
    default:
      return t.what;
  }
};

/** Routes most specific first (fewest addresses); routes of undecidable destination last. */
const ordered = (routes: readonly Route[]): Route[] =>
  [...routes].sort((a, b) => {
    if (!a.dest || !b.dest) return a.dest ? -1 : b.dest ? 1 : 0;
    const sa = a.dest.size();
    const sb = b.dest.size();
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });

export interface Hop {
  readonly route: Route;
  readonly part: CidrSet;
  readonly step: WitnessStep;
}

/** Which route carries which part of `dest` in a route table. */
export function lookup(table: RouteTable | undefined, dest: CidrSet): { hops: Hop[]; undecided: Route[] } {
  const hops: Hop[] = [];
  const undecided: Route[] = [];
  let remaining = dest;
  for (const route of ordered(table?.routes ?? [])) {
    if (remaining.isEmpty()) break;
    if (!route.dest) {
      if (route.target.kind !== 'endpoint') undecided.push(route);
      continue;
    }
    const part = remaining.intersect(route.dest);
    if (part.isEmpty()) continue;
    remaining = remaining.minus(route.dest);
    const label = route.item
      ? `route ${route.item.logicalId}`
      : `local route of ${table?.item?.logicalId ?? 'the main route table'}`;
    hops.push({
      route,
      part,
      step: { text: `${label}: ${part} -> ${targetText(route.target)}`, ref: route.item?.ref },
    });
  }
  return { hops, undecided };
}

const MAX_HOPS = 6;

/** Where traffic from `subnet` to `dest` leaves the VPC (or is dropped). */
export function exitsFrom(net: AwsNetwork, subnet: Subnet, dest: CidrSet): Exit[] {
  const out: Exit[] = [];
  const walk = (
    table: RouteTable | undefined,
    d: CidrSet,
    witness: WitnessStep[],
    filters: FirewallVerdict[],
    depth: number,
  ): void => {
    const { hops, undecided } = lookup(table, d);
    for (const r of undecided)
      out.push({
        via: 'undecided route',
        dest: d,
        filters,
        witness: [
          ...witness,
          {
            text: `route ${r.item?.logicalId ?? ''} to ${r.destText} -> ${targetText(r.target)}`,
            ref: r.item?.ref,
          },
        ],
      });
    for (const h of hops) {
      const w = [...witness, h.step];
      const t = h.route.target;
      if (depth >= MAX_HOPS)
        out.push({ via: 'outside device', dest: h.part, filters, witness: [...w, { text: 'route loop' }] });
      else if (t.kind === 'igw') out.push({ via: 'internet gateway', dest: h.part, filters, witness: w });
      else if (t.kind === 'pcx') out.push({ via: 'peering', dest: h.part, pcx: t.item, filters, witness: w });
      else if (t.kind === 'vgw')
        out.push({ via: 'vpn gateway', dest: h.part, vgw: t.item, filters, witness: w });
      else if (t.kind === 'tgw')
        out.push({ via: 'transit gateway', dest: h.part, tgw: t.tgw, filters, witness: w });
      else if (t.kind === 'nat') {
        const s = net.subnetOf(t.item.props.SubnetId);
        const priv = t.item.props.ConnectivityType === 'private';
        walk(
          s?.routeTable,
          h.part,
          [
            ...w,
            {
              text: `${priv ? 'private ' : ''}NAT gateway ${t.item.logicalId} in subnet ${s?.item.logicalId ?? '(unknown)'}`,
              ref: t.item.ref,
            },
          ],
          filters,
          depth + 1,
        );
      } else if (t.kind === 'firewall') {
        const mapping = (t.item.props.SubnetMappings as Array<Record<string, unknown>> | undefined)?.[0];
        const s = mapping ? net.subnetOf(mapping.SubnetId) : undefined;
        walk(s?.routeTable, h.part, w, [...filters, firewallVerdict(t.item, net)], depth + 1);
      } else if (t.kind === 'other') out.push({ via: 'outside device', dest: h.part, filters, witness: w });
      // local: stays in the VPC; endpoint: an AWS service, judged by the endpoint's policy
    }
  };
  walk(subnet.routeTable, dest, [], [], 0);
  return out;
}

/**
 * What passes the firewalls of an exit: addresses whatever the name (those every firewall passes),
 * and the names any of them allows by name (an over-approximation: never fewer than pass).
 */
export function throughFilters(exit: Exit): { cidrs: CidrSet; names: string[]; undecided: string[] } {
  let cidrs = exit.dest;
  const names = new Set<string>();
  const undecided: string[] = [];
  for (const f of exit.filters) {
    undecided.push(...f.undecided);
    cidrs = cidrs.intersect(f.passCidrs);
    for (const d of f.domains) names.add(d);
  }
  return { cidrs, names: [...names].sort(), undecided };
}
