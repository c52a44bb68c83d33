import { cfn, defineRule } from '../../engine/rule-kit';
import { undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { tenantRole, tenantRoles } from '../../engine/tenants';

export default defineRule({
  id: 'GEN-AWS-IAM-003',
  title: 'Tenant roles carry a permissions boundary',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-6(10)', 'AC-2'],
  target: 'aws',
  rationale: 'A permissions boundary caps what any policy later attached to a tenant role can grant, so a mistaken or malicious attachment cannot reach beyond the tenant perimeter.',
  remediation: 'Set PermissionsBoundary on every role tagged genesis:tenant to the platform tenant boundary policy ARN.',
  *check(ctx) {
    for (const { role, tenant } of tenantRoles(ctx)) {
      const b = role.props.PermissionsBoundary;
      if (isUnknown(b)) yield undecided(role.ref, 'the permissions boundary', b);
      else if (typeof b !== 'string' || b.length === 0) yield { resource: role.ref, status: 'fail', message: `role of tenant ${tenant} has no permissions boundary` };
    }
  },
  examples: {
    pass: [cfn({ Role: tenantRole('acme', { PermissionsBoundary: 'arn:aws-us-gov:iam::111122223333:policy/genesis-tenant-boundary' }) })],
    fail: [cfn({ Role: tenantRole('acme') })],
  },
});
