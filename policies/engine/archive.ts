/** Recognising archive buckets from what the template says about them. */
import { asArray, isRecord, tagsOf, type CfnItem } from './cfn/template';
import { TAG } from '../../infra/contract';

const COLD_CLASSES = new Set(['GLACIER', 'GLACIER_IR', 'DEEP_ARCHIVE']);

/**
 * A bucket is an archive when it says so: object lock enabled, a lifecycle rule that moves objects
 * to a Glacier class, or a genesis:tier tag naming an archive tier. Returns the evidence.
 */
export function archiveEvidence(bucket: CfnItem): string | undefined {
  const p = bucket.props;
  if (p.ObjectLockEnabled === true || p.ObjectLockEnabled === 'true') return 'object lock is enabled';
  const tier = tagsOf(p).get(TAG.tier);
  if (typeof tier === 'string' && /archive/i.test(tier)) return `tagged genesis:tier=${tier}`;
  const rules = isRecord(p.LifecycleConfiguration) ? asArray(p.LifecycleConfiguration.Rules) : [];
  for (const r of rules) {
    if (!isRecord(r)) continue;
    const transitions = [...asArray(r.Transitions), ...asArray(r.Transition ? [r.Transition] : [])];
    for (const t of transitions)
      if (isRecord(t) && COLD_CLASSES.has(String(t.StorageClass)))
        return `lifecycle moves objects to ${String(t.StorageClass)}`;
  }
  return undefined;
}
