import { defineRule, isAccessLogTarget, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-013',
  title: 'S3 buckets write server access logs',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-2', 'AU-12'],
  rationale:
    'Data owners must be able to tell who read which object; S3 server access logs record every request, including those CloudTrail data events would not sample.',
  remediation:
    'Set LoggingConfiguration.DestinationBucketName to the account access-log bucket (that bucket itself is exempt).',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      if (isAccessLogTarget(ctx, b)) continue;
      const cfg = b.props.LoggingConfiguration;
      if (containsUnknown(cfg)) yield undecided(b.ref, 'the access logging', cfg);
      else if (!isRecord(cfg) || cfg.DestinationBucketName === undefined)
        yield { resource: b.ref, status: 'fail', message: 'bucket does not write server access logs' };
    }
  },
  examples: [
    {
      name: 'a bucket that logs to a log bucket',
      artifacts: cfn({
        Logs: { Type: 'AWS::S3::Bucket', Properties: {} },
        Data: {
          Type: 'AWS::S3::Bucket',
          Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } } },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without access logs',
      artifacts: cfn({ Data: { Type: 'AWS::S3::Bucket', Properties: {} } }),
      expect: { fires: true, message: /bucket does not write server access logs/ },
    },
  ],
});
