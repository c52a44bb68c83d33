/**
 * A tenant's way into a shared EFS file tier: an access point that roots every mount at the
 * tenant's own directory and makes every file operation run as the tenant's POSIX user, whatever
 * uid the client claims. A static PersistentVolume in the tenant namespace mounts it through the
 * EFS CSI driver (`volumeHandle: <fs-id>::<fsap-id>`, mount options `tls,iam`).
 *
 * EFS has no per-directory size limit: the tenant's quota on the tier is recorded in a tag, and
 * the Kubernetes target's ResourceQuota bounds the claims. The file system (and so the directory's
 * data) belongs to the site and is encrypted with the site's file-system key; deleting the access
 * point at offboarding removes the tenant's path to it, not the data.
 */
import { Tags } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import { Construct } from 'constructs';
import { STORAGE_QUOTA_TAG } from './tenant-bucket';

export interface TenantFileAccessPointProps {
  readonly fileSystemId: string;
  /** The tenant's directory, e.g. `/tenants/<tenant>`; created on first use, owned by the tenant's user. */
  readonly path: string;
  /** uid and gid every operation through the access point runs as. */
  readonly posixId: number;
  /** The tenant's quota on the tier, recorded in a tag. */
  readonly quota: string;
  /** Mode of the directory when EFS creates it. @default '0750' */
  readonly permissions?: string;
}

export class TenantFileAccessPoint extends Construct {
  readonly accessPoint: efs.CfnAccessPoint;

  constructor(scope: Construct, id: string, props: TenantFileAccessPointProps) {
    super(scope, id);
    if (!props.path.startsWith('/') || props.path === '/')
      throw new Error(`access point path "${props.path}" must be a directory below the root`);
    if (!Number.isInteger(props.posixId) || props.posixId <= 0)
      throw new Error(`access point posixId ${props.posixId} must be a positive integer (never root)`);
    const id_ = String(props.posixId);
    this.accessPoint = new efs.CfnAccessPoint(this, 'Resource', {
      fileSystemId: props.fileSystemId,
      posixUser: { uid: id_, gid: id_ },
      rootDirectory: {
        path: props.path,
        creationInfo: { ownerUid: id_, ownerGid: id_, permissions: props.permissions ?? '0750' },
      },
    });
    Tags.of(this.accessPoint).add(STORAGE_QUOTA_TAG, props.quota);
  }
}
