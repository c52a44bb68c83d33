import { defineRule } from '../../engine/rule-kit';
import { cfnResources, tagsOf, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { rolesByName } from '../../engine/iam';
import { cfn, merge, podIdentityAssociation, tenantRole } from '../../examples/builders';
import { TAG } from '../../../infra/contract';

export default defineRule({
  id: 'GEN-AWS-IAM-009',
  title: "Pod Identity associations of a tenant namespace use that tenant's role",
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'IA-9'],
  rationale:
    "An association maps a namespace's service account to an IAM role; mapping tenant-a to tenant b's role hands tenant a every dataset granted to b.",
  remediation:
    'Point the association of namespace tenant-<id> at the role tagged genesis:tenant <id> (genesis-<id>-data).',
  *check(ctx) {
    const roles = rolesByName(ctx);
    for (const a of cfnResources(ctx, 'AWS::EKS::PodIdentityAssociation')) {
      const { Namespace: ns, RoleArn: arn } = a.props;
      if (isUnknown(ns) || isUnknown(arn)) {
        yield undecided(a.ref, 'the association', [ns, arn]);
        continue;
      }
      const m = typeof ns === 'string' ? /^tenant-(.+)$/.exec(ns) : null;
      const role = typeof arn === 'string' ? roles.get(arn) : undefined;
      const roleTenant = role ? tagsOf(role.props).get(TAG.tenant) : undefined;
      if (!m) {
        if (typeof roleTenant === 'string')
          yield {
            resource: a.ref,
            status: 'fail',
            message: `namespace ${String(ns)} is mapped to the role of tenant ${roleTenant}`,
          };
        continue;
      }
      if (!role)
        yield {
          resource: a.ref,
          status: 'unknown',
          message: `could not decide: role ${String(arn)} is not declared in the assembly`,
        };
      else if (roleTenant !== m[1])
        yield {
          resource: a.ref,
          status: 'fail',
          message: `namespace ${ns as string} is mapped to role ${role.logicalId} of tenant ${String(roleTenant ?? '(none)')}`,
        };
    }
  },
  examples: [
    {
      name: "a tenant's namespace associated with its own role",
      artifacts: cfn(
        { Role: tenantRole('acme'), Assoc: podIdentityAssociation('tenant-acme', 'Role', 'gw-gpu') },
        'Tenant-acme',
      ),
      expect: { fires: false },
    },
    {
      name: "a tenant's namespace associated with another tenant's role",
      artifacts: merge(
        cfn({ Role: tenantRole('acme') }, 'Tenant-acme'),
        cfn(
          { Other: tenantRole('other'), Assoc: podIdentityAssociation('tenant-acme', 'Other', 'gw-gpu') },
          'Tenant-other',
        ),
      ),
      expect: { fires: true, message: /namespace tenant-acme is mapped to role Other of tenant other/ },
    },
  ],
});
