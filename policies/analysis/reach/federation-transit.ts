/**
 * Federation paths through transit gateways, intent = effect, each layer held separately (as the
 * VPN's are in federation-path):
 *
 * - what a gateway joins: one manager enclave and the enclaves of its workers on one site that
 *   platform.json declares, no other VPC (in either account), and no VPC outside the assembly;
 * - routes to a gateway: in the manager's VPC, only its workers' API endpoints (each a /32); in a
 *   worker's VPC, only the manager's enclave (the return path); in any other VPC, nothing;
 * - who a gateway and the SSM parameter that publishes its id are shared with (AWS RAM): the
 *   accounts of the attached worker VPCs and no other principal; a share of anything else;
 * - closed world: a transit-gateway resource the analysis does not evaluate (a route table, a
 *   static route, a peering, VPN or Connect attachment), an attachment to a gateway the assembly
 *   does not hold, are findings.
 *
 * That each declared endpoint is reached is judged with the VPN's (federation-path `reached`).
 */
import { asArray, type CfnItem } from '../../engine/cfn/template';
import type { ResourceRef } from '../../engine/types';
import type { AwsNetwork, Vpc } from './aws-model';
import { UNDERSTOOD_TGW_TYPES, type TransitGateway } from './aws-tgw';
import { CidrSet } from './cidr';
import type { DeclaredPath } from './federation-intent';
import type { Intent } from './intent';
import type { Difference } from './types';

const fail = (resource: ResourceRef, message: string, unknown = false): Difference => ({
  target: 'aws',
  status: unknown ? 'unknown' : 'fail',
  message,
  resource,
});

/** The declared paths a gateway may carry: from its manager VPC to attached worker VPCs. */
interface Joined {
  readonly manager?: Vpc;
  readonly workers: Vpc[];
  readonly paths: DeclaredPath[];
}

function joined(tgw: TransitGateway, intent: Intent): Joined {
  const vpcs = [...new Set(tgw.attachments.map((a) => a.vpc).filter((v): v is Vpc => v !== undefined))];
  const pathsFrom = (m: Vpc) =>
    intent.paths.filter(
      (p) => p.managerEnclave === m.enclave && vpcs.some((w) => w.enclave === p.workerEnclave),
    );
  // The manager is the attached VPC of the gateway's own stack with declared paths to attached VPCs.
  const managers = vpcs.filter((v) => pathsFrom(v).length > 0);
  const manager = managers.find((v) => v.item.stack === tgw.item.stack) ?? managers[0];
  const paths = manager ? pathsFrom(manager) : [];
  const workers = vpcs.filter((v) => paths.some((p) => p.workerEnclave === v.enclave));
  return { manager, workers, paths };
}

/** Attachments beyond one manager and its declared workers on one site. */
function attachmentLayer(intent: Intent, tgw: TransitGateway, j: Joined): Difference[] {
  const out: Difference[] = [];
  const site = (v: Vpc) => intent.enclaves.find((e) => e.id === v.enclave)?.site;
  const workerSite = j.workers.length ? site(j.workers[0]) : undefined;
  const declared = j.manager
    ? `it joins ${j.manager.enclave} to ${j.paths.map((p) => `${p.workerEnclave} (${p.federation}/${p.worker})`).join(', ')}`
    : 'no federation declares a path across it';
  for (const a of tgw.attachments) {
    const v = a.vpc;
    const why = !v
      ? 'a VPC outside the assembly'
      : v === j.manager
        ? ''
        : !j.workers.includes(v)
          ? `${v.enclave}, which no federation path across it needs`
          : site(v) !== workerSite
            ? `${v.enclave} of site ${site(v)}, while it serves partner site ${workerSite}: partners never share a gateway`
            : '';
    if (why)
      out.push(
        fail(
          a.item.ref,
          `attachment ${a.item.logicalId} joins ${why} to transit gateway ${tgw.item.logicalId}, beyond the federation path: ${declared}`,
        ),
      );
  }
  return out;
}

/** Routes to the gateway: endpoints from the manager, the manager's enclave back, nothing elsewhere. */
function routeLayer(net: AwsNetwork, intent: Intent, tgw: TransitGateway, j: Joined): Difference[] {
  const out: Difference[] = [];
  for (const r of net.ofType('AWS::EC2::Route')) {
    if (r.props.TransitGatewayId === undefined || net.tgw.linkOf(r, 'TransitGatewayId').tgw !== tgw) continue;
    const table = net.byRef.get(r.props.RouteTableId);
    const vpc = table ? net.vpcOf(table.props.VpcId) : undefined;
    const managerCidr = (p: DeclaredPath) =>
      intent.enclaves.find((e) => e.id === p.managerEnclave)?.cidr ?? CidrSet.EMPTY;
    const allowed =
      vpc && vpc === j.manager
        ? j.paths.reduce((acc, p) => acc.union(p.endpoint), CidrSet.EMPTY)
        : vpc && j.workers.includes(vpc)
          ? j.paths
              .filter((p) => p.workerEnclave === vpc.enclave)
              .reduce((acc, p) => acc.union(managerCidr(p)), CidrSet.EMPTY)
          : CidrSet.EMPTY;
    const role =
      vpc && vpc === j.manager
        ? `from manager enclave ${vpc.enclave} only its workers' API endpoints ${j.paths.map((p) => `${p.address}/32`).join(', ')}`
        : vpc && j.workers.includes(vpc)
          ? `from worker enclave ${vpc.enclave} only its manager's enclave ${allowed}`
          : `nothing from ${vpc?.enclave ?? 'a route table outside the assembly'}, which no federation path across it joins`;
    const dest = net.cidrOf(r.props.DestinationCidrBlock ?? r.props.DestinationIpv6CidrBlock);
    const extra = dest?.minus(allowed);
    if (r.props.DestinationPrefixListId !== undefined || !dest || !extra?.isEmpty())
      out.push(
        fail(
          r.ref,
          `route ${r.logicalId} sends ${dest && extra ? extra : 'an undecidable destination'} to transit gateway ${tgw.item.logicalId}, beyond the federation path: it carries ${role}`,
          !dest,
        ),
      );
  }
  return out;
}

/** Shares of the gateway or of its parameter: with the attached workers' accounts only. */
function shareLayer(net: AwsNetwork, j: Joined, tgw: TransitGateway): Difference[] {
  const out: Difference[] = [];
  const arns = [tgw.item, ...tgw.parameters].flatMap((i) => net.tgw.arnsOf(i));
  const accounts = new Set(
    j.workers.map((w) => w.item.stack.account).filter((a) => a !== undefined && a !== tgw.item.stack.account),
  );
  for (const s of net.tgw.shares) {
    if (!asArray(s.props.ResourceArns).some((a) => typeof a === 'string' && arns.includes(a))) continue;
    const others = asArray(s.props.Principals).filter((p) => typeof p !== 'string' || !accounts.has(p));
    const sources = asArray(s.props.Sources);
    if (others.length || sources.length)
      out.push(
        fail(
          s.ref,
          `RAM share ${s.logicalId} shares transit gateway ${tgw.item.logicalId} or the parameter holding its id with ${[...others, ...sources].map(String).join(', ')}, beyond the federation path: only the account${accounts.size === 1 ? '' : 's'} of its worker enclaves (${[...accounts].sort().join(', ') || 'none'}) may attach to it`,
        ),
      );
  }
  return out;
}

/** Shares of anything but a gateway and its parameter, and transit-gateway resources not understood. */
function closedWorld(net: AwsNetwork): Difference[] {
  const out: Difference[] = [];
  const known = net.tgw.gateways.flatMap((g) => [g.item, ...g.parameters]).flatMap((i) => net.tgw.arnsOf(i));
  for (const s of net.tgw.shares) {
    const other = asArray(s.props.ResourceArns).filter((a) => typeof a !== 'string' || !known.includes(a));
    if (other.length)
      out.push(
        fail(
          s.ref,
          `RAM share ${s.logicalId} shares ${other.map(String).join(', ')}, which is no federation transit gateway or the parameter holding its id: the analysis cannot tell what it opens`,
        ),
      );
  }
  for (const i of new Set<CfnItem>(net.byRef.values())) {
    const type = i.resource.Type;
    if (/TransitGateway/.test(type) && !UNDERSTOOD_TGW_TYPES.has(type))
      out.push(
        fail(
          i.ref,
          `${type} ${i.logicalId} is a transit gateway resource the federation path analysis does not evaluate: what it routes or attaches could carry anything`,
        ),
      );
    else if (type === 'AWS::EC2::VPNConnection' && i.props.TransitGatewayId !== undefined)
      out.push(
        fail(
          i.ref,
          `VPN connection ${i.logicalId} attaches to a transit gateway: what it carries is not evaluated by the federation path analysis`,
        ),
      );
  }
  for (const { item: a, reason } of net.tgw.unlinked)
    out.push(
      fail(
        a.ref,
        `attachment ${a.logicalId} joins ${net.vpcOf(a.props.VpcId)?.enclave ?? 'a VPC'} to a transit gateway whose path the analysis cannot follow: ${reason}`,
      ),
    );
  return out;
}

/** Every difference between the declared paths and the transit gateways of the assembly. */
export function transitDifferences(net: AwsNetwork, intent: Intent): Difference[] {
  const out: Difference[] = [];
  for (const tgw of net.tgw.gateways) {
    const j = joined(tgw, intent);
    out.push(
      ...attachmentLayer(intent, tgw, j),
      ...routeLayer(net, intent, tgw, j),
      ...shareLayer(net, j, tgw),
    );
  }
  return [...out, ...closedWorld(net)];
}

/** Worker enclaves joined to a manager by a transit gateway of the assembly. */
export function transitWorkerEnclaves(net: AwsNetwork, intent: Intent): Set<string> {
  return new Set(net.tgw.gateways.flatMap((g) => joined(g, intent).workers.map((w) => w.enclave)));
}
