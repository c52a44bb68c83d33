/**
 * The IAM role a tenant's people use to reach the Kubernetes API of their clusters. It carries no
 * data or AWS permissions beyond reading the cluster endpoint; what members may do inside the
 * cluster is Kubernetes RBAC, bound to the tenant group in the tenant namespace.
 *
 * Who may assume it is decided by attribute, not by a list of names: a principal of this account
 * whose `genesis:tenant` tag (an IAM user or role tag, or a session tag from the identity provider)
 * names the tenant. Adding or removing a member is a change in the identity provider, not here.
 */

import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface TenantMembersRoleProps {
  /** Caps whatever the role is ever given. */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  readonly roleName: string;
  readonly tenantId: string;
  /** Principal tag whose value must equal the tenant id. */
  readonly tenantTagKey: string;
  /** Clusters whose endpoint members may look up (for kubeconfig). */
  readonly clusterArns: readonly string[];
}

export class TenantMembersRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TenantMembersRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      permissionsBoundary: props.permissionsBoundary,
      description: `Kubernetes API access of the members of tenant ${props.tenantId}`,
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        StringEquals: { [`aws:PrincipalTag/${props.tenantTagKey}`]: props.tenantId },
      }),
      inlinePolicies: {
        DescribeClusters: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['eks:DescribeCluster'],
              resources: [...props.clusterArns].sort(),
            }),
          ],
        }),
      },
    });
    acknowledge(this.role, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'One statement (eks:DescribeCluster on the named clusters) that belongs to this role alone and is deleted with it at offboarding; a customer managed policy would be a separate object another role could be given.',
    });
  }
}
