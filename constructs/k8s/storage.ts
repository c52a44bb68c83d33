/**
 * Storage: a StorageClass per tier realised on the cluster's site, and the CSI source of a
 * dataset's PersistentVolume. Drivers are the real CSI drivers of each back end:
 *
 * | site    | tier kind / back end | driver                    | provisioning              |
 * |---------|----------------------|---------------------------|---------------------------|
 * | on-prem | lustre               | exa.csi.ddn.com (DDN)     | dynamic + static          |
 * | on-prem | nfs                  | nfs.csi.k8s.io            | dynamic + static          |
 * | on-prem | cephfs               | cephfs.csi.ceph.com       | dynamic + static          |
 * | on-prem | s3                   | ru.yandex.s3.csi (csi-s3) | dynamic + static          |
 * | AWS     | parallel-fs          | fsx.csi.aws.com           | dynamic (needs subnet/SG) |
 * | AWS     | file                 | efs.csi.aws.com           | access points (needs fs)  |
 * | AWS     | object, archive      | s3.csi.aws.com            | static only (Mountpoint)  |
 *
 * AWS file systems get ids at deploy time; they are inputs ({@link AwsStorageRefs}). A class or
 * dataset volume that needs one that was not given is left out and reported by
 * {@link unresolvedStorageClasses} and `unresolvedDatasetVolumes`, never written with a placeholder.
 */
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AwsSite, Dataset, Grant } from '../../infra/model';
import { ANNOTATION, datasetBucketName, tenantNamespace } from '../../infra/contract';
import type { ClusterContext, TierOnSite } from './context';

/** Deploy-time ids of one AWS site's storage (outputs of the AWS target). */
export interface AwsStorageRefs {
  /** FSx for Lustre dynamic provisioning: where new file systems go. */
  readonly fsx?: {
    readonly subnetId: string;
    readonly securityGroupIds: readonly string[];
    readonly kmsKeyId?: string;
  };
  /** EFS file system id per `file` tier id. */
  readonly efsFileSystemIds?: Readonly<Record<string, string>>;
  /** FSx for Lustre file system per `parallel-fs` tier id, for static dataset volumes. */
  readonly fsxFileSystems?: Readonly<
    Record<string, { readonly fileSystemId: string; readonly dnsName: string; readonly mountName: string }>
  >;
}

export interface K8sOptions {
  /** AWS site id -> storage ids. */
  readonly aws?: Readonly<Record<string, AwsStorageRefs>>;
}

export interface StorageClassPlan {
  readonly tier: TierOnSite;
  readonly name: string;
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly mountOptions?: readonly string[];
  /** The back end's address, for operators (the driver takes it from its own secret or config). */
  readonly endpoint?: string;
}

/** Namespaces the CSI drivers are installed in (their secrets live there). */
export const CEPH_CSI_NAMESPACE = 'ceph-csi-cephfs';
export const CEPH_CSI_SECRET = 'csi-cephfs-secret';
export const CSI_S3_NAMESPACE = 'csi-s3';
export const CSI_S3_SECRET = 'csi-s3-secret';

export function storageClassName(tierId: string): string {
  return `genesis-${tierId}`;
}

function secretParams(prefix: string[], name: string, namespace: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of prefix) {
    out[`csi.storage.k8s.io/${p}-secret-name`] = name;
    out[`csi.storage.k8s.io/${p}-secret-namespace`] = namespace;
  }
  return out;
}

/** Lustre file system of a tier as DDN writes it: `<MGS NID>:/<fsname>`. */
const lustreFs = (t: TierOnSite): string => `${t.realisation.endpoint}:/${t.realisation.path ?? t.tier.id}`;
const lustreMountPoint = (t: TierOnSite): string => `/exaFS/${t.tier.id}`;

function onpremClass(t: TierOnSite): StorageClassPlan {
  const { backend, endpoint, path } = t.realisation;
  const name = storageClassName(t.tier.id);
  switch (backend) {
    case 'lustre':
      return {
        tier: t,
        name,
        provisioner: 'exa.csi.ddn.com',
        parameters: { exaFS: lustreFs(t), mountPoint: lustreMountPoint(t) },
        endpoint,
      };
    case 'nfs':
      return {
        tier: t,
        name,
        provisioner: 'nfs.csi.k8s.io',
        parameters: { server: endpoint ?? '', share: path ?? '/' },
        mountOptions: ['nfsvers=4.1'],
        endpoint,
      };
    case 'cephfs':
      return {
        tier: t,
        name,
        provisioner: 'cephfs.csi.ceph.com',
        // clusterID names the entry for this site in ceph-csi's cluster config (monitors: endpoint).
        parameters: {
          clusterID: t.realisation.site,
          fsName: path ?? t.tier.id,
          ...secretParams(
            ['provisioner', 'controller-expand', 'node-stage'],
            CEPH_CSI_SECRET,
            CEPH_CSI_NAMESPACE,
          ),
        },
        endpoint,
      };
    case 's3':
      return {
        tier: t,
        name,
        provisioner: 'ru.yandex.s3.csi',
        // One bucket per tier, a prefix per volume; the gateway address and keys are in the secret.
        parameters: {
          mounter: 'geesefs',
          bucket: path ?? t.tier.id,
          options: '--dir-mode 0770 --file-mode 0660',
          ...secretParams(
            ['provisioner', 'controller-publish', 'node-stage', 'node-publish'],
            CSI_S3_SECRET,
            CSI_S3_NAMESPACE,
          ),
        },
        endpoint,
      };
    default:
      throw new Error(`tier "${t.tier.id}" on site "${t.realisation.site}" names no on-prem back end`);
  }
}

/** The longest FSx for Lustre keeps automatic backups. */
const FSX_MAX_BACKUP_RETENTION_DAYS = 90;

function awsClass(t: TierOnSite, refs: AwsStorageRefs | undefined): StorageClassPlan | undefined {
  const name = storageClassName(t.tier.id);
  switch (t.tier.kind) {
    case 'parallel-fs': {
      if (!refs?.fsx) return undefined;
      return {
        tier: t,
        name,
        provisioner: 'fsx.csi.aws.com',
        parameters: {
          subnetId: refs.fsx.subnetId,
          securityGroupIds: [...refs.fsx.securityGroupIds].join(','),
          deploymentType: 'PERSISTENT_2',
          perUnitStorageThroughput: '250',
          dataCompressionType: 'LZ4',
          // Daily automatic backups, kept the tier's retention (FSx keeps at most 90 days).
          automaticBackupRetentionDays: String(Math.min(t.tier.retentionDays, FSX_MAX_BACKUP_RETENTION_DAYS)),
          dailyAutomaticBackupStartTime: '05:00',
          copyTagsToBackups: 'true',
          ...(refs.fsx.kmsKeyId ? { kmsKeyId: refs.fsx.kmsKeyId } : {}),
        },
        mountOptions: ['flock'],
      };
    }
    case 'file': {
      const fs = refs?.efsFileSystemIds?.[t.tier.id];
      if (!fs) return undefined;
      return {
        tier: t,
        name,
        provisioner: 'efs.csi.aws.com',
        parameters: {
          provisioningMode: 'efs-ap',
          fileSystemId: fs,
          directoryPerms: '770',
          basePath: '/volumes',
          subPathPattern: '${.PVC.namespace}/${.PVC.name}',
          ensureUniqueDirectory: 'true',
        },
        mountOptions: ['tls', 'iam'],
      };
    }
    default:
      // Mountpoint for S3 provisions statically only: there is no class to offer tenants.
      return undefined;
  }
}

/** The StorageClasses of a cluster, sorted by tier id. */
export function storageClassPlans(ctx: ClusterContext, options: K8sOptions = {}): StorageClassPlan[] {
  return ctx.tiers.flatMap((t) => {
    const plan = ctx.site.kind === 'onprem' ? onpremClass(t) : awsClass(t, options.aws?.[ctx.site.id]);
    return plan ? [plan] : [];
  });
}

/** The CSI part of a dataset PersistentVolume. */
export interface DatasetVolumeSource {
  readonly driver: string;
  readonly volumeHandle: string;
  readonly volumeAttributes: Readonly<Record<string, string>>;
  readonly mountOptions: readonly string[];
  readonly nodeStageSecretRef?: { readonly name: string; readonly namespace: string };
}

/** Where a dataset lives inside its tier. */
export function datasetPath(datasetId: string): string {
  return `datasets/${datasetId}`;
}

/** Name of the PV that gives one tenant one dataset on a cluster. */
export function datasetVolumeName(tenantId: string, datasetId: string): string {
  return `${tenantNamespace(tenantId)}-${datasetId}`;
}

/** What every dataset volume source is built from: the grant's access, the PV name, the sub path. */
interface DatasetVolumeInputs {
  readonly tier: TierOnSite;
  readonly dataset: Dataset;
  /** The grant is read-only. */
  readonly read: boolean;
  /** The PV name ({@link datasetVolumeName}). */
  readonly handle: string;
  /** The dataset's path inside its tier ({@link datasetPath}). */
  readonly sub: string;
}

/** The CSI source of a dataset volume on an AWS site: S3 (Mountpoint), EFS or FSx for Lustre. */
function awsDatasetVolumeSource(
  site: AwsSite,
  { tier, dataset, read, handle, sub }: DatasetVolumeInputs,
  options: K8sOptions,
): DatasetVolumeSource | undefined {
  const refs = options.aws?.[site.id];
  if (tier.tier.kind === 'object' || tier.tier.kind === 'archive') {
    return {
      driver: 's3.csi.aws.com',
      volumeHandle: handle,
      // authenticationSource pod: Mountpoint uses the pod's credentials (the tenant's data role,
      // through its EKS Pod Identity association),
      // so S3 enforces the grant even if the volume were mounted elsewhere.
      volumeAttributes: {
        bucketName: datasetBucketName(site.account, dataset.id),
        authenticationSource: 'pod',
      },
      mountOptions: [`region ${site.region}`, ...(read ? ['read-only'] : [])],
    };
  }
  if (tier.tier.kind === 'file') {
    const fs = refs?.efsFileSystemIds?.[tier.tier.id];
    if (!fs) return undefined;
    return {
      driver: 'efs.csi.aws.com',
      volumeHandle: `${fs}:/${sub}`,
      volumeAttributes: {},
      mountOptions: ['tls', 'iam'],
    };
  }
  const fsx = refs?.fsxFileSystems?.[tier.tier.id];
  if (!fsx) return undefined;
  return {
    driver: 'fsx.csi.aws.com',
    volumeHandle: fsx.fileSystemId,
    volumeAttributes: { dnsname: fsx.dnsName, mountname: `${fsx.mountName}/${sub}` },
    mountOptions: ['flock'],
  };
}

/** The CSI source of a dataset volume on an on-prem site, by the tier's back end. */
function onpremDatasetVolumeSource({
  tier,
  read,
  handle,
  sub,
}: DatasetVolumeInputs): DatasetVolumeSource | undefined {
  const { backend, endpoint, path } = tier.realisation;
  switch (backend) {
    case 'lustre':
      // DDN static handle: <config>:<MGS NID>;/<fsname>:<mount point>:/<sub directory>.
      return {
        driver: 'exa.csi.ddn.com',
        volumeHandle: `${tier.tier.id}:${endpoint};/${path ?? tier.tier.id}:${lustreMountPoint(tier)}:/${sub}`,
        volumeAttributes: { exaFS: lustreFs(tier), mountPoint: lustreMountPoint(tier) },
        mountOptions: read ? ['ro'] : [],
      };
    case 'nfs':
      return {
        driver: 'nfs.csi.k8s.io',
        volumeHandle: handle,
        volumeAttributes: { server: endpoint ?? '', share: `${path ?? ''}/${sub}` },
        mountOptions: ['nfsvers=4.1', ...(read ? ['ro'] : [])],
      };
    case 'cephfs':
      return {
        driver: 'cephfs.csi.ceph.com',
        volumeHandle: handle,
        volumeAttributes: {
          clusterID: tier.realisation.site,
          fsName: path ?? tier.tier.id,
          staticVolume: 'true',
          rootPath: `/${sub}`,
        },
        mountOptions: read ? ['ro'] : [],
        nodeStageSecretRef: { name: CEPH_CSI_SECRET, namespace: CEPH_CSI_NAMESPACE },
      };
    case 's3':
      return {
        driver: 'ru.yandex.s3.csi',
        volumeHandle: `${path ?? tier.tier.id}/${sub}`,
        volumeAttributes: {
          mounter: 'geesefs',
          options: read ? '-o ro' : '--dir-mode 0770 --file-mode 0660',
        },
        mountOptions: [],
        nodeStageSecretRef: { name: CSI_S3_SECRET, namespace: CSI_S3_NAMESPACE },
      };
    default:
      return undefined;
  }
}

export function datasetVolumeSource(
  ctx: ClusterContext,
  tier: TierOnSite,
  dataset: Dataset,
  grant: Grant,
  options: K8sOptions = {},
): DatasetVolumeSource | undefined {
  const inputs: DatasetVolumeInputs = {
    tier,
    dataset,
    read: grant.access === 'read',
    handle: datasetVolumeName(grant.tenant, dataset.id),
    sub: datasetPath(dataset.id),
  };
  if (ctx.site.kind === 'aws') return awsDatasetVolumeSource(ctx.site, inputs, options);
  return onpremDatasetVolumeSource(inputs);
}

/** StorageClasses of the cluster (cluster-scoped chart). None is the default class. */
export function addStorageClasses(scope: Construct, ctx: ClusterContext, options: K8sOptions = {}): void {
  for (const sc of storageClassPlans(ctx, options)) {
    new k8s.KubeStorageClass(scope, `storage-class-${sc.tier.tier.id}`, {
      metadata: {
        name: sc.name,
        labels: ctx.labels({ tier: sc.tier.tier.id }),
        annotations: {
          'storageclass.kubernetes.io/is-default-class': 'false',
          ...(sc.endpoint ? { [ANNOTATION.endpoint]: sc.endpoint } : {}),
        },
      },
      provisioner: sc.provisioner,
      parameters: { ...sc.parameters },
      // Data outlives claims: the tier's retention, not a deleted claim, decides when it goes.
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: true,
      ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
    });
  }
}

/** Storage classes that could not be written for want of AWS ids, as `<site>/<tier>`. */
export function unresolvedStorageClasses(ctx: ClusterContext, options: K8sOptions = {}): string[] {
  const written = new Set(storageClassPlans(ctx, options).map((p) => p.tier.tier.id));
  return ctx.tiers
    .filter(
      (t) =>
        !written.has(t.tier.id) &&
        !(ctx.site.kind === 'aws' && (t.tier.kind === 'object' || t.tier.kind === 'archive')),
    )
    .map((t) => `${ctx.site.id}/${t.tier.id}`);
}
