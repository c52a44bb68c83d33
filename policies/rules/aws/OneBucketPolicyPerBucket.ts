import { bucketPoliciesOf, defineRule } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { cfn, dataBucket } from '../../examples/builders';

const policy = (principal: string) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: { Ref: 'Data' },
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: 's3:GetObject',
          Resource: 'arn:aws-us-gov:s3:::data/*',
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-DP-018',
  title: 'Each bucket has at most one bucket policy',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AC-3', 'CM-3', 'CM-5'],
  rationale:
    'S3 keeps one policy per bucket: of two AWS::S3::BucketPolicy resources on the same bucket, whichever CloudFormation writes last replaces the other, so what is deployed (a TLS deny, or an allow to another account) depends on ordering, not on what was reviewed.',
  remediation:
    'Keep all statements of a bucket in a single AWS::S3::BucketPolicy (the CDK does this through bucket.addToResourcePolicy).',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const policies = bucketPoliciesOf(ctx, b);
      if (policies.length > 1)
        yield {
          resource: b.ref,
          status: 'fail',
          message: `bucket has ${policies.length} bucket policies (${policies.map((p) => `${p.stack.stackName}/${p.logicalId}`).join(', ')}); S3 keeps only one`,
        };
    }
  },
  examples: [
    {
      name: 'a bucket with one bucket policy',
      artifacts: cfn({ Data: dataBucket, Policy: policy('arn:aws-us-gov:iam::111122223333:root') }),
      expect: { fires: false },
    },
    {
      name: 'a bucket with two bucket policies',
      artifacts: cfn({
        Data: dataBucket,
        Policy: policy('arn:aws-us-gov:iam::111122223333:root'),
        Second: policy('arn:aws-us-gov:iam::444455556666:root'),
      }),
      expect: {
        fires: true,
        message:
          /bucket has 2 bucket policies \(Site-example\/Policy, Site-example\/Second\); S3 keeps only one/,
      },
    },
  ],
});
