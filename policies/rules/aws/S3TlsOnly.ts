import { bucketDeniesAllWhen, bucketStatements, defineRule } from '../../engine/rule-kit';
import { attValue, cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn, dataBucket } from '../../examples/builders';

const deny = (resource: unknown, value: unknown = 'false') => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: resource,
  Condition: { Bool: { 'aws:SecureTransport': value } },
});
const policy = (statements: unknown[]) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: { Ref: 'Data' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
});

export default defineRule({
  id: 'GEN-AWS-DP-006',
  title: 'Bucket policies deny requests that do not use TLS',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-8', 'SC-8(1)', 'AC-17(2)'],
  rationale:
    'S3 accepts plain HTTP unless the bucket policy denies it; controlled data must never cross a network unencrypted.',
  remediation:
    'Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and bucket/*, and as its only condition Bool aws:SecureTransport false.',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const statements = bucketStatements(ctx, b);
      if (isUnknown(statements)) {
        yield undecided(b.ref, 'the bucket policy', statements);
        continue;
      }
      const ok = bucketDeniesAllWhen(
        statements,
        attValue(b, 'Arn'),
        (c) => c.operator === 'Bool' && c.key === 'aws:securetransport' && String(c.value) === 'false',
      );
      if (!ok)
        yield {
          resource: b.ref,
          status: 'fail',
          message: 'no bucket policy statement denies requests without aws:SecureTransport',
        };
    }
  },
  examples: [
    {
      name: 'a deny of plain HTTP on the bucket and its objects',
      artifacts: cfn({
        Data: dataBucket,
        Policy: policy([deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*'])]),
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without policy',
      artifacts: cfn({ Data: dataBucket }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
    {
      name: 'a deny that covers the bucket but not its objects',
      artifacts: cfn({ Data: dataBucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data'])]) }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
    {
      name: 'a deny of TLS requests instead of plain ones',
      artifacts: cfn({ Data: dataBucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data/*'], 'true')]) }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
    {
      name: 'a deny that covers the objects but not the bucket',
      artifacts: cfn({ Data: dataBucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data/*'])]) }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
    // a second condition that makes the deny apply to one foreign account only
    {
      name: 'a deny narrowed to one foreign account',
      artifacts: cfn({
        Data: dataBucket,
        Policy: policy([
          {
            ...deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*']),
            Condition: {
              Bool: { 'aws:SecureTransport': 'false' },
              StringEquals: { 'aws:PrincipalAccount': '999999999999' },
            },
          },
        ]),
      }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
    {
      name: 'a deny with BoolIfExists',
      artifacts: cfn({
        Data: dataBucket,
        Policy: policy([
          {
            ...deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*']),
            Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      }),
      expect: {
        fires: true,
        message: /no bucket policy statement denies requests without aws:SecureTransport/,
      },
    },
  ],
});
