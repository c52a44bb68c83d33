import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;
const all = Object.fromEntries(FLAGS.map((f) => [f, true]));

export default defineRule({
  id: 'GEN-AWS-DP-007',
  title: 'S3 buckets block every form of public access',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AC-3', 'AC-21', 'SC-7'],
  rationale:
    'A public ACL or bucket policy would publish federal data to the internet; the bucket-level block makes that impossible whatever policy is later attached.',
  remediation: `Set PublicAccessBlockConfiguration with ${FLAGS.join(', ')} all true.`,
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const pab = b.props.PublicAccessBlockConfiguration;
      if (containsUnknown(pab)) {
        yield undecided(b.ref, 'the public access block', pab);
        continue;
      }
      const off = FLAGS.filter((f) => !isRecord(pab) || (pab[f] !== true && pab[f] !== 'true'));
      if (off.length)
        yield {
          resource: b.ref,
          status: 'fail',
          message: `public access not blocked: ${off.join(', ')} not true`,
        };
    }
  },
  examples: [
    {
      name: 'a bucket that blocks every form of public access',
      artifacts: cfn({
        Data: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: all } },
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without public access block',
      artifacts: cfn({ Data: { Type: 'AWS::S3::Bucket', Properties: {} } }),
      expect: {
        fires: true,
        message: /public access not blocked: BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls,/,
      },
    },
    {
      name: 'a bucket that does not restrict public buckets',
      artifacts: cfn({
        Data: {
          Type: 'AWS::S3::Bucket',
          Properties: { PublicAccessBlockConfiguration: { ...all, RestrictPublicBuckets: false } },
        },
      }),
      expect: { fires: true, message: /public access not blocked: RestrictPublicBuckets not true/ },
    },
  ],
});
