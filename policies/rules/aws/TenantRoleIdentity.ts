import { defineRule } from '../../engine/rule-kit';
import { tenantEvidence, tenantRoles } from '../../engine/tenants';
import { cfn, plainRole, tenantRole } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-IAM-010',
  title: "A tenant role's tag, name and stack name the same tenant",
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-2', 'CM-8', 'AC-3'],
  rationale:
    "The genesis:tenant tag is what session policies, the permissions boundary, Kubernetes mappings and cost allocation key on; a role named for one tenant (or living in a tenant's stack) that is tagged for another, or not at all, escapes those controls or is attributed to the wrong partner.",
  remediation:
    'Tag every role of stack Tenant-<id> and every role named genesis-<id>-data / genesis-<id>-members with genesis:tenant = <id>.',
  *check(ctx) {
    for (const { role } of tenantRoles(ctx)) {
      const e = tenantEvidence(role);
      const claims = [
        ['tag genesis:tenant', e.tag],
        ['role name', e.name],
        ['stack', e.stack],
      ].filter((c): c is [string, string] => c[1] !== undefined);
      const tenants = new Set(claims.map((c) => c[1]));
      if (e.tag === undefined)
        yield {
          resource: role.ref,
          status: 'fail',
          message: `role has no genesis:tenant tag but its ${claims.map((c) => `${c[0]} names tenant ${c[1]}`).join(' and ')}`,
        };
      else if (tenants.size > 1)
        yield {
          resource: role.ref,
          status: 'fail',
          message: `tenant claims disagree: ${claims.map((c) => `${c[0]} says ${c[1]}`).join(', ')}`,
        };
    }
  },
  examples: [
    {
      name: "a tenant role in its own tenant's stack",
      artifacts: cfn({ Role: tenantRole('acme') }, 'Tenant-acme'),
      expect: { fires: false },
    },
    {
      name: 'a role of no tenant',
      artifacts: cfn({
        Role: plainRole,
      }),
      expect: { fires: false },
    },
    {
      name: "a tenant role in another tenant's stack",
      artifacts: cfn({ Role: tenantRole('acme') }, 'Tenant-other'),
      expect: {
        fires: true,
        message: /tenant claims disagree: tag genesis:tenant says acme, role name says acme, stack says/,
      },
    },
    {
      name: 'a tenant role without tenant tag',
      artifacts: cfn({ Role: tenantRole('acme', { Tags: [] }) }),
      expect: { fires: true, message: /role has no genesis:tenant tag but its role name names tenant acme/ },
    },
    {
      name: 'a role without tenant tag in a tenant stack',
      artifacts: cfn({ Role: plainRole }, 'Tenant-acme'),
      expect: { fires: true, message: /role has no genesis:tenant tag but its stack names tenant acme/ },
    },
  ],
});
