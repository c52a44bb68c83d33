/**
 * The AWS identity of a manager cluster's MultiKueue controller (Kueue's controller manager): a
 * role only that service account of that cluster can take through EKS Pod Identity, allowed
 * sts:AssumeRole (with the session tags Pod Identity passes on: sts:TagSession) on the named
 * worker roles in partners' accounts and nothing else.
 */
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { podIdentityPrincipal } from './pod-identity';
import { acknowledge } from './acknowledge';

export interface MultiKueueManagerIdentityProps {
  readonly roleName: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** ARNs of the worker roles in partners' accounts; at least one. */
  readonly workerRoleArns: readonly string[];
  /** The cluster (the association needs it to exist). */
  readonly after: readonly IDependable[];
}

export class MultiKueueManagerIdentity extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MultiKueueManagerIdentityProps) {
    super(scope, id);
    if (props.workerRoleArns.length === 0)
      throw new Error('a MultiKueue manager identity needs a worker role');
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `MultiKueue controller of ${props.clusterName}: assumes the worker roles partners give its federations`,
      assumedBy: podIdentityPrincipal({
        account: Stack.of(this).account,
        namespace: props.namespace,
        serviceAccounts: [props.serviceAccount],
        clusterArns: [props.clusterArn],
      }),
      inlinePolicies: {
        AssumeWorkerRoles: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'AssumePartnerWorkerRoles',
              // with the Pod Identity session tags, which pass on to the worker role
              actions: ['sts:AssumeRole', 'sts:TagSession'],
              resources: [...props.workerRoleArns].sort(),
            }),
          ],
        }),
      },
    });
    acknowledge(this.role, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        "One statement (sts:AssumeRole on the named partner worker roles) that belongs to this cluster's MultiKueue controller alone and is deleted with its role; a managed policy would be a separate object another role could be given.",
    });
    const association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
    association.node.addDependency(this.role, ...props.after);
  }
}
