/**
 * Closed world: a resource that can carry access to data but that the analysis does not
 * evaluate is reported as undecided, never passed in silence.
 */
import { asArray, cfnResources, tagsOf, type CfnItem } from '../../engine/cfn/template';
import { analyzeReach } from '../reach';
import { isRec, podSpecs, refOf } from '../../engine/k8s';
import type { ResourceRef, RuleContext } from '../../engine/types';
import { TAG } from '../../../infra/contract';

/** Families of AWS resource types that can carry access to data. */
const FAMILIES =
  /^AWS::(IAM|KMS|S3|S3Express|S3Outposts|S3ObjectLambda|EFS|FSx|EKS|Lambda::Permission|SSO|IdentityStore|RAM|Backup::BackupVault|DataSync|Transfer)(::|$)/;

/** Types the analysis evaluates, or knows to give no data access beyond what it evaluates. */
const UNDERSTOOD: ReadonlySet<string> = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::InstanceProfile',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::EKS::Cluster',
  'AWS::EKS::AccessEntry',
  'AWS::EKS::PodIdentityAssociation',
  'AWS::EKS::Nodegroup',
  'AWS::EKS::Addon',
  'AWS::EFS::MountTarget',
  // file systems of tenant storage: tenants reach them through Kubernetes volumes, judged there;
  // one that holds a dataset is undecided (below)
  'AWS::EFS::FileSystem',
  'AWS::EFS::AccessPoint',
  'AWS::Backup::BackupVault',
]);

/** Volume sources of a pod that a tenant may use and that reach no shared data. */
const SAFE_VOLUMES = new Set([
  'configMap',
  'secret',
  'emptyDir',
  'downwardAPI',
  'projected',
  'persistentVolumeClaim',
  'name',
]);

/** Kubernetes kinds that carry access and that the analysis evaluates or knows to be inert for data. */
const K8S_UNDERSTOOD = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ServiceAccount',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'Namespace',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);
const K8S_CARRY =
  /^(rbac\.authorization\.k8s\.io|storage\.k8s\.io|admissionregistration\.k8s\.io|certificates\.k8s\.io|authentication\.k8s\.io)\//;

export interface OpenIssue {
  readonly resource: ResourceRef;
  readonly message: string;
}

/**
 * A RAM share of federation transit gateways and the SSM parameters holding their ids only: it
 * carries a network path, which GEN-X-006 judges, and no access to data.
 */
function sharesTransitOnly(ctx: RuleContext, share: CfnItem): boolean {
  const tgw = analyzeReach(ctx.artifacts).aws?.net.tgw;
  if (!tgw) return false;
  const known = tgw.gateways.flatMap((g) => [g.item, ...g.parameters]).flatMap((i) => tgw.arnsOf(i));
  const arns = asArray(share.props.ResourceArns);
  return arns.length > 0 && arns.every((a) => typeof a === 'string' && known.includes(a));
}

export function closedWorld(ctx: RuleContext): OpenIssue[] {
  const out: OpenIssue[] = [];
  for (const item of cfnResources(ctx)) {
    const type = item.resource.Type;
    if (!FAMILIES.test(type)) continue;
    if (type === 'AWS::RAM::ResourceShare' && sharesTransitOnly(ctx, item)) continue;
    const dataset =
      tagsOf(item.props).get(TAG.dataset) ?? tagsOf({ Tags: item.props.FileSystemTags }).get(TAG.dataset);
    if (UNDERSTOOD.has(type) && !(type.startsWith('AWS::EFS::FileSystem') && dataset !== undefined)) continue;
    out.push({
      resource: item.ref,
      message: `${type} can carry access to data and the access analysis does not evaluate it${dataset !== undefined ? ` (it holds dataset ${String(dataset)})` : ''}`,
    });
  }
  for (const d of ctx.artifacts.k8s?.documents ?? []) {
    const o = d.object;
    if (K8S_CARRY.test(o.apiVersion) && !K8S_UNDERSTOOD.has(o.kind))
      out.push({
        resource: refOf(d),
        message: `${o.kind} can carry access and the access analysis does not evaluate it`,
      });
    for (const p of podSpecs(o)) {
      const volumes = Array.isArray(p.spec.volumes) ? p.spec.volumes.filter(isRec) : [];
      for (const v of volumes) {
        const kinds = Object.keys(v).filter((k) => !SAFE_VOLUMES.has(k));
        if (kinds.length)
          out.push({
            resource: refOf(d),
            message: `volume ${String(v.name)} (${kinds.join(', ')}) mounts storage the access analysis does not evaluate for a pod spec`,
          });
      }
    }
  }
  return out;
}
