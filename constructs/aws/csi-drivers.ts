/**
 * The AWS storage CSI drivers of one cluster, as EKS add-ons whose service accounts get their
 * IAM roles through Pod Identity (no node-wide credentials):
 *
 * - EFS (`file` tiers): the controller creates an access point per claim; the node plugin mounts
 *   with IAM authorisation, so the file system policy sees the driver, not the node.
 * - FSx for Lustre (`parallel-fs` tiers): the controller creates a file system per claim.
 * - Mountpoint for S3 (datasets): no role. Every dataset volume authenticates as the pod that
 *   mounts it (the tenant's data role), so the driver itself is given no S3 access at all.
 */
import { type Acknowledgment, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IDependable } from 'constructs';
import { podIdentityPrincipal } from './pod-identity';
import { acknowledge } from './acknowledge';

/** Service accounts of the drivers, as their EKS add-ons install them in kube-system. */
export const CSI_SERVICE_ACCOUNTS = {
  efsController: 'efs-csi-controller-sa',
  efsNode: 'efs-csi-node-sa',
  fsxController: 'fsx-csi-controller-sa',
} as const;

/** Tag the FSx CSI driver puts on every file system it creates (the PersistentVolume name). */
export const FSX_CSI_VOLUME_TAG = 'CSIVolumeName';

export interface CsiDriversProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** What the add-ons wait for: the cluster and nodes their controllers can run on. */
  readonly after: readonly IDependable[];
  /** EFS file systems the driver may provision in and mount; installs the EFS driver if any. */
  readonly efsFileSystemArns?: readonly string[];
  /** Key of Lustre file systems; installs the FSx driver if set. */
  readonly lustreKey?: kms.IKey;
  /** Install Mountpoint for S3. @default false */
  readonly mountpointS3?: boolean;
}

export class CsiDrivers extends Construct {
  readonly addons: readonly eks.CfnAddon[];

  constructor(scope: Construct, id: string, props: CsiDriversProps) {
    super(scope, id);
    const addons: eks.CfnAddon[] = [];
    const efsArns = [...(props.efsFileSystemArns ?? [])];
    if (efsArns.length > 0) addons.push(this.addEfsDriver(props, efsArns));
    if (props.lustreKey) addons.push(this.addFsxDriver(props, props.lustreKey));
    if (props.mountpointS3)
      addons.push(this.addAddon(props, 'MountpointS3Addon', 'aws-mountpoint-s3-csi-driver', []));
    this.addons = addons;
  }

  /** A role that only the given kube-system service accounts of this cluster assume (Pod Identity). */
  private podIdentityRole(
    props: CsiDriversProps,
    rid: string,
    serviceAccounts: string[],
    description: string,
  ): iam.Role {
    const { account } = Stack.of(this);
    return new iam.Role(this, rid, {
      description,
      assumedBy: podIdentityPrincipal({
        account,
        namespace: 'kube-system',
        serviceAccounts,
        clusterArns: [props.clusterArn],
      }),
    });
  }

  /** The EKS add-on of one driver, installed after the cluster and its nodes. */
  private addAddon(
    props: CsiDriversProps,
    aid: string,
    addonName: string,
    associations: eks.CfnAddon.PodIdentityAssociationProperty[],
  ): eks.CfnAddon {
    const a = new eks.CfnAddon(this, aid, {
      clusterName: props.clusterName,
      addonName,
      resolveConflicts: 'OVERWRITE',
      ...(associations.length ? { podIdentityAssociations: associations } : {}),
    });
    a.node.addDependency(...props.after);
    return a;
  }

  /** The EFS driver: controller and node plugin roles, then the add-on. */
  private addEfsDriver(props: CsiDriversProps, efsArns: string[]): eks.CfnAddon {
    const controller = this.podIdentityRole(
      props,
      'EfsController',
      [CSI_SERVICE_ACCOUNTS.efsController],
      `EFS CSI controller of ${props.clusterName}`,
    );
    // AWS maintains this policy with the driver: access point actions limited by the driver's tags.
    controller.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEFSCSIDriverPolicy'),
    );
    acknowledge(controller, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy]',
      reason:
        "The policy AWS publishes with the EFS CSI driver: it creates and deletes only access points carrying the driver's efs.csi.aws.com/cluster tag, and AWS updates it with the driver add-on. Only the controller service account of this cluster can assume the role.",
    });
    const node = this.podIdentityRole(
      props,
      'EfsNode',
      [CSI_SERVICE_ACCOUNTS.efsNode],
      `EFS CSI node plugin of ${props.clusterName}`,
    );
    node.addToPolicy(
      new iam.PolicyStatement({
        sid: 'MountThroughMountTargets',
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: efsArns,
        conditions: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    );
    acknowledge(node, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        "One statement (mount and write the site's EFS file systems through mount targets) attached to the node plugin role of this cluster only, created and deleted with it.",
    });
    return this.addAddon(props, 'EfsAddon', 'aws-efs-csi-driver', [
      { serviceAccount: CSI_SERVICE_ACCOUNTS.efsController, roleArn: controller.roleArn },
      { serviceAccount: CSI_SERVICE_ACCOUNTS.efsNode, roleArn: node.roleArn },
    ]);
  }

  /** The FSx for Lustre driver: controller role, its statements and acknowledgements, then the add-on. */
  private addFsxDriver(props: CsiDriversProps, lustreKey: kms.IKey): eks.CfnAddon {
    const { account, partition, region } = Stack.of(this);
    const controller = this.podIdentityRole(
      props,
      'FsxController',
      [CSI_SERVICE_ACCOUNTS.fsxController],
      `FSx for Lustre CSI controller of ${props.clusterName}`,
    );
    const fileSystems = `arn:${partition}:fsx:${region}:${account}:file-system/*`;
    const fsxServiceRoles = `arn:${partition}:iam::${account}:role/aws-service-role/fsx.amazonaws.com/*`;
    for (const st of fsxControllerStatements(fileSystems, fsxServiceRoles, lustreKey)) {
      controller.addToPolicy(st);
    }
    acknowledge(controller, ...fsxControllerAcknowledgements(fileSystems, fsxServiceRoles));
    return this.addAddon(props, 'FsxAddon', 'aws-fsx-csi-driver', [
      { serviceAccount: CSI_SERVICE_ACCOUNTS.fsxController, roleArn: controller.roleArn },
    ]);
  }
}

/** Statements of the FSx CSI controller role, in the order they are added to its policy. */
function fsxControllerStatements(
  fileSystems: string,
  fsxServiceRoles: string,
  lustreKey: kms.IKey,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'CreateLustreFileSystems',
      actions: ['fsx:CreateFileSystem', 'fsx:DescribeFileSystems', 'fsx:TagResource'],
      resources: [fileSystems],
    }),
    // Only file systems the driver made (it tags each with the volume it backs).
    new iam.PolicyStatement({
      sid: 'ChangeOwnLustreFileSystems',
      actions: ['fsx:DeleteFileSystem', 'fsx:UpdateFileSystem'],
      resources: [fileSystems],
      conditions: { Null: { [`aws:ResourceTag/${FSX_CSI_VOLUME_TAG}`]: 'false' } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateFsxServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [fsxServiceRoles],
      conditions: { StringLike: { 'iam:AWSServiceName': 'fsx.amazonaws.com' } },
    }),
    // iam:AWSServiceName exists only on CreateServiceLinkedRole; these are held to the path.
    new iam.PolicyStatement({
      sid: 'ConfigureFsxServiceLinkedRole',
      actions: ['iam:AttachRolePolicy', 'iam:PutRolePolicy'],
      resources: [fsxServiceRoles],
    }),
    new iam.PolicyStatement({
      sid: 'EncryptWithTheTierKey',
      // FSx uses both GenerateDataKey and GenerateDataKeyWithoutPlaintext when it creates an
      // encrypted file system; named, not kms:GenerateDataKey*
      actions: [
        'kms:CreateGrant',
        'kms:DescribeKey',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:Decrypt',
      ],
      resources: [lustreKey.keyArn],
    }),
  ];
}

/** Why the FSx CSI controller role's wildcards and inline policy are acceptable. */
function fsxControllerAcknowledgements(fileSystems: string, fsxServiceRoles: string): Acknowledgment[] {
  return [
    {
      id: `AwsSolutions-IAM5[Resource::${fileSystems}]`,
      reason:
        "FSx for Lustre file systems are created per claim by the driver, so their ids are unknown here; changes and deletion are limited to file systems carrying the driver's volume tag, and creation lands in the subnet, security group and key of the tier.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::${fsxServiceRoles}]`,
      reason:
        'The service-linked role path of FSx, whose name AWS chooses; creation is limited to iam:AWSServiceName fsx.amazonaws.com and nothing outside that path is reachable.',
    },
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        "Statements for this cluster's FSx CSI controller only, created and deleted with its role; a customer managed policy would be a reusable object that widens nothing but could be attached elsewhere.",
    },
  ];
}
