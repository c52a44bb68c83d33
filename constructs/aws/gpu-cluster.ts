/**
 * An EKS cluster for GPU workloads in one enclave: private API endpoint only, secrets encrypted
 * with a customer-managed key, every control-plane log type to an encrypted log group, the Pod
 * Identity agent for workload credentials, the VPC CNI enforcing NetworkPolicies, and a small
 * untainted system node group; GPU node groups are added per pool with {@link NodeGroup}.
 */
import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { eksControlPlaneLogGroupName } from './names';
import { NodeGroup, STANDARD_AMI_TYPE } from './node-group';
import { acknowledge } from './acknowledge';

export const CONTROL_PLANE_LOG_TYPES: readonly eks.ClusterLoggingTypes[] = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

export interface GpuClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.34". */
  readonly version: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts Kubernetes secrets (and, by convention, the nodes' root volumes). */
  readonly secretsKey: kms.IKey;
  /** Encrypts the control-plane log group. */
  readonly logKey: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * CPU nodes without the GPU taint, for what every cluster runs besides GPU jobs: CoreDNS, CSI
   * controllers, the GPU Operator and Kueue controllers. GPU nodes repel all of it.
   * @default { instanceType: 'm6i.2xlarge', min: 2, max: 3 }
   */
  readonly systemNodes?: { readonly instanceType: string; readonly min: number; readonly max: number };
  /** Security groups the system nodes carry besides the cluster's. @default none */
  readonly systemNodeSecurityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * Networks outside the VPC that may call the private API endpoint (a federation manager's
   * enclave, over its VPN), each on its port. @default none
   */
  readonly apiCallers?: ReadonlyArray<{
    readonly cidr: string;
    readonly port: number;
    readonly description: string;
  }>;
  /** Kubernetes labels of the system nodes. @default none */
  readonly systemNodeLabels?: Readonly<Record<string, string>>;
}

/** VPC CNI add-on configuration: enforce NetworkPolicies. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

/** Name of the node group that runs cluster services; pools may not take it. */
export const SYSTEM_NODEGROUP_NAME = 'system';

export class GpuCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly logGroup: logs.LogGroup;
  readonly systemNodes: NodeGroup;

  constructor(scope: Construct, id: string, props: GpuClusterProps) {
    super(scope, id);

    // EKS creates this log group unencrypted with no expiry if it does not exist yet.
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: eksControlPlaneLogGroupName(props.clusterName),
      encryptionKey: props.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = this.createClusterRole(props.secretsKey);
    const controlPlaneSg = this.createControlPlaneSecurityGroup(props);
    this.cluster = this.createCluster(props, role, controlPlaneSg);
    this.addAddons();
    this.systemNodes = this.addSystemNodes(props);
  }

  /**
   * The cluster's service role. It needs the secrets key before the cluster exists, so the
   * permission is an inline policy of the role rather than a grant added afterwards.
   */
  private createClusterRole(secretsKey: kms.IKey): iam.Role {
    const role = new iam.Role(this, 'ClusterRole', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')],
      inlinePolicies: {
        SecretsEncryption: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants', 'kms:CreateGrant'],
              resources: [secretsKey.keyArn],
            }),
          ],
        }),
      },
    });
    acknowledge(
      role,
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
        reason:
          'The policy EKS documents for a cluster service role; AWS keeps it in step with what the control plane calls (ENIs, load balancers). Only the EKS service can assume this role.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "One statement letting this cluster's role use this cluster's secrets key; it must exist before the cluster is created, lives and dies with the role, and grants nothing reusable.",
      },
    );
    return role;
  }

  /** The control plane's security group: it talks to nodes and webhooks inside the enclave only. */
  private createControlPlaneSecurityGroup(props: GpuClusterProps): ec2.SecurityGroup {
    const controlPlaneSg = new ec2.SecurityGroup(this, 'ControlPlaneSecurityGroup', {
      vpc: props.vpc,
      description: `EKS control plane of ${props.clusterName}`,
      allowAllOutbound: false,
    });
    controlPlaneSg.addEgressRule(
      ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.allTcp(),
      'Nodes and webhooks in the enclave',
    );
    for (const c of props.apiCallers ?? [])
      controlPlaneSg.addIngressRule(ec2.Peer.ipv4(c.cidr), ec2.Port.tcp(c.port), c.description);
    return controlPlaneSg;
  }

  /**
   * The EKS cluster: private endpoint, encrypted secrets, every control-plane log type, no
   * default capacity, deletion protection; created after its log group.
   */
  private createCluster(
    props: GpuClusterProps,
    role: iam.IRole,
    controlPlaneSg: ec2.ISecurityGroup,
  ): eks.Cluster {
    const cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.version),
      vpc: props.vpc,
      vpcSubnets: [props.subnets],
      role,
      securityGroup: controlPlaneSg,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: props.secretsKey,
      clusterLogging: [...CONTROL_PLANE_LOG_TYPES],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
    });
    cluster.node.addDependency(this.logGroup);
    // Not exposed by the aws-eks-v2 L2: a cluster holding tenant workloads is not deleted by a
    // stack change or a stray API call without first turning this off.
    (cluster.node.defaultChild as eks.CfnCluster).deletionProtection = true;
    acknowledge(cluster, {
      id: 'CloudFormation-Validate::W9009',
      reason:
        'aws-cdk-lib sets EncryptionConfig.Resources to ["secrets"], the value the EKS API requires for envelope encryption',
    });
    Annotations.of(cluster).acknowledgeWarning(
      '@aws-cdk/aws-eks:isolatedSubnetsForKubectlPrivateSubnets',
      'No kubectl provider is used; the enclave network adds the VPC endpoints that nodes need',
    );
    return cluster;
  }

  /** The Pod Identity agent and the VPC CNI add-on with its network policy agent. */
  private addAddons(): void {
    new eks.Addon(this, 'PodIdentityAgent', { cluster: this.cluster, addonName: 'eks-pod-identity-agent' });
    // Kubernetes NetworkPolicies (tenant default-deny among them) are enforced on EKS only when
    // the VPC CNI runs its network policy agent; the self-managed CNI EKS installs does not.
    new eks.CfnAddon(this, 'VpcCni', {
      clusterName: this.cluster.clusterName,
      addonName: 'vpc-cni',
      resolveConflicts: 'OVERWRITE',
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
    });
  }

  /** The untainted system node group that runs cluster services. */
  private addSystemNodes(props: GpuClusterProps): NodeGroup {
    const system = props.systemNodes ?? { instanceType: 'm6i.2xlarge', min: 2, max: 3 };
    return new NodeGroup(this, 'SystemNodes', {
      cluster: this.cluster,
      nodegroupName: SYSTEM_NODEGROUP_NAME,
      launchTemplateName: `${props.clusterName}-${SYSTEM_NODEGROUP_NAME}`,
      instanceType: system.instanceType,
      minSize: system.min,
      maxSize: system.max,
      labels: { ...(props.systemNodeLabels ?? {}) },
      taints: [],
      subnets: props.subnets,
      volumeKey: props.secretsKey,
      rootVolumeGiB: 100,
      amiType: STANDARD_AMI_TYPE,
      extraSecurityGroups: props.systemNodeSecurityGroups,
    });
  }
}
