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
import { Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IDependable } from 'constructs';
import { podIdentityPrincipal } from './pod-identity';

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
    const { account, partition, region } = Stack.of(this);
    const role = (rid: string, serviceAccounts: string[], description: string): iam.Role =>
      new iam.Role(this, rid, {
        description,
        assumedBy: podIdentityPrincipal({
          account,
          namespace: 'kube-system',
          serviceAccounts,
          clusterArns: [props.clusterArn],
        }),
      });
    const addons: eks.CfnAddon[] = [];
    const addon = (
      aid: string,
      addonName: string,
      associations: eks.CfnAddon.PodIdentityAssociationProperty[],
    ): void => {
      const a = new eks.CfnAddon(this, aid, {
        clusterName: props.clusterName,
        addonName,
        resolveConflicts: 'OVERWRITE',
        ...(associations.length ? { podIdentityAssociations: associations } : {}),
      });
      a.node.addDependency(...props.after);
      addons.push(a);
    };

    const efsArns = [...(props.efsFileSystemArns ?? [])];
    if (efsArns.length > 0) {
      const controller = role(
        'EfsController',
        [CSI_SERVICE_ACCOUNTS.efsController],
        `EFS CSI controller of ${props.clusterName}`,
      );
      // AWS maintains this policy with the driver: access point actions limited by the driver's tags.
      controller.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEFSCSIDriverPolicy'),
      );
      Validations.of(controller).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy]',
        reason:
          "The policy AWS publishes with the EFS CSI driver: it creates and deletes only access points carrying the driver's efs.csi.aws.com/cluster tag, and AWS updates it with the driver add-on. Only the controller service account of this cluster can assume the role.",
      });
      const node = role(
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
      Validations.of(node).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "One statement (mount and write the site's EFS file systems through mount targets) attached to the node plugin role of this cluster only, created and deleted with it.",
      });
      addon('EfsAddon', 'aws-efs-csi-driver', [
        { serviceAccount: CSI_SERVICE_ACCOUNTS.efsController, roleArn: controller.roleArn },
        { serviceAccount: CSI_SERVICE_ACCOUNTS.efsNode, roleArn: node.roleArn },
      ]);
    }

    if (props.lustreKey) {
      const controller = role(
        'FsxController',
        [CSI_SERVICE_ACCOUNTS.fsxController],
        `FSx for Lustre CSI controller of ${props.clusterName}`,
      );
      const fileSystems = `arn:${partition}:fsx:${region}:${account}:file-system/*`;
      controller.addToPolicy(
        new iam.PolicyStatement({
          sid: 'CreateLustreFileSystems',
          actions: ['fsx:CreateFileSystem', 'fsx:DescribeFileSystems', 'fsx:TagResource'],
          resources: [fileSystems],
        }),
      );
      // Only file systems the driver made (it tags each with the volume it backs).
      controller.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ChangeOwnLustreFileSystems',
          actions: ['fsx:DeleteFileSystem', 'fsx:UpdateFileSystem'],
          resources: [fileSystems],
          conditions: { Null: { [`aws:ResourceTag/${FSX_CSI_VOLUME_TAG}`]: 'false' } },
        }),
      );
      const fsxServiceRoles = `arn:${partition}:iam::${account}:role/aws-service-role/fsx.amazonaws.com/*`;
      controller.addToPolicy(
        new iam.PolicyStatement({
          sid: 'CreateFsxServiceLinkedRole',
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [fsxServiceRoles],
          conditions: { StringLike: { 'iam:AWSServiceName': 'fsx.amazonaws.com' } },
        }),
      );
      // iam:AWSServiceName exists only on CreateServiceLinkedRole; these are held to the path.
      controller.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ConfigureFsxServiceLinkedRole',
          actions: ['iam:AttachRolePolicy', 'iam:PutRolePolicy'],
          resources: [fsxServiceRoles],
        }),
      );
      controller.addToPolicy(
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
          resources: [props.lustreKey.keyArn],
        }),
      );
      Validations.of(controller).acknowledge(
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
      );
      addon('FsxAddon', 'aws-fsx-csi-driver', [
        { serviceAccount: CSI_SERVICE_ACCOUNTS.fsxController, roleArn: controller.roleArn },
      ]);
    }

    if (props.mountpointS3) addon('MountpointS3Addon', 'aws-mountpoint-s3-csi-driver', []);
    this.addons = addons;
  }
}
