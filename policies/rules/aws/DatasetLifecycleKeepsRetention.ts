import { cfn, tags } from '../../examples/builders';
import { datasetBuckets } from '../../analysis/dataset-buckets';
import { intentOf } from '../../analysis/intent';
import { containsUnknown } from '../../engine/cfn/resolve';
import { isRecord, undecided } from '../../engine/cfn/template';
import { defineRule } from '../../engine/rule-kit';
import { TAG } from '../../../infra/contract';

const intent = {
  clusters: [],
  tenants: [],
  storageTiers: [{ id: 'objects', kind: 'object', retentionDays: 365 }],
};
const bucket = (rule: Record<string, unknown>) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    Tags: tags({ [TAG.dataset]: 'd', [TAG.tier]: 'objects' }),
    LifecycleConfiguration: { Rules: [{ Id: 'r', Status: 'Enabled', ...rule }] },
  },
});

/** Expiries of one lifecycle rule shorter than `days`. */
function shortExpiries(r: Record<string, unknown>, days: number): string[] {
  const out: string[] = [];
  if (r.ExpirationDate !== undefined) out.push(`expires objects on ${String(r.ExpirationDate)}`);
  if (typeof r.ExpirationInDays === 'number' && r.ExpirationInDays < days)
    out.push(`expires objects after ${r.ExpirationInDays} days`);
  const nc = isRecord(r.NoncurrentVersionExpiration)
    ? r.NoncurrentVersionExpiration.NoncurrentDays
    : r.NoncurrentVersionExpirationInDays;
  if (typeof nc === 'number' && nc < days) out.push(`expires noncurrent versions after ${nc} days`);
  return out;
}

export default defineRule({
  id: 'GEN-AWS-EFF-002',
  title: "Dataset bucket lifecycle rules expire nothing before the tier's retention",
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-11', 'SI-12', 'CP-9'],
  rationale:
    "A lifecycle rule deletes data silently and for good: an expiry of current or noncurrent versions shorter than the storage tier's declared retention (platform.json) destroys records the platform promised to keep.",
  remediation:
    "Set expiries (current and noncurrent) to at least the tier's retentionDays, or change the tier's retention in the spec.",
  *check(ctx) {
    const spec = intentOf(ctx);
    if (!spec) return;
    for (const b of datasetBuckets(ctx)) {
      const retention = spec.storageTiers.find((t) => t.id === b.tier)?.retentionDays;
      const lc = b.item.props.LifecycleConfiguration;
      if (retention === undefined || lc === undefined) continue;
      if (containsUnknown(lc)) {
        yield undecided(b.item.ref, 'the lifecycle configuration', lc);
        continue;
      }
      const rules = isRecord(lc) && Array.isArray(lc.Rules) ? lc.Rules : [];
      const problems = rules
        .filter((r) => isRecord(r) && r.Status !== 'Disabled')
        .flatMap((r) =>
          shortExpiries(r as Record<string, unknown>, retention).map(
            (p) => `rule ${String((r as Record<string, unknown>).Id ?? '?')} ${p}`,
          ),
        );
      if (problems.length)
        yield {
          resource: b.item.ref,
          status: 'fail',
          message: `dataset ${b.dataset} (tier ${String(b.tier)}, retention ${retention} days): ${problems.join('; ')}`,
        };
    }
  },
  examples: [
    {
      name: 'noncurrent versions kept for the retention',
      artifacts: { ...cfn({ B: bucket({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } }) }), intent },
      expect: { fires: false },
    },
    {
      name: 'objects expired after 30 days',
      artifacts: { ...cfn({ B: bucket({ ExpirationInDays: 30 }) }), intent },
      expect: { fires: true, message: /expires objects after 30 days/ },
    },
    {
      name: 'noncurrent versions expired after a week',
      artifacts: { ...cfn({ B: bucket({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }) }), intent },
      expect: { fires: true, message: /noncurrent versions after 7 days/ },
    },
  ],
});
