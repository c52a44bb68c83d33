import { defineRule } from '../../engine/rule-kit';
import { asArray, cfnResources } from '../../engine/cfn/template';
import { isSymbolic, isUnknown } from '../../engine/cfn/resolve';
import { declaredManagedPolicies, isAwsManagedPolicyArn } from '../../engine/iam';
import { tenantEvidence } from '../../engine/tenants';
import { cfn, merge, tenantRole } from '../../examples/builders';

/** AWS-managed policies that grant administration or full access to a service. */
const BROAD = /\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9_]*)$/;

const grants = {
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    ManagedPolicyName: 'genesis-acme-data-grants-1',
    PolicyDocument: {
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-us-gov:s3:::b/*' }],
    },
  },
};
const platformRole = (arns: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    ManagedPolicyArns: arns,
  },
});

export default defineRule({
  id: 'GEN-AWS-IAM-011',
  title: 'Roles, users and groups attach only managed policies that are reviewed',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-6(1)', 'AC-3', 'CM-5'],
  rationale:
    'ManagedPolicyArns attaches a policy whose text is not in the template: the identity rules cannot read it. A tenant role gets its rights only from the grants the platform declares, so an AWS-managed policy on it (AmazonS3FullAccess) is a grant nobody reviewed; an administrator or full-access AWS policy is never needed by a platform role; and a customer policy the assembly does not declare cannot be judged.',
  remediation:
    'Attach to tenant roles only the grant policies of their tenant stack; grant platform roles narrowly scoped AWS service policies or policies declared in the assembly; remove AdministratorAccess, PowerUserAccess and *FullAccess policies.',
  *check(ctx) {
    const declared = declaredManagedPolicies(ctx);
    for (const item of cfnResources(ctx, ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'])) {
      const e = item.resource.Type === 'AWS::IAM::Role' ? tenantEvidence(item) : {};
      const tenant = e.tag ?? e.name ?? e.stack;
      const arns = item.props.ManagedPolicyArns;
      if (isUnknown(arns)) {
        yield {
          resource: item.ref,
          status: 'unknown',
          message: `could not decide the managed policies attached: ${arns.reason}`,
        };
        continue;
      }
      const problems: string[] = [];
      let undecidedReason: string | undefined;
      for (const arn of asArray(arns)) {
        if (isUnknown(arn)) undecidedReason ??= arn.reason;
        else if (typeof arn !== 'string') problems.push(`a ManagedPolicyArns entry is not a string`);
        else if (declared.has(arn)) continue;
        else if (isAwsManagedPolicyArn(arn)) {
          if (tenant !== undefined) problems.push(`AWS-managed policy ${arn} on a role of tenant ${tenant}`);
          else if (BROAD.test(arn))
            problems.push(`AWS-managed policy ${arn} grants administration or full access`);
        } else if (tenant !== undefined)
          problems.push(`policy ${arn} on a role of tenant ${tenant} is not declared in the assembly`);
        else if (isSymbolic(arn)) undecidedReason ??= `${arn} is known only at deploy time`;
        else
          undecidedReason ??= `policy ${arn} is not declared in the assembly, so its content cannot be judged`;
      }
      if (problems.length > 0) yield { resource: item.ref, status: 'fail', message: problems.join('; ') };
      else if (undecidedReason)
        yield {
          resource: item.ref,
          status: 'unknown',
          message: `could not decide a managed policy attached: ${undecidedReason}`,
        };
    }
  },
  examples: [
    {
      name: 'a tenant role with the managed policy of its grants',
      artifacts: cfn(
        { Grants: grants, Role: tenantRole('acme', { ManagedPolicyArns: [{ Ref: 'Grants' }] }) },
        'Tenant-acme',
      ),
      expect: { fires: false },
    },
    {
      name: 'a platform role with the AWS-managed EKS cluster policy',
      artifacts: cfn({ Role: platformRole(['arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy']) }),
      expect: { fires: false },
    },
    {
      name: 'a tenant role with AmazonS3FullAccess',
      artifacts: cfn(
        {
          Role: tenantRole('acme', {
            ManagedPolicyArns: ['arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess'],
          }),
        },
        'Tenant-acme',
      ),
      expect: {
        fires: true,
        message: /AWS-managed policy arn:aws-us-gov:iam::aws:policy\/AmazonS3FullAccess on a role of tenant/,
      },
    },
    {
      name: 'a tenant role with the AWS-managed ReadOnlyAccess',
      artifacts: cfn(
        {
          Role: tenantRole('acme', { ManagedPolicyArns: ['arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess'] }),
        },
        'Tenant-acme',
      ),
      expect: {
        fires: true,
        message: /AWS-managed policy arn:aws-us-gov:iam::aws:policy\/ReadOnlyAccess on a role of tenant acme/,
      },
    },
    {
      name: 'a tenant role with a policy of another account that the assembly does not declare',
      artifacts: cfn(
        {
          Role: tenantRole('acme', { ManagedPolicyArns: ['arn:aws-us-gov:iam::444455556666:policy/shared'] }),
        },
        'Tenant-acme',
      ),
      expect: {
        fires: true,
        message: /policy arn:aws-us-gov:iam::444455556666:policy\/shared on a role of tenant acme is not/,
      },
    },
    {
      name: 'a platform role with AdministratorAccess',
      artifacts: cfn({ Role: platformRole(['arn:aws-us-gov:iam::aws:policy/AdministratorAccess']) }),
      expect: {
        fires: true,
        message: /AWS-managed policy arn:aws-us-gov:iam::aws:policy\/AdministratorAccess grants/,
      },
    },
    {
      name: 'a platform role with AmazonS3FullAccess',
      artifacts: merge(cfn({ Role: platformRole(['arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess']) })),
      expect: {
        fires: true,
        message: /AWS-managed policy arn:aws-us-gov:iam::aws:policy\/AmazonS3FullAccess grants/,
      },
    },
  ],
});
