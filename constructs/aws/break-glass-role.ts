/**
 * The site's break-glass role for dataset data and keys: the one principal besides grant holders
 * that dataset bucket and key policies admit (see grant-abac.ts). It carries no permissions, and
 * only MFA sessions of the account may assume it, so breaking the glass takes an IAM administrator
 * attaching a policy and a person with MFA assuming the role, both recorded by CloudTrail.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface BreakGlassRoleProps {
  readonly roleName: string;
}

export class BreakGlassRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description:
        'Break-glass access to dataset buckets and keys: no permissions until an administrator attaches them',
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
  }
}
