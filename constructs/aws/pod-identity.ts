/**
 * The principal of an IAM role that EKS Pod Identity assumes for given service accounts only.
 * Pod Identity sets session tags naming the cluster, namespace and service account; conditions on
 * them keep an association made elsewhere (another namespace, another cluster) from assuming it.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

export interface PodIdentityScope {
  readonly account: string;
  readonly namespace: string;
  /** One or more service accounts of the namespace. */
  readonly serviceAccounts: readonly string[];
  /** Clusters whose Pod Identity may assume the role; at least one. */
  readonly clusterArns: readonly string[];
}

export function podIdentityPrincipal(scope: PodIdentityScope): iam.IPrincipal {
  if (scope.clusterArns.length === 0) throw new Error('a Pod Identity role needs at least one cluster');
  if (scope.serviceAccounts.length === 0)
    throw new Error('a Pod Identity role needs at least one service account');
  const one = <T>(values: readonly T[]): T | T[] => (values.length === 1 ? values[0] : [...values].sort());
  return new iam.ServicePrincipal('pods.eks.amazonaws.com')
    .withConditions({
      StringEquals: {
        'aws:SourceAccount': scope.account,
        'aws:RequestTag/kubernetes-namespace': scope.namespace,
        'aws:RequestTag/kubernetes-service-account': one(scope.serviceAccounts),
      },
      ArnEquals: { 'aws:RequestTag/eks-cluster-arn': [...scope.clusterArns].sort() },
    })
    .withSessionTags();
}
