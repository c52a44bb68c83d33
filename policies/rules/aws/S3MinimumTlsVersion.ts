import { bucketDeniesAllWhen, bucketStatements, defineRule } from '../../engine/rule-kit';
import { attValue, cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn, dataBucket } from '../../examples/builders';

const MIN = 1.2;
const policy = (version: unknown, extraCondition: Record<string, unknown> = {}) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: { Ref: 'Data' },
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: ['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*'],
          Condition: { NumericLessThan: { 's3:TlsVersion': version }, ...extraCondition },
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-DP-017',
  title: 'Bucket policies deny TLS versions older than 1.2',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-8', 'SC-8(1)', 'SC-13'],
  rationale:
    'TLS 1.0 and 1.1 are not approved for federal systems (NIST SP 800-52 rev2); S3 still accepts them unless the bucket policy denies requests by s3:TlsVersion.',
  remediation: `Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and bucket/*, Condition NumericLessThan s3:TlsVersion ${MIN} (minimumTLSVersion in the CDK).`,
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
        (c) => c.operator === 'NumericLessThan' && c.key === 's3:tlsversion' && Number(c.value) >= MIN,
      );
      if (!ok)
        yield {
          resource: b.ref,
          status: 'fail',
          message: `no bucket policy statement denies TLS older than ${MIN}`,
        };
    }
  },
  examples: [
    {
      name: 'a deny of TLS below 1.2',
      artifacts: cfn({ Data: dataBucket, Policy: policy(1.2) }),
      expect: { fires: false },
    },
    {
      name: 'a deny of TLS below 1.3 (a string)',
      artifacts: cfn({ Data: dataBucket, Policy: policy('1.3') }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without policy',
      artifacts: cfn({ Data: dataBucket }),
      expect: { fires: true, message: /no bucket policy statement denies TLS older than 1\.2/ },
    },
    {
      name: 'a deny of TLS below 1.0 only',
      artifacts: cfn({ Data: dataBucket, Policy: policy(1.0) }),
      expect: { fires: true, message: /no bucket policy statement denies TLS older than 1\.2/ },
    },
    // A second condition narrows the deny to one account's callers: everyone else may use TLS 1.0.
    {
      name: "a TLS deny narrowed to one account's callers",
      artifacts: cfn({
        Data: dataBucket,
        Policy: policy(1.2, { StringEquals: { 'aws:PrincipalAccount': '999999999999' } }),
      }),
      expect: { fires: true, message: /no bucket policy statement denies TLS older than 1\.2/ },
    },
  ],
});
