/**
 * Intent = effect in the clusters: no tenant namespace reaches another tenant's pods, no tenant
 * reaches the metadata address, and in an enclave with no VPC of the assembly (on-prem, where the
 * cluster's policies are the only fence) tenants reach the internet only as the enclave's egress
 * allows.
 */
import { clusterRef } from '../../engine/k8s';
import type { ClusterReach } from './k8s-reach';
import { mayReach, type Intent } from './intent';
import { witnessText, type Difference, type Opening } from './types';

const diff = (c: ClusterReach, o: Opening, why: string): Difference => {
  const [site, cluster] = c.cluster.split('/');
  return {
    target: 'k8s',
    status: o.status === 'undecided' ? 'unknown' : 'fail',
    message: `${c.cluster}: ${o.from} -> ${o.to} (${o.what}); ${why}. Witness: ${witnessText(o.witness) || '(none)'}`,
    resource: o.culprit ?? clusterRef(site, cluster),
  };
};

export function k8sDifferences(
  clusters: readonly ClusterReach[],
  intent: Intent | undefined,
  enclavesWithVpc: ReadonlySet<string>,
): Difference[] {
  const out: Difference[] = [];
  for (const c of clusters) {
    const tenantNs = new Set(c.tenants.map((t) => t.ns));
    const enclave = intent?.enclaves.find((e) => e.id === c.enclave);
    for (const o of c.openings) {
      if (tenantNs.has(o.to)) out.push(diff(c, o, "a tenant namespace reaches another tenant's pods"));
      else if (o.to === 'metadata') out.push(diff(c, o, 'a tenant reaches the instance metadata address'));
      else if (o.to.startsWith('enclave:')) {
        const to = intent?.enclaves.find((e) => `enclave:${e.id}` === o.to);
        if (enclave && to && !enclavesWithVpc.has(enclave.id) && !mayReach(enclave, to))
          out.push(
            diff(
              c,
              o,
              `enclave ${to.id} does not list ${enclave.id} in reachableFrom, and ${enclave.id} has no VPC to stop it`,
            ),
          );
      } else if (
        o.to === 'internet' &&
        enclave &&
        !enclavesWithVpc.has(enclave.id) &&
        enclave.egress.mode === 'none'
      )
        out.push(
          diff(
            c,
            o,
            `enclave ${enclave.id} (${enclave.classification}) declares no egress and has no VPC to stop it`,
          ),
        );
    }
  }
  return out;
}
