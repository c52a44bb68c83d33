import { defineRule, merge, cfn, k8s } from '../../engine/rule-kit';
import { tagsOf } from '../../engine/cfn/template';
import { rolesByName } from '../../engine/iam';
import { annotations, exNamespace, k8sDocs, refOf, ROLE_ARN_ANNOTATION, tenantNamespaceIndex, tenantOfDoc } from '../../engine/k8s';
import { tenantRole } from '../../engine/tenants';
import type { K8sObject } from '../../engine/types';

const sa = (ns: string, roleName: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'workload', namespace: ns, annotations: { [ROLE_ARN_ANNOTATION]: `arn:aws-us-gov:iam::111122223333:role/${roleName}` } },
});
const ARN = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/;

export default defineRule({
  id: 'GEN-X-001',
  title: "A tenant ServiceAccount's IAM role is its own tenant's data role",
  pack: 'cross-target',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'IA-9'],
  target: 'both',
  rationale:
    "The eks.amazonaws.com/role-arn annotation decides which IAM role a pod's credentials belong to. An annotation in tenant-a naming tenant b's role (or a platform role) would give tenant a data it was never granted; the Kubernetes and AWS artifacts must agree on the mapping.",
  remediation: 'Annotate the ServiceAccount of namespace tenant-<id> with the ARN of genesis-<id>-data, the role tagged genesis:tenant <id>.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const roles = rolesByName(ctx);
    for (const d of k8sDocs(ctx, 'ServiceAccount')) {
      const arn = annotations(d.object)[ROLE_ARN_ANNOTATION];
      if (arn === undefined) continue;
      const tenant = tenantOfDoc(index, d);
      const role = roles.get(arn) ?? roles.get(ARN.exec(arn)?.[1] ?? '');
      const roleTenant = role ? tagsOf(role.props).get('genesis:tenant') : undefined;
      if (tenant === undefined) {
        if (typeof roleTenant === 'string') yield { resource: refOf(d), status: 'fail', message: `ServiceAccount outside tenant namespaces uses the role of tenant ${roleTenant}` };
        continue;
      }
      const name = ARN.exec(arn)?.[1];
      if (name !== `genesis-${tenant}-data`) yield { resource: refOf(d), status: 'fail', message: `ServiceAccount of tenant ${tenant} names role ${name ?? arn}, not genesis-${tenant}-data` };
      else if (!role) yield { resource: refOf(d), status: 'unknown', message: `could not decide: role ${arn} is not declared in the cloud assembly` };
      else if (roleTenant !== tenant) yield { resource: refOf(d), status: 'fail', message: `role ${arn} is tagged for tenant ${String(roleTenant ?? '(none)')}, not ${tenant}` };
    }
  },
  examples: {
    pass: [merge(cfn({ Role: tenantRole('acme') }, 'Tenant-acme'), k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-acme-data')]))],
    fail: [
      merge(cfn({ Role: tenantRole('acme') }, 'Tenant-acme'), cfn({ Role: tenantRole('other') }, 'Tenant-other'), k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-other-data')])),
      merge(cfn({ Role: tenantRole('other', { RoleName: 'genesis-acme-data' }) }, 'Tenant-other'), k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-acme-data')])),
    ],
  },
});
