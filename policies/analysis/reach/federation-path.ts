/**
 * Federation paths, intent = effect: from a manager's enclave (its VPC) and its Kueue namespace,
 * what opens into a worker's enclave is the worker's API endpoint on its port and nothing else,
 * and that endpoint is reached. On AWS each layer is held to it separately (a route to a VPN
 * gateway, a VPN static route, a security group egress rule into an enclave outside the assembly),
 * so a wider layer is named even while another still narrows the effect; the effect itself (the
 * VPN openings of aws-vpn) must reach each endpoint. In the manager's cluster, the Kueue
 * namespace's reach (k8s-federation). Closed world: an opening no federation declares is a finding.
 */
import type { CfnItem } from '../../engine/cfn/template';
import type { ResourceRef } from '../../engine/types';
import { clusterRef } from '../../engine/k8s';
import type { ReachAnalysis } from './index';
import type { AwsNetwork, Vpc } from './aws-model';
import { securityGroupRules } from './aws-filters';
import { CidrSet } from './cidr';
import type { DeclaredPath } from './federation-intent';
import { transitDifferences, transitWorkerEnclaves } from './federation-transit';
import type { Intent } from './intent';
import { covers, describe, service } from './ports';
import { witnessText, type Difference } from './types';

const fail = (
  target: 'aws' | 'k8s',
  resource: ResourceRef,
  message: string,
  unknown = false,
): Difference => ({
  target,
  status: unknown ? 'unknown' : 'fail',
  message,
  resource,
});

/** The declared endpoints of an enclave's managers, and the addresses of enclaves outside the assembly. */
function scope(net: AwsNetwork, intent: Intent, vpc: Vpc): { declared: DeclaredPath[]; offsite: CidrSet } {
  const declared = intent.paths.filter((p) => p.managerEnclave === vpc.enclave);
  const inAssembly = net.vpcs.reduce((acc, v) => acc.union(v.cidr), CidrSet.EMPTY);
  return { declared, offsite: inAssembly.complement() };
}

const endpointsOf = (paths: readonly DeclaredPath[]): CidrSet =>
  paths.reduce((acc, p) => acc.union(p.endpoint), CidrSet.EMPTY);

const who = (vpc: Vpc, paths: readonly DeclaredPath[]): string =>
  paths.length
    ? `enclave ${vpc.enclave} declares only ${paths.map((p) => `${p.address}:${p.port} (${p.federation}/${p.worker})`).join(', ')}`
    : `no federation declares a path from enclave ${vpc.enclave}`;

/** Routes to a VPN gateway and VPN static routes beyond the declared endpoints. */
function routeLayers(net: AwsNetwork, intent: Intent): Difference[] {
  const out: Difference[] = [];
  for (const vpc of net.vpcs) {
    const { declared } = scope(net, intent, vpc);
    const allowed = endpointsOf(declared);
    const vgws = net
      .ofType('AWS::EC2::VPCGatewayAttachment')
      .filter((a) => net.vpcOf(a.props.VpcId) === vpc && a.props.VpnGatewayId !== undefined)
      .map((a) => net.byRef.get(a.props.VpnGatewayId))
      .filter((g): g is CfnItem => g !== undefined);
    const isVgw = (ref: unknown): boolean => vgws.some((g) => g === net.byRef.get(ref));
    for (const r of net.ofType('AWS::EC2::Route')) {
      const t = net.byRef.get(r.props.RouteTableId);
      if (!isVgw(r.props.GatewayId) || !t || net.vpcOf(t.props.VpcId) !== vpc) continue;
      const dest = net.cidrOf(r.props.DestinationCidrBlock ?? r.props.DestinationIpv6CidrBlock);
      const extra = dest?.minus(allowed);
      if (!dest || !extra?.isEmpty())
        out.push(
          fail(
            'aws',
            r.ref,
            `route ${r.logicalId} sends ${dest ? extra : 'an undecidable destination'} to a VPN gateway of ${vpc.enclave}, beyond the federation path: ${who(vpc, declared)}`,
            !dest,
          ),
        );
    }
    for (const c of net.ofType('AWS::EC2::VPNConnection').filter((x) => isVgw(x.props.VpnGatewayId))) {
      if (c.props.StaticRoutesOnly !== true && c.props.StaticRoutesOnly !== 'true')
        out.push(
          fail(
            'aws',
            c.ref,
            `VPN connection ${c.logicalId} of ${vpc.enclave} learns routes by BGP: what it carries is not in the artifacts, and the federation path is static`,
            true,
          ),
        );
      for (const s of net
        .ofType('AWS::EC2::VPNConnectionRoute')
        .filter((x) => net.byRef.get(x.props.VpnConnectionId) === c)) {
        const extra = (net.cidrOf(s.props.DestinationCidrBlock) ?? CidrSet.ALL).minus(allowed);
        if (!extra.isEmpty())
          out.push(
            fail(
              'aws',
              s.ref,
              `VPN static route ${s.logicalId} carries ${extra} from ${vpc.enclave}, beyond the federation path: ${who(vpc, declared)}`,
            ),
          );
      }
    }
  }
  return out;
}

/** Devices whose onward path the assembly does not show: a route to one is a path off-site. */
const DEVICES = ['TransitGatewayId', 'NetworkInterfaceId', 'InstanceId', 'LocalGatewayId', 'CoreNetworkArn'];

/** Enclaves outside the assembly, and worker enclaves a transit gateway of the assembly joins. */
function guardedSet(net: AwsNetwork, intent: Intent): CidrSet {
  const joined = transitWorkerEnclaves(net, intent);
  return intent.enclaves
    .filter((e) => !net.vpcs.some((v) => v.enclave === e.id) || joined.has(e.id))
    .reduce((acc, e) => acc.union(e.cidr), CidrSet.EMPTY);
}

/**
 * Routes into a worker enclave through anything but a VPN gateway or a transit gateway of the
 * assembly (whose routes federation-transit judges): no federation declares them.
 */
function otherRoutes(net: AwsNetwork, intent: Intent): Difference[] {
  const guarded = guardedSet(net, intent);
  const out: Difference[] = [];
  for (const r of net.ofType('AWS::EC2::Route')) {
    const table = net.byRef.get(r.props.RouteTableId);
    const own = (table && net.vpcOf(table.props.VpcId)?.cidr) ?? CidrSet.EMPTY;
    if (r.props.TransitGatewayId !== undefined && net.tgw.linkOf(r, 'TransitGatewayId').tgw) continue;
    const device = DEVICES.find((k) => r.props[k] !== undefined);
    const dest = net.cidrOf(r.props.DestinationCidrBlock ?? r.props.DestinationIpv6CidrBlock);
    const into = dest?.intersect(guarded).minus(own);
    if (device && into && !into.isEmpty())
      out.push(
        fail(
          'aws',
          r.ref,
          `route ${r.logicalId} sends ${into} of an enclave outside the assembly to a ${device.replace(/(Id|Arn)$/, '')}: no federation path goes that way (a federation's path is a VPN gateway carrying a worker's API endpoint)`,
        ),
      );
  }
  return out;
}

/** Security group egress into addresses outside the assembly's VPCs' reach, beyond an endpoint and its port. */
function egressLayer(net: AwsNetwork, intent: Intent): Difference[] {
  const out: Difference[] = [];
  const guarded = guardedSet(net, intent);
  for (const rule of securityGroupRules(net)) {
    if (!rule.egress || !rule.vpc || !rule.cidr) continue;
    const into = rule.cidr.intersect(guarded).minus(rule.vpc.cidr);
    if (into.isEmpty()) continue;
    const { declared } = scope(net, intent, rule.vpc);
    const extra = into.minus(endpointsOf(declared));
    const ports = declared.filter((p) => into.overlaps(p.endpoint) && !covers(service(6, p.port), rule.svc));
    const why = [
      extra.isEmpty() ? '' : `addresses ${extra}`,
      ports.length
        ? `${describe(rule.svc)} to ${ports.map((p) => p.address).join(', ')}, beyond tcp/${ports.map((p) => p.port).join(', ')}`
        : '',
    ].filter(Boolean);
    if (why.length)
      out.push(
        fail(
          'aws',
          rule.item.ref,
          `security group ${rule.group.logicalId} of ${rule.vpc.enclave} lets out ${why.join(' and ')} into a worker enclave, beyond the federation path: ${who(rule.vpc, declared)}`,
        ),
      );
  }
  return out;
}

/** Each declared path whose manager enclave has a VPC in the assembly is open on AWS: endpoint and port. */
function reached(a: ReachAnalysis, intent: Intent): Difference[] {
  const net = a.aws?.net;
  if (!net) return [];
  const out: Difference[] = [];
  for (const p of intent.paths) {
    const vpc = net.vpcs.find((v) => v.enclave === p.managerEnclave);
    if (!vpc) continue;
    const ok = (a.aws?.openings ?? []).some(
      (o) =>
        o.from === p.managerEnclave &&
        o.to === p.workerEnclave &&
        o.status === 'open' &&
        o.cidrs?.covers(p.endpoint) &&
        o.svc &&
        covers(o.svc, service(6, p.port)),
    );
    if (!ok)
      out.push(
        fail(
          'aws',
          vpc.item.ref,
          `federation ${p.federation}: ${p.managerEnclave} does not reach worker ${p.worker}'s API ${p.address}:${p.port} in ${p.workerEnclave} (a route to a VPN gateway, a VPN static route and a security group egress must carry it; through a transit gateway, a route to it, the attachments of both VPCs, the worker's return route, a security group egress and one of the worker's that admits it)`,
        ),
      );
  }
  return out;
}

function k8sLayer(a: ReachAnalysis): Difference[] {
  const out: Difference[] = [];
  for (const c of a.k8s) {
    if (!c.federation) continue;
    const [site, cluster] = c.cluster.split('/');
    for (const o of c.federation.beyond)
      out.push(
        fail(
          'k8s',
          o.culprit ?? clusterRef(site, cluster),
          `${c.cluster}: ${o.from} -> ${o.to}: ${o.what}; the federation path is each worker's API endpoint only. Witness: ${witnessText(o.witness) || '(no policy isolates the namespace)'}`,
        ),
      );
    for (const p of c.federation.unreachable)
      out.push(
        fail(
          'k8s',
          clusterRef(site, cluster),
          `${c.cluster}: the Kueue namespace cannot reach worker ${p.worker}'s API ${p.address}:${p.port} (federation ${p.federation}): no egress policy admits it`,
        ),
      );
  }
  return out;
}

/** Every difference between the federation paths platform.json declares and the artifacts. */
export function federationPathDifferences(a: ReachAnalysis): Difference[] {
  const intent = a.intent;
  if (!intent) return [];
  const net = a.aws?.net;
  return [
    ...(net
      ? [
          ...routeLayers(net, intent),
          ...otherRoutes(net, intent),
          ...egressLayer(net, intent),
          ...transitDifferences(net, intent),
        ]
      : []),
    ...reached(a, intent),
    ...k8sLayer(a),
  ];
}
