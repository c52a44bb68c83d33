import { defineRule, k8s } from '../../engine/rule-kit';
import { exNamespace, labels, refOf, tenantNamespaces } from '../../engine/k8s';
import { podSecurityLabel, POD_SECURITY_MODES } from '../../../infra/contract';

const MODES = POD_SECURITY_MODES;

export default defineRule({
  id: 'GEN-K8S-TEN-001',
  title: 'Tenant namespaces enforce, audit and warn at Pod Security "restricted"',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'CM-7', 'SC-39'],
  target: 'k8s',
  rationale: 'Pod Security admission at "restricted" stops tenant pods from running privileged, as root, with host namespaces or host paths: the controls that keep one tenant from reaching the node and other tenants.',
  remediation: 'Label the namespace pod-security.kubernetes.io/enforce, audit and warn: restricted (and pin the -version labels to the cluster minor).',
  *check(ctx) {
    for (const { doc } of tenantNamespaces(ctx)) {
      const l = labels(doc.object);
      const wrong = MODES.filter((m) => l[podSecurityLabel(m)] !== 'restricted');
      if (wrong.length) yield { resource: refOf(doc), status: 'fail', message: `Pod Security ${wrong.join(', ')} not set to restricted` };
    }
  },
  examples: {
    pass: [k8s([exNamespace('acme')])],
    fail: [k8s([exNamespace('acme', { 'pod-security.kubernetes.io/enforce': 'baseline' })]), k8s([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme', labels: { 'genesis.platform/tenant': 'acme' } } }])],
  },
});
