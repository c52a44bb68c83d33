import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { archiveEvidence } from '../../engine/archive';
import { cfn, tags } from '../../examples/builders';
import { TAG } from '../../../infra/contract';

export default defineRule({
  id: 'GEN-AWS-DP-008',
  title: 'Archive buckets keep every object version',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-11', 'SI-12', 'CP-9'],
  rationale:
    'The archive is the record of what was produced; without versioning an overwrite or delete destroys the record, and object lock cannot be enabled.',
  remediation: 'Set VersioningConfiguration: { Status: Enabled } on the archive bucket.',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const evidence = archiveEvidence(b);
      if (!evidence) continue;
      const v = b.props.VersioningConfiguration;
      if (containsUnknown(v)) yield undecided(b.ref, 'the versioning', v);
      else if (!isRecord(v) || v.Status !== 'Enabled')
        yield { resource: b.ref, status: 'fail', message: `archive bucket (${evidence}) is not versioned` };
    }
  },
  examples: [
    {
      name: 'an archive bucket that is versioned',
      artifacts: cfn({
        Archive: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            Tags: tags({ [TAG.tier]: 'archive' }),
            VersioningConfiguration: { Status: 'Enabled' },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a scratch bucket, not an archive',
      artifacts: cfn({ Scratch: { Type: 'AWS::S3::Bucket', Properties: {} } }),
      expect: { fires: false },
    },
    {
      name: 'an archive bucket (by its tier tag) that is not versioned',
      artifacts: cfn({
        Archive: { Type: 'AWS::S3::Bucket', Properties: { Tags: tags({ [TAG.tier]: 'archive' }) } },
      }),
      expect: { fires: true, message: /archive bucket \(tagged genesis:tier=archive\) is not versioned/ },
    },
    {
      name: 'a bucket whose lifecycle moves objects to Glacier, versioning suspended',
      artifacts: cfn({
        Archive: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            LifecycleConfiguration: {
              Rules: [
                { Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] },
              ],
            },
            VersioningConfiguration: { Status: 'Suspended' },
          },
        },
      }),
      expect: {
        fires: true,
        message: /archive bucket \(lifecycle moves objects to GLACIER_IR\) is not versioned/,
      },
    },
  ],
});
