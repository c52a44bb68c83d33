/**
 * The AWS identity of the Kubernetes Cluster Autoscaler of one cluster: EKS managed node groups do
 * not grow by themselves, so pools with a node range stay at their minimum until an autoscaler
 * sets their size. The role may change the size only of the Auto Scaling groups EKS tags as owned
 * by this cluster; a Pod Identity association gives it to the autoscaler's service account.
 */
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { podIdentityPrincipal } from './pod-identity';
import { acknowledge } from './acknowledge';

/** Where the Kubernetes target runs the autoscaler. */
export const CLUSTER_AUTOSCALER_NAMESPACE = 'kube-system';
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';

export interface ClusterAutoscalerIdentityProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The cluster (the association needs it to exist). */
  readonly after: readonly IDependable[];
}

export class ClusterAutoscalerIdentity extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerIdentityProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: `Cluster Autoscaler of ${props.clusterName}`,
      assumedBy: podIdentityPrincipal({
        account,
        namespace: CLUSTER_AUTOSCALER_NAMESPACE,
        serviceAccounts: [CLUSTER_AUTOSCALER_SERVICE_ACCOUNT],
        clusterArns: [props.clusterArn],
      }),
    });
    // Describe calls take no resource; they reveal sizes, not data.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeCapacity',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        resources: ['*'],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ResizeOwnNodeGroupsOnly',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        conditions: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned' },
        },
      }),
    );
    acknowledge(
      this.role,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The Describe actions support no resource-level permissions and return sizes, not data; SetDesiredCapacity and TerminateInstanceInAutoScalingGroup are held by aws:ResourceTag to the Auto Scaling groups tagged as owned by this cluster.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "Statements for this cluster's autoscaler only, created and deleted with its role, which only the kube-system/cluster-autoscaler service account of this cluster can assume.",
      },
    );
    const association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      roleArn: this.role.roleArn,
    });
    association.node.addDependency(...props.after);
  }
}
