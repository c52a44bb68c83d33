/**
 * What a partner's AWS account gives a federation's manager: one IAM role that only the manager's
 * MultiKueue role (in the platform account) may assume, named exactly, with no account root and
 * no wildcard; and an EKS access entry per worker cluster mapping that role to the federation's
 * manager group and nothing else. No EKS access policy: what the group may do in the cluster is
 * the RBAC the Kubernetes target binds (tenant namespaces only, list and watch cluster-wide).
 * The role holds no IAM permissions: an EKS token is a signed call the role needs no right for.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';

export interface MultiKueueWorkerAccessProps {
  readonly roleName: string;
  readonly federation: string;
  /** ARN of the manager's MultiKueue role: the only principal the trust policy admits. */
  readonly managerRoleArn: string;
  /** The Kubernetes group the role enters the clusters as. */
  readonly group: string;
  /** The worker clusters: construct id, EKS cluster name, and what must exist before their entries. */
  readonly clusters: ReadonlyArray<{
    readonly key: string;
    readonly name: string;
    readonly after: IDependable;
  }>;
}

export class MultiKueueWorkerAccess extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MultiKueueWorkerAccessProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `MultiKueue manager of federation ${props.federation}: reaches this account's worker clusters as group ${props.group}`,
      // sts:TagSession too: the manager holds its role through EKS Pod Identity, whose session
      // tags are transitive, so its AssumeRole carries them and is refused without it.
      assumedBy: new iam.SessionTagsPrincipal(
        new iam.ArnPrincipal(props.managerRoleArn).withConditions({
          ArnEquals: { 'aws:PrincipalArn': props.managerRoleArn },
        }),
      ),
    });
    for (const c of props.clusters) {
      const entry = new eks.CfnAccessEntry(this, `Access${c.key}`, {
        clusterName: c.name,
        principalArn: this.role.roleArn,
        kubernetesGroups: [props.group],
        type: 'STANDARD',
      });
      entry.node.addDependency(c.after);
    }
  }
}
