/**
 * The AWS realisation of file-system storage tiers in one enclave network:
 *
 * - `file` tiers: an EFS file system each, encrypted with a customer-managed key, mountable only
 *   through its mount targets, over TLS, by IAM-authorised clients (the EFS CSI driver), with a
 *   daily AWS Backup recovery point kept for the tier's retention, in a vault encrypted with the
 *   tiers' key, locked and retained. The plan, not the file system's own `BackupPolicy` (which
 *   would add AWS's default plan into an AWS-managed vault), is what backs the tier up.
 * - `parallel-fs` tiers: FSx for Lustre file systems are created per claim by the FSx CSI driver
 *   (dynamic provisioning); this construct provides the subnet, security group and key it puts
 *   them in. Their daily automatic backups are set in the StorageClass (constructs/k8s/storage.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface FileTiersProps {
  /** Name prefix of the file systems and security groups. */
  readonly name: string;
  readonly vpc: ec2.IVpc;
  /** The enclave's CIDR, written literally into the security group rules. @default the VPC's CidrBlock */
  readonly cidr?: string;
  readonly subnets: ec2.SubnetSelection;
  readonly key: kms.IKey;
  /** `file` tiers: one EFS file system each, backed up daily and kept `retentionDays`. */
  readonly fileTiers: ReadonlyArray<{ readonly id: string; readonly retentionDays: number }>;
  /** Prepare FSx for Lustre dynamic provisioning. @default false */
  readonly lustre?: boolean;
}

export class FileTiers extends Construct {
  /** EFS file system per `file` tier id. */
  readonly efs: ReadonlyMap<string, efs.FileSystem>;
  /** Security group of Lustre file systems; set when `lustre`. */
  readonly lustreSecurityGroup?: ec2.SecurityGroup;
  /** The subnet FSx for Lustre file systems are created in (one zone: Lustre is single-AZ). */
  readonly lustreSubnet?: ec2.ISubnet;

  constructor(scope: Construct, id: string, props: FileTiersProps) {
    super(scope, id);
    const cidr = props.cidr ?? props.vpc.vpcCidrBlock;
    this.efs = props.fileTiers.length > 0 ? this.addEfsTiers(props, cidr) : new Map();

    if (props.lustre) {
      this.lustreSecurityGroup = this.addLustreSecurityGroup(props, cidr);
      this.lustreSubnet = props.vpc.selectSubnets(props.subnets).subnets[0];
    }
  }

  /**
   * The `file` tiers: a backup vault and an NFS security group shared by all, then a file system
   * and a backup plan per tier, in the order of the tier ids.
   */
  private addEfsTiers(props: FileTiersProps, cidr: string): Map<string, efs.FileSystem> {
    const fileSystems = new Map<string, efs.FileSystem>();
    // Recovery points of every file tier, encrypted with the tiers' key; nobody may delete one before its rule
    // expires it (blockRecoveryPointDeletion); the lock (governance mode) refuses shorter retentions.
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `${props.name}-file-tiers`,
      encryptionKey: props.key,
      blockRecoveryPointDeletion: true,
      lockConfiguration: {
        minRetention: Duration.days(Math.min(...props.fileTiers.map((t) => t.retentionDays))),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const nfs = new ec2.SecurityGroup(this, 'NfsSecurityGroup', {
      vpc: props.vpc,
      description: `${props.name} EFS: NFS from the enclave only`,
      allowAllOutbound: false,
    });
    nfs.addIngressRule(
      ec2.Peer.ipv4(cidr),
      ec2.Port.tcp(2049),
      'NFS (TLS through efs-utils) from the enclave',
    );
    for (const { id: tierId, retentionDays } of [...props.fileTiers].sort((a, b) =>
      a.id.localeCompare(b.id),
    )) {
      const fs = this.addFileSystem(props, tierId, nfs);
      this.addBackupPlan(props.name, { tierId, retentionDays }, vault, fs);
      fileSystems.set(tierId, fs);
    }
    return fileSystems;
  }

  /**
   * The EFS file system of one tier, encrypted, mountable only through its mount targets, over
   * TLS, by IAM principals of this account.
   */
  private addFileSystem(props: FileTiersProps, tierId: string, nfs: ec2.ISecurityGroup): efs.FileSystem {
    const fs = new efs.FileSystem(this, `Efs-${tierId}`, {
      fileSystemName: `${props.name}-${tierId}`,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroup: nfs,
      encrypted: true,
      kmsKey: props.key,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.ELASTIC,
      // The tier's own plan below replaces the default one (daily, kept 35 days).
      enableAutomaticBackups: false,
      // Only stops aws-cdk-lib from adding its own statement (write and root access for any
      // principal). The policy below names IAM principals of this account only; a client
      // that does not mount with IAM is anonymous, matches no statement and is refused.
      allowAnonymousAccess: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    fs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AccountClientsThroughMountTargets',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: ['*'],
        conditions: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    );
    fs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyInsecureTransport',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['*'],
        resources: ['*'],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    return fs;
  }

  /** The daily backup plan of one tier's file system, keeping recovery points `retentionDays`. */
  private addBackupPlan(
    name: string,
    tier: { readonly tierId: string; readonly retentionDays: number },
    vault: backup.IBackupVault,
    fs: efs.IFileSystem,
  ): void {
    const { tierId, retentionDays } = tier;
    const plan = new backup.BackupPlan(this, `Backup-${tierId}`, {
      backupPlanName: `${name}-${tierId}`,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
          deleteAfter: Duration.days(retentionDays),
        }),
      ],
    });
    const selection = plan.addSelection('Tier', {
      backupSelectionName: `${name}-${tierId}`,
      resources: [backup.BackupResource.fromEfsFileSystem(fs)],
    });
    const backupRole = selection.node.tryFindChild('Role');
    if (backupRole) {
      acknowledge(backupRole, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'The policy AWS Backup documents for its service role and keeps in step with the services it backs up; only AWS Backup can assume this role, and the selection names one file system.',
      });
    }
  }

  /** Security group of the Lustre file systems: LNET within the enclave only. */
  private addLustreSecurityGroup(props: FileTiersProps, cidr: string): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'LustreSecurityGroup', {
      vpc: props.vpc,
      description: `${props.name} FSx for Lustre: LNET from the enclave only`,
      allowAllOutbound: false,
    });
    // Lustre servers and clients talk on 988 and 1018-1023 in both directions (FSx for Lustre
    // user guide, "File system access control with Amazon VPC").
    for (const port of [ec2.Port.tcp(988), ec2.Port.tcpRange(1018, 1023)]) {
      sg.addIngressRule(ec2.Peer.ipv4(cidr), port, 'Lustre from the enclave');
      sg.addEgressRule(ec2.Peer.ipv4(cidr), port, 'Lustre within the enclave');
    }
    return sg;
  }
}
