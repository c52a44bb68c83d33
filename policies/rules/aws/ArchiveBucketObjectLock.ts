import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { archiveEvidence } from '../../engine/archive';
import { cfn, tags } from '../../examples/builders';
import { TAG } from '../../../infra/contract';

const lock = { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } };

export default defineRule({
  id: 'GEN-AWS-DP-009',
  title: 'Archive buckets have object lock with a default retention',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-9', 'AU-11', 'SI-12'],
  rationale:
    'Records under a compliance retention must be write-once: object lock with a default retention stops anyone, including administrators in COMPLIANCE mode, from deleting or overwriting them early.',
  remediation:
    'Set ObjectLockEnabled: true and ObjectLockConfiguration { ObjectLockEnabled: Enabled, Rule: { DefaultRetention: { Mode: COMPLIANCE, Days: N } } }.',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const evidence = archiveEvidence(b);
      if (!evidence) continue;
      const cfg = b.props.ObjectLockConfiguration;
      if (containsUnknown([cfg, b.props.ObjectLockEnabled])) {
        yield undecided(b.ref, 'the object lock', [cfg, b.props.ObjectLockEnabled]);
        continue;
      }
      const enabled = b.props.ObjectLockEnabled === true || b.props.ObjectLockEnabled === 'true';
      const retention =
        isRecord(cfg) &&
        cfg.ObjectLockEnabled === 'Enabled' &&
        isRecord(cfg.Rule) &&
        isRecord(cfg.Rule.DefaultRetention)
          ? cfg.Rule.DefaultRetention
          : undefined;
      const period =
        retention &&
        (Number(retention.Days) > 0 || Number(retention.Years) > 0) &&
        (retention.Mode === 'COMPLIANCE' || retention.Mode === 'GOVERNANCE');
      if (!enabled)
        yield {
          resource: b.ref,
          status: 'fail',
          message: `archive bucket (${evidence}) does not enable object lock`,
        };
      else if (!period)
        yield {
          resource: b.ref,
          status: 'fail',
          message: `archive bucket (${evidence}) has no default object-lock retention`,
        };
    }
  },
  examples: [
    {
      name: 'a bucket with object lock and a default COMPLIANCE retention',
      artifacts: cfn({
        Archive: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            ObjectLockEnabled: true,
            ObjectLockConfiguration: lock,
            VersioningConfiguration: { Status: 'Enabled' },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'an archive bucket (by its tier tag) without object lock',
      artifacts: cfn({
        Archive: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            Tags: tags({ [TAG.tier]: 'archive' }),
            VersioningConfiguration: { Status: 'Enabled' },
          },
        },
      }),
      expect: {
        fires: true,
        message: /archive bucket \(tagged genesis:tier=archive\) does not enable object lock/,
      },
    },
    {
      name: 'object lock enabled but no default retention',
      artifacts: cfn({
        Archive: {
          Type: 'AWS::S3::Bucket',
          Properties: { ObjectLockEnabled: true, VersioningConfiguration: { Status: 'Enabled' } },
        },
      }),
      expect: {
        fires: true,
        message: /archive bucket \(object lock is enabled\) has no default object-lock retention/,
      },
    },
  ],
});
