/** Dataset grants as each target records them, for cross-target comparison. */
import { cfnResources, refValue, tagsOf, type CfnItem } from './cfn/template';
import { isUnknown } from './cfn/resolve';
import { conditionEntries, isUnboundedResource, policiesOfRole, statementsOf, strings } from './iam';
import { annotations, DATASET_LABEL, k8sDocs, labels, TENANT_LABEL } from './k8s';
import { groupBy, memo } from './memo';
import type { K8sDocument, RuleContext } from './types';
import { ANNOTATION, TAG } from '../../infra/contract';

export interface Grant {
  readonly access: 'read' | 'write';
  /** The first instant the grant no longer holds (ISO), when recorded. */
  readonly until?: string;
}

const WRITE = /^s3:(PutObject|DeleteObject|\*|Put\*|Delete\*)/i;

/** Datasets a tenant role reaches through S3, by the genesis:dataset tag of each bucket. */
export function awsGrants(
  ctx: RuleContext,
  role: CfnItem,
): { grants: Map<string, Grant>; unknown: string[]; unbounded: string[] } {
  const buckets = memo(ctx.artifacts, 'grants:bucketsByRef', () => {
    const m = new Map<unknown, CfnItem>();
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) m.set(refValue(b), b);
    return m;
  });
  const grants = new Map<string, Grant>();
  const unknown: string[] = [];
  const unbounded: string[] = [];
  for (const p of policiesOfRole(ctx, role)) {
    const ss = statementsOf(p.document);
    if (isUnknown(ss)) {
      unknown.push(`policy ${p.name}: ${ss.reason}`);
      continue;
    }
    for (const s of ss) {
      if (s.Effect !== 'Allow') continue;
      const actions = strings(s.Action).filter((a) => a.toLowerCase().startsWith('s3:'));
      if (actions.length === 0) continue;
      const until = conditionEntries(s).find(
        (c) => c.operator === 'DateLessThan' && c.key === 'aws:currenttime',
      )?.value;
      for (const r of strings(s.Resource)) {
        if (isUnboundedResource(r) || /^arn:[^:]*:s3:::[^/]*[*?]/.test(r)) {
          unbounded.push(`policy ${p.name} allows ${actions.join(', ')} on ${r}`);
          continue;
        }
        const m = /^arn:[^:]+:s3:::([^/]+)/.exec(r);
        if (!m) continue;
        const bucket = buckets.get(m[1]);
        const dataset = bucket ? tagsOf(bucket.props).get(TAG.dataset) : undefined;
        if (typeof dataset !== 'string') {
          unknown.push(`bucket ${m[1]} is not declared in the assembly with a genesis:dataset tag`);
          continue;
        }
        const prior = grants.get(dataset);
        const access = prior?.access === 'write' || actions.some((a) => WRITE.test(a)) ? 'write' : 'read';
        grants.set(dataset, { access, until: typeof until === 'string' ? until : prior?.until });
      }
    }
  }
  return { grants, unknown, unbounded };
}

/** The first instant after the last day of a grant: what aws:CurrentTime is compared with. */
export function endOfDay(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return `${new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Datasets mounted for a tenant on the clusters of one site: PersistentVolumes labelled with tenant and dataset. */
export function k8sGrants(
  ctx: RuleContext,
  site: string,
  tenant: string,
): Map<string, Grant & { doc: K8sDocument }> {
  const out = new Map<string, Grant & { doc: K8sDocument }>();
  const volumes = memo(ctx.artifacts, 'grants:volumesBySiteTenant', () =>
    groupBy(k8sDocs(ctx, 'PersistentVolume'), (d) =>
      JSON.stringify([d.site, labels(d.object)[TENANT_LABEL]]),
    ),
  );
  for (const d of volumes.get(JSON.stringify([site, tenant])) ?? []) {
    const dataset = labels(d.object)[DATASET_LABEL];
    if (!dataset) continue;
    const a = annotations(d.object);
    const expires = a[ANNOTATION.grantExpires];
    out.set(dataset, {
      access: a[ANNOTATION.access] === 'write' ? 'write' : 'read',
      until: expires ? endOfDay(expires) : undefined,
      doc: d,
    });
  }
  return out;
}
