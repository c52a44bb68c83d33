import { defineRule } from '../../engine/rule-kit';
import { labels, refOf, tenantNamespaces } from '../../engine/k8s';
import { exNamespace, k8s } from '../../examples/builders';
import { LABEL, POD_SECURITY_MODES, podSecurityLabel } from '../../../infra/contract';

const MODES = POD_SECURITY_MODES;

export default defineRule({
  id: 'GEN-K8S-TEN-001',
  title: 'Tenant namespaces enforce, audit and warn at Pod Security "restricted"',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'CM-7', 'SC-39'],
  rationale:
    'Pod Security admission at "restricted" stops tenant pods from running privileged, as root, with host namespaces or host paths: the controls that keep one tenant from reaching the node and other tenants.',
  remediation:
    'Label the namespace pod-security.kubernetes.io/enforce, audit and warn: restricted (and pin the -version labels to the cluster minor).',
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const l = labels(doc.object);
      const wrong = MODES.filter((m) => l[podSecurityLabel(m)] !== 'restricted');
      if (wrong.length)
        yield {
          resource: refOf(doc),
          status: 'fail',
          message: `Pod Security ${wrong.join(', ')} not set to restricted`,
        };
    }
  },
  examples: [
    {
      name: 'a namespace restricted at enforce, audit and warn',
      artifacts: k8s([exNamespace('acme')]),
      expect: { fires: false },
    },
    {
      name: 'a namespace that enforces baseline',
      artifacts: k8s([exNamespace('acme', { [podSecurityLabel('enforce')]: 'baseline' })]),
      expect: { fires: true, message: /Pod Security enforce not set to restricted/ },
    },
    {
      name: 'a tenant namespace without Pod Security labels',
      artifacts: k8s([
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'tenant-acme', labels: { [LABEL.tenant]: 'acme' } },
        },
      ]),
      expect: { fires: true, message: /Pod Security enforce, audit, warn not set to restricted/ },
    },
  ],
});
