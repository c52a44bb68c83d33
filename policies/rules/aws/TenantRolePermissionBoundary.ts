import { defineRule } from '../../engine/rule-kit';
import { undecided } from '../../engine/cfn/template';
import { isSymbolic, isUnknown } from '../../engine/cfn/resolve';
import { declaredManagedPolicies, isAwsManagedPolicyArn, tenantBoundaries } from '../../engine/iam';
import { tenantRoles } from '../../engine/tenants';
import { cfn, merge, tenantRole } from '../../examples/builders';

const BOUNDARY_ARN = 'arn:aws-us-gov:iam::111122223333:policy/genesis-site-a-tenant-boundary';
const boundary = (name = 'genesis-site-a-tenant-boundary') => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    ManagedPolicyName: name,
    PolicyDocument: {
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-*/*' },
      ],
    },
  },
});
const site = cfn({ Boundary: boundary() }, 'Site-a');
const tenant = (extra: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  cfn({ Role: tenantRole('acme', extra), ...more }, 'Tenant-acme');

export default defineRule({
  id: 'GEN-AWS-IAM-003',
  title: "Tenant roles carry the platform's tenant permissions boundary",
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-6(10)', 'AC-2'],
  rationale:
    'A permissions boundary caps what any policy later attached to a tenant role can grant, so a mistaken or malicious attachment cannot reach beyond the tenant perimeter. Only the boundary the site declares does that: an AWS-managed policy (AdministratorAccess) or a policy the assembly does not declare caps nothing anyone reviewed.',
  remediation:
    'Set PermissionsBoundary on every tenant role to the ARN of the tenant boundary policy its site stack declares (genesis-<site>-tenant-boundary).',
  *check(ctx) {
    const boundaries = tenantBoundaries(ctx);
    const declared = declaredManagedPolicies(ctx);
    for (const { role, tenant } of tenantRoles(ctx)) {
      const b = role.props.PermissionsBoundary;
      if (isUnknown(b)) yield undecided(role.ref, 'the permissions boundary', b);
      else if (typeof b !== 'string' || b.length === 0)
        yield {
          resource: role.ref,
          status: 'fail',
          message: `role of tenant ${tenant} has no permissions boundary`,
        };
      else if (boundaries.has(b)) continue;
      else if (isAwsManagedPolicyArn(b))
        yield {
          resource: role.ref,
          status: 'fail',
          message: `role of tenant ${tenant} has the AWS-managed policy ${b} as permissions boundary, not the platform's tenant boundary`,
        };
      else if (declared.has(b))
        yield {
          resource: role.ref,
          status: 'fail',
          message: `role of tenant ${tenant} has policy ${declared.get(b)!.logicalId} as permissions boundary, not a site's tenant boundary`,
        };
      else if (isSymbolic(b))
        yield {
          resource: role.ref,
          status: 'unknown',
          message: `could not decide the permissions boundary: ${b} is known only at deploy time`,
        };
      else
        yield {
          resource: role.ref,
          status: 'fail',
          message: `role of tenant ${tenant} has permissions boundary ${b}, which is no tenant boundary policy declared in the assembly`,
        };
    }
  },
  examples: [
    {
      name: "a tenant role with the site's tenant boundary",
      artifacts: merge(site, tenant({ PermissionsBoundary: BOUNDARY_ARN })),
      expect: { fires: false },
    },
    {
      name: 'a tenant role without boundary',
      artifacts: merge(site, tenant({})),
      expect: { fires: true, message: /role of tenant acme has no permissions boundary/ },
    },
    {
      name: 'a tenant role with AdministratorAccess as boundary',
      artifacts: merge(
        site,
        tenant({ PermissionsBoundary: 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess' }),
      ),
      expect: {
        fires: true,
        message:
          /role of tenant acme has the AWS-managed policy arn:aws-us-gov:iam::aws:policy\/AdministratorAccess as permissions boundary/,
      },
    },
    {
      name: 'a tenant role with a boundary that the assembly does not declare',
      artifacts: merge(
        site,
        tenant({ PermissionsBoundary: 'arn:aws-us-gov:iam::111122223333:policy/genesis-other-boundary' }),
      ),
      expect: {
        fires: true,
        message:
          /role of tenant acme has permissions boundary arn:aws-us-gov:iam::111122223333:policy\/genesis-other-boundary, which is no tenant boundary policy declared/,
      },
    },
    // a boundary the tenant stack declares for itself is no site boundary
    {
      name: 'a boundary the tenant stack declares for itself',
      artifacts: tenant({ PermissionsBoundary: BOUNDARY_ARN }, { Own: boundary() }),
      expect: {
        fires: true,
        message: /role of tenant acme has policy Own as permissions boundary, not a site's tenant boundary/,
      },
    },
    {
      name: "the site's boundary name without the site stack",
      artifacts: tenant({ PermissionsBoundary: BOUNDARY_ARN }),
      expect: {
        fires: true,
        message:
          /role of tenant acme has permissions boundary arn:aws-us-gov:iam::111122223333:policy\/genesis-site-a-tenant-boundary, which is no tenant boundary policy declared/,
      },
    },
  ],
});
