import { defineRule } from '../../engine/rule-kit';
import { analyzeReach } from '../../analysis/reach';
import { ccnp, cnp, np, twoTenants } from '../../analysis/reach/examples/k8s';
import { LABEL } from '../../../infra/contract';

const tenantNs = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };

export default defineRule({
  id: 'GEN-K8S-TEN-030',
  title: 'Tenant network reach in each cluster matches the declared intent',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['SC-7', 'AC-4', 'SC-7(21)', 'AC-6'],
  rationale:
    "A tenant's isolation is the effect of every policy together, in the precedence the cluster enforces: ClusterNetworkPolicy Admin tier, then NetworkPolicy, then Baseline (or, on Cilium, deny rules over the union of allows). The analysis evaluates tenant namespace x tenant namespace, and tenant -> metadata address and internet, through all of them: no tenant reaches another tenant's pods, none reaches 169.254.169.254, and where the cluster is the only fence (no VPC), none reaches the internet from an enclave that declares no egress.",
  remediation:
    'Remove or narrow the policy the witness names (a selector that matches every namespace, a cluster-wide allow, a missing deny), so that tenant traffic stays in its namespace and allowed services.',
  *check(ctx) {
    for (const d of analyzeReach(ctx.artifacts).differences)
      if (d.target === 'k8s') yield { resource: d.resource, status: d.status, message: d.message };
  },
  examples: [
    {
      name: 'two tenants with default deny, same-namespace and DNS allows',
      artifacts: twoTenants(),
      expect: { fires: false },
    },
    {
      name: 'an ingress rule whose namespaceSelector has an empty matchLabels (every namespace)',
      artifacts: twoTenants([
        np('tenant-beta', 'open', {
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }],
        }),
        np('tenant-acme', 'out', {
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: { matchLabels: {} } }], ports: [{ port: 8080 }] }],
        }),
      ]),
      expect: {
        fires: true,
        message: /tenant-acme -> tenant-beta \(tcp\/8080\).*NetworkPolicy tenant-beta\/open/,
      },
    },
    {
      name: 'an Admin-tier allow between tenant namespaces outranks their default deny',
      artifacts: twoTenants([
        cnp('Admin', 5, 'ingress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
        cnp('Admin', 5, 'egress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
      ]),
      expect: { fires: true, message: /ClusterNetworkPolicy admin-5-ingress-accept/ },
    },
    {
      name: 'a Baseline-tier allow does not outrank a namespace default deny',
      artifacts: twoTenants([
        cnp('Baseline', 5, 'ingress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
        cnp('Baseline', 5, 'egress', 'Accept', [{ namespaces: tenantNs }], { namespaces: tenantNs }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'on Cilium, a cluster-wide allow from every endpoint opens tenant pods despite their default deny',
      artifacts: twoTenants(
        [
          ccnp('allow-all', {
            endpointSelector: {},
            ingress: [{ fromEntities: ['cluster'] }],
            egress: [{ toEntities: ['cluster'] }],
          }),
          ccnp('imds', {
            endpointSelector: {},
            egressDeny: [{ toCIDR: ['169.254.169.254/32', 'fd00:ec2::254/128'] }],
          }),
        ],
        'cilium',
      ),
      expect: { fires: true, message: /CiliumClusterwideNetworkPolicy allow-all/ },
    },
    {
      name: 'on Cilium with no guardrail, a tenant egress to 0.0.0.0/0 split in two halves reaches the metadata address',
      artifacts: twoTenants(
        [
          np('tenant-acme', 'wide', {
            policyTypes: ['Egress'],
            egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/1' } }, { ipBlock: { cidr: '128.0.0.0/1' } }] }],
          }),
        ],
        'cilium',
      ),
      expect: { fires: true, message: /tenant-acme -> metadata/ },
    },
    {
      name: 'a tenant egress to 169.254.0.0/16 stopped by the Admin-tier metadata deny',
      artifacts: twoTenants(
        [
          np('tenant-acme', 'link-local', {
            policyTypes: ['Egress'],
            egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }, { ipBlock: { cidr: 'fd00::/8' } }] }],
          }),
        ],
        'calico',
      ),
      expect: { fires: false },
    },
  ],
});
