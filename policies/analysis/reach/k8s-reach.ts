/**
 * Tenant reach in each cluster: tenant namespace x tenant namespace, and tenant namespace -> the
 * cluster's services (DNS, API server, metadata address, node ports), the dataset storage
 * endpoints of its enclave, and the internet. Pods are known by namespace (see k8s-peers), so the
 * work is linear in policies per pair of tenants and never enumerates pods.
 */
import { clusterOf, k8sDocs, namespaceLabels, tenantNamespaces } from '../../engine/k8s';
import { groupBy } from '../../engine/memo';
import type { K8sDocument, RuleContext } from '../../engine/types';
import { CidrSet, INTERNET, METADATA } from './cidr';
import { ciliumPolicy } from './k8s-cilium';
import { type EvalContext } from './k8s-eval';
import { kueueEgress, type KueueEgress } from './k8s-federation';
import { pairOpening, tenantOpenings, type TenantPod } from './k8s-pairs';
import type { Endpoint, Ns } from './k8s-peers';
import { collectPolicies } from './k8s-policies';
import type { Intent } from './intent';
import { PROBES, service, type Service } from './ports';
import type { Opening } from './types';
import { WELL_KNOWN_LABEL } from '../../../infra/contract';

export const SERVICES = ['dns', 'api-server', 'metadata', 'node-ports', 'storage', 'internet'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ClusterReach {
  readonly cluster: string;
  readonly enclave?: string;
  readonly cilium: boolean;
  readonly tenants: ReadonlyArray<{ tenant: string; ns: string; doc: K8sDocument }>;
  /** Openings between tenants (`to` is a namespace) and to services (`to` is a service name). */
  readonly openings: Opening[];
  /** On a federation manager with workers on other sites: its Kueue namespace's reach into enclaves. */
  readonly federation?: KueueEgress;
}

interface Target {
  /** A cluster service, or `enclave:<id>` for the addresses of another enclave. */
  readonly name: ServiceName | `enclave:${string}`;
  readonly ep: Endpoint;
  readonly probes: readonly Service[];
}

function targets(enclaveCidr: CidrSet | undefined): Target[] {
  const nodes = enclaveCidr ?? CidrSet.ALL;
  const kubeSystem: Ns = { name: 'kube-system', labels: { [WELL_KNOWN_LABEL.namespaceName]: 'kube-system' } };
  return [
    {
      name: 'dns',
      ep: { kind: 'pod', ns: kubeSystem, podLabels: { 'k8s-app': 'kube-dns' }, ips: nodes },
      probes: [service(17, 53), service(6, 53)],
    },
    {
      name: 'api-server',
      ep: { kind: 'ip', set: nodes, entities: ['kube-apiserver', 'host', 'remote-node', 'cluster'] },
      probes: [service(6, 443), service(6, 6443)],
    },
    { name: 'metadata', ep: { kind: 'ip', set: METADATA, entities: ['world', 'host'] }, probes: PROBES },
    {
      name: 'node-ports',
      ep: { kind: 'ip', set: nodes, entities: ['host', 'remote-node', 'cluster'] },
      probes: [service(6, 30000, 32767), service(17, 30000, 32767)],
    },
    {
      name: 'storage',
      ep: { kind: 'ip', set: nodes, entities: ['world'] },
      probes: [service(6, 443), service(6, 2049), service(6, 988)],
    },
    {
      name: 'internet',
      ep: { kind: 'ip', set: INTERNET.minus(nodes), entities: ['world'], name: '*' },
      probes: PROBES,
    },
  ];
}

function isCilium(intent: Intent | undefined, site: string, docs: readonly K8sDocument[]): boolean {
  const cni = intent?.cni.get(site);
  if (cni !== undefined) return cni === 'cilium';
  return docs.some((d) => d.object.apiVersion.startsWith('cilium.io/'));
}

export function k8sReach(ctx: RuleContext, intent: Intent | undefined): ClusterReach[] {
  const out: ClusterReach[] = [];
  const tenantsAll = tenantNamespaces(ctx);
  const byCluster = groupBy(k8sDocs(ctx), clusterOf);
  for (const [cluster, docs] of [...byCluster].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [site, clusterId] = cluster.split('/');
    const enclaveId = intent?.clusterEnclave.get(clusterId);
    const enclave = intent?.enclaves.find((e) => e.id === enclaveId);
    const cilium = isCilium(intent, site, docs);
    // On EKS (an AWS site) the VPC CNI gives pods addresses of the VPC, the enclave's CIDR; elsewhere the pod range is not in the artifacts.
    const podIps = enclave && intent?.awsSites.has(site) ? enclave.cidr : CidrSet.ALL;
    const nsDocs = new Map(
      docs.filter((d) => d.object.kind === 'Namespace').map((d) => [String(d.object.metadata.name), d]),
    );
    const ev: EvalContext = {
      policies: collectPolicies(docs, cilium, ciliumPolicy),
      cilium,
      namespaceDoc: (ns) => nsDocs.get(ns),
    };
    const tenants = tenantsAll
      .filter((t) => clusterOf(t.doc) === cluster)
      .map((t) => ({ tenant: t.tenant, ns: String(t.doc.object.metadata.name), doc: t.doc }));
    const pods: TenantPod[] = tenants.map((t) => ({
      tenant: t.tenant,
      ns: t.ns,
      pod: { kind: 'pod', ns: { name: t.ns, labels: namespaceLabels(t.doc.object) }, ips: podIps },
    }));
    const others: Target[] = (intent?.enclaves ?? [])
      .filter((e) => e.id !== enclaveId)
      .map((e) => ({
        name: `enclave:${e.id}`,
        ep: { kind: 'ip', set: e.cidr, entities: ['world'] },
        probes: PROBES,
      }));
    const services = [...targets(enclave?.cidr), ...others];
    const between = tenantOpenings(ev, pods);
    const openings: Opening[] = [];
    pods.forEach((a, i) => {
      openings.push(...between[i]);
      for (const t of services) {
        const o = pairOpening(ev, a.pod, t.ep, a.ns, t.name, t.probes, true);
        if (o) openings.push(o);
      }
    });
    const federation = kueueEgress(ev, clusterId, intent, podIps);
    out.push({
      cluster,
      enclave: enclaveId,
      cilium,
      tenants,
      openings,
      ...(federation ? { federation } : {}),
    });
  }
  return out;
}
