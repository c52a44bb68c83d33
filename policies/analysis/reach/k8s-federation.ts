/**
 * A federation manager's Kueue namespace (where MultiKueue's controller runs), in the manager's
 * cluster: what its pods may open into other enclaves, evaluated like tenant reach (NetworkPolicy,
 * ClusterNetworkPolicy or Cilium) over address sets and ports. The declared path is each worker's
 * API endpoint on its port; every other address of an enclave, and every other port of an
 * endpoint, is probed and must be closed, and each endpoint must be open.
 */
import { KUEUE_NAMESPACE, WELL_KNOWN_LABEL } from '../../../infra/contract';
import type { CidrSet } from './cidr';
import type { DeclaredPath } from './federation-intent';
import type { Intent } from './intent';
import type { EvalContext } from './k8s-eval';
import { pairOpening } from './k8s-pairs';
import type { Endpoint } from './k8s-peers';
import { PROBES, service, type Service } from './ports';
import type { Opening } from './types';

export interface KueueEgress {
  /** Openings of the declared endpoints (to `enclave:<id>`). */
  readonly declared: readonly Opening[];
  /** Openings beyond them: other addresses of an enclave, other ports of an endpoint. */
  readonly beyond: readonly Opening[];
  /** Declared paths whose endpoint the namespace cannot reach. */
  readonly unreachable: readonly DeclaredPath[];
}

/** Every probe of an endpoint but its own port. */
function otherPorts(port: number): Service[] {
  return [
    ...(port > 0 ? [service(6, 0, port - 1)] : []),
    ...(port < 65535 ? [service(6, port + 1, 65535)] : []),
    ...PROBES.filter((p) => p.proto !== 6),
  ];
}

const ip = (set: CidrSet): Endpoint => ({ kind: 'ip', set, entities: ['world'] });

export function kueueEgress(
  ev: EvalContext,
  cluster: string,
  intent: Intent | undefined,
  podIps: CidrSet,
): KueueEgress | undefined {
  const paths = (intent?.paths ?? []).filter((p) => p.manager === cluster);
  if (!intent || paths.length === 0) return undefined;
  const ns = KUEUE_NAMESPACE;
  const pod: Endpoint = {
    kind: 'pod',
    ns: { name: ns, labels: { [WELL_KNOWN_LABEL.namespaceName]: ns } },
    ips: podIps,
  };
  const own = intent.clusterEnclave.get(cluster);
  const declared: Opening[] = [];
  const beyond: Opening[] = [];
  const unreachable: DeclaredPath[] = [];
  for (const e of intent.enclaves.filter((x) => x.id !== own)) {
    const to = `enclave:${e.id}`;
    const mine = paths.filter((p) => p.workerEnclave === e.id);
    const rest = mine.reduce((acc, p) => acc.minus(p.endpoint), e.cidr);
    const wide = rest.isEmpty() ? undefined : pairOpening(ev, pod, ip(rest), ns, to, PROBES, true);
    if (wide) beyond.push({ ...wide, what: `${wide.what} to ${rest} (beyond the declared endpoints)` });
    for (const p of mine) {
      const other = pairOpening(ev, pod, ip(p.endpoint), ns, to, otherPorts(p.port), true);
      if (other) beyond.push({ ...other, what: `${other.what} to ${p.address} (beyond tcp/${p.port})` });
      const api = pairOpening(ev, pod, ip(p.endpoint), ns, to, [service(6, p.port)], true);
      if (api) declared.push({ ...api, what: `tcp/${p.port} to ${p.address}/32`, cidrs: p.endpoint });
      else unreachable.push(p);
    }
  }
  return { declared, beyond, unreachable };
}
