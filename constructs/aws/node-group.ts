/**
 * An EKS managed node group with the platform's node defaults: Amazon Linux 2023, IMDSv2 with a
 * hop limit of one (pods cannot borrow the node's credentials), an encrypted root volume, no SSH,
 * detailed (one-minute) monitoring, and updates that respect PodDisruptionBudgets.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

/** EKS-optimised Amazon Linux 2023 with the NVIDIA driver and container toolkit. */
export const NVIDIA_AMI_TYPE = 'AL2023_x86_64_NVIDIA';
/** EKS-optimised Amazon Linux 2023 for x86 CPU instances. */
export const STANDARD_AMI_TYPE = 'AL2023_x86_64_STANDARD';

const TAINT_EFFECT = {
  NoSchedule: eks.TaintEffect.NO_SCHEDULE,
  NoExecute: eks.TaintEffect.NO_EXECUTE,
  PreferNoSchedule: eks.TaintEffect.PREFER_NO_SCHEDULE,
} as const;

export interface NodeGroupProps {
  readonly cluster: eks.ICluster;
  /** Name of the node group, unique in its cluster. */
  readonly nodegroupName: string;
  /** Name of the launch template, unique in the account and region. */
  readonly launchTemplateName: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Kubernetes labels of the nodes. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints of the nodes; only pods that tolerate them land there. */
  readonly taints: ReadonlyArray<{
    readonly key: string;
    readonly value: string;
    readonly effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
  }>;
  readonly subnets: ec2.SubnetSelection;
  /** Key of the root volumes. */
  readonly volumeKey: kms.IKey;
  /** @default 500 */
  readonly rootVolumeGiB?: number;
  /**
   * Security groups the nodes carry besides the cluster's own (which EKS adds only when the launch
   * template names none, so it is named here too).
   * @default none
   */
  readonly extraSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** @default NVIDIA_AMI_TYPE */
  readonly amiType?: typeof NVIDIA_AMI_TYPE | typeof STANDARD_AMI_TYPE;
}

/** The AWS managed policies aws-cdk-lib attaches to a managed node group's role (EKS requires them). */
const NODE_ROLE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
] as const;

export class NodeGroup extends Construct {
  readonly nodegroup: eks.Nodegroup;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateName: props.launchTemplateName,
      requireImdsv2: true,
      securityGroup: props.extraSecurityGroups?.length ? props.cluster.clusterSecurityGroup : undefined,
      httpPutResponseHopLimit: 1,
      // One-minute CloudWatch metrics: a GPU node that stalls shows within minutes (CT.EC2.PR.10).
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB ?? 500, {
            encrypted: true,
            kmsKey: props.volumeKey,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    Tags.of(launchTemplate).add('Name', props.launchTemplateName);
    for (const sg of props.extraSecurityGroups ?? []) launchTemplate.addSecurityGroup(sg);

    this.nodegroup = new eks.Nodegroup(this, 'Nodegroup', {
      cluster: props.cluster,
      nodegroupName: props.nodegroupName,
      instanceTypes: [new ec2.InstanceType(props.instanceType)],
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredSize: props.minSize,
      subnets: props.subnets,
      labels: { ...props.labels },
      taints: props.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })),
      capacityType: eks.CapacityType.ON_DEMAND,
      launchTemplateSpec: {
        id: launchTemplate.launchTemplateId!,
        version: launchTemplate.latestVersionNumber,
      },
      maxUnavailable: 1,
      // Updates drain nodes within PodDisruptionBudgets instead of evicting running jobs.
      forceUpdate: false,
    });
    // aws-cdk-lib picks the AMI type from a list of GPU instance families that stops at g4, so it
    // takes p5 or g6e for CPU instances, refuses the NVIDIA AMI type, and otherwise falls back to
    // Amazon Linux 2, which has no AMIs for current Kubernetes versions. Set it on the resource.
    (this.nodegroup.node.defaultChild as eks.CfnNodegroup).amiType = props.amiType ?? NVIDIA_AMI_TYPE;
    acknowledge(
      this.nodegroup.role,
      ...NODE_ROLE_POLICIES.map((name) => ({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        reason: `${name} is one of the three policies EKS requires on a managed node group role; AWS maintains it with the kubelet, VPC CNI and image pulls it serves. Pods cannot use the node role: IMDSv2 with one hop keeps it from containers, and workloads get Pod Identity roles.`,
      })),
    );
  }
}
