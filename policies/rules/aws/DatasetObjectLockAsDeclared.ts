import { cfn, tags } from '../../examples/builders';
import { datasetBuckets } from '../../analysis/dataset-buckets';
import { intentOf } from '../../analysis/intent';
import { isRecord } from '../../engine/cfn/template';
import { defineRule } from '../../engine/rule-kit';
import { TAG } from '../../../infra/contract';

const intent = {
  clusters: [],
  tenants: [],
  storageTiers: [
    { id: 'archive', kind: 'archive', retentionDays: 3650, objectLock: { days: 2555, mode: 'COMPLIANCE' } },
  ],
};
const bucket = (lock?: Record<string, unknown>) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    Tags: tags({ [TAG.dataset]: 'd', [TAG.tier]: 'archive' }),
    ...(lock
      ? {
          ObjectLockEnabled: true,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: lock } },
        }
      : {}),
  },
});

export default defineRule({
  id: 'GEN-AWS-EFF-003',
  title: 'Dataset buckets lock objects in the mode and for the days their tier declares',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-9', 'SI-12', 'CP-9'],
  rationale:
    "Object lock is what makes an archive of record write-once: GOVERNANCE mode can be lifted by anyone with s3:BypassGovernanceRetention, COMPLIANCE by no one. The mode and default retention of each dataset bucket must equal its tier's declaration (platform.json objectLock).",
  remediation:
    "Set ObjectLockConfiguration.Rule.DefaultRetention to the tier's mode and days (regenerate with `genesis synth`).",
  *check(ctx) {
    const spec = intentOf(ctx);
    if (!spec) return;
    for (const b of datasetBuckets(ctx)) {
      const want = spec.storageTiers.find((t) => t.id === b.tier)?.objectLock;
      if (!want) continue;
      const cfg = b.item.props.ObjectLockConfiguration;
      const retention =
        isRecord(cfg) && isRecord(cfg.Rule) && isRecord(cfg.Rule.DefaultRetention)
          ? cfg.Rule.DefaultRetention
          : undefined;
      const enabled = isRecord(cfg) && cfg.ObjectLockEnabled === 'Enabled';
      const days = retention
        ? typeof retention.Years === 'number'
          ? retention.Years * 365
          : retention.Days
        : undefined;
      const got =
        enabled && retention
          ? `${String(retention.Mode)} for ${String(days)} days`
          : 'no default object lock';
      if (!enabled || !retention || retention.Mode !== want.mode || days !== want.days) {
        yield {
          resource: b.item.ref,
          status: 'fail',
          message: `dataset ${b.dataset}: ${got}; tier ${String(b.tier)} declares ${want.mode} for ${want.days} days`,
        };
      }
    }
  },
  examples: [
    {
      name: 'COMPLIANCE for the declared days',
      artifacts: { ...cfn({ B: bucket({ Mode: 'COMPLIANCE', Days: 2555 }) }), intent },
      expect: { fires: false },
    },
    {
      name: 'GOVERNANCE where COMPLIANCE is declared',
      artifacts: { ...cfn({ B: bucket({ Mode: 'GOVERNANCE', Days: 2555 }) }), intent },
      expect: { fires: true, message: /GOVERNANCE for 2555 days; tier archive declares COMPLIANCE/ },
    },
    {
      name: 'a shorter retention',
      artifacts: { ...cfn({ B: bucket({ Mode: 'COMPLIANCE', Days: 1 }) }), intent },
      expect: { fires: true, message: /COMPLIANCE for 1 days/ },
    },
  ],
});
