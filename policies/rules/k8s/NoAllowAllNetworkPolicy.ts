import { defineRule } from '../../engine/rule-kit';
import { isRec, k8sDocs, refOf, specOf, tenantNamespaceIndex, tenantOfDoc } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { CidrSet, INTERNET } from '../../analysis/reach/cidr';
import { blockSet } from '../../analysis/reach/k8s-peers';
import { exNamespace, k8s } from '../../examples/builders';
import { WELL_KNOWN_LABEL } from '../../../infra/contract';

const policy = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'tenant-acme' },
  spec: { podSelector: {}, ...spec },
});

function openings(direction: 'ingress' | 'egress', rules: unknown): string[] {
  const out: string[] = [];
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  for (const r of Array.isArray(rules) ? rules : []) {
    if (!isRec(r)) continue;
    const peers = r[peersKey];
    if (peers === undefined || (Array.isArray(peers) && peers.length === 0)) {
      out.push(
        r.ports === undefined
          ? `${direction} rule allows all traffic`
          : `${direction} rule allows the listed ports to and from anywhere`,
      );
      continue;
    }
    // the ipBlocks of a rule together (cidr less except, as address sets): every internet address is "anywhere"
    let blocks = CidrSet.EMPTY;
    for (const p of Array.isArray(peers) ? peers : [])
      if (isRec(p) && isRec(p.ipBlock))
        blocks = blocks.union(blockSet(p.ipBlock.cidr, p.ipBlock.except) ?? CidrSet.EMPTY);
    if (blocks.coversAFamilyOf(INTERNET))
      out.push(`${direction} rule admits ${blocks} (every internet address)`);
    for (const p of Array.isArray(peers) ? peers : []) {
      if (!isRec(p)) continue;
      const allNs = isRec(p.namespaceSelector) && Object.keys(p.namespaceSelector).length === 0;
      const anyPod =
        p.podSelector === undefined || (isRec(p.podSelector) && Object.keys(p.podSelector).length === 0);
      if (allNs && anyPod) out.push(`${direction} rule admits every pod of every namespace`);
    }
  }
  return out;
}

export default defineRule({
  id: 'GEN-K8S-TEN-004',
  title: 'Tenant NetworkPolicies have no allow-all rules',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-7', 'AC-4'],
  rationale:
    'An empty rule, a rule with ports but no peers, 0.0.0.0/0 or an all-namespaces selector undoes the default deny: traffic to other tenants or out of the enclave is admitted.',
  remediation:
    'Name the peers of every rule: pods of the namespace, a labelled namespace and pod, or the enclave CIDR.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx, 'NetworkPolicy')) {
      if (tenantOfDoc(index, d) === undefined) continue;
      const s = specOf(d.object);
      const found = [...openings('ingress', s.ingress), ...openings('egress', s.egress)];
      if (found.length) yield { resource: refOf(d), status: 'fail', message: found.join('; ') };
    }
  },
  examples: [
    {
      name: 'an egress to 0.0.0.0/0 split in two ipBlocks, one with an except',
      artifacts: k8s([
        exNamespace('acme'),
        policy({
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                { ipBlock: { cidr: '0.0.0.0/1' } },
                { ipBlock: { cidr: '128.0.0.0/1', except: ['192.168.0.0/16'] } },
              ],
            },
          ],
        }),
      ]),
      expect: { fires: true, message: /every internet address/ },
    },
    {
      name: 'egress to the cluster DNS on port 53 only',
      artifacts: k8s([
        exNamespace('acme'),
        policy({
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [WELL_KNOWN_LABEL.namespaceName]: 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [{ port: 53, protocol: 'UDP' }],
            },
          ],
        }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'an empty ingress rule',
      artifacts: k8s([exNamespace('acme'), policy({ policyTypes: ['Ingress'], ingress: [{}] })]),
      expect: { fires: true, message: /ingress rule allows all traffic/ },
    },
    {
      name: 'egress to 0.0.0.0/0',
      artifacts: k8s([
        exNamespace('acme'),
        policy({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      ]),
      expect: { fires: true, message: /egress rule admits 0\.0\.0\.0\/0/ },
    },
    {
      name: 'egress on port 53 to anywhere',
      artifacts: k8s([
        exNamespace('acme'),
        policy({ policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
      ]),
      expect: { fires: true, message: /egress rule allows the listed ports to and from anywhere/ },
    },
  ],
});
