import { bucketStatements, cfn, defineRule, principalsOf } from '../../engine/rule-kit';
import { attValue, cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { conditionEntries, globMatch, strings } from '../../engine/iam';

const MIN = 1.2;
const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data' } };
const policy = (version: unknown) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: { Ref: 'Data' },
    PolicyDocument: {
      Statement: [
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: ['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*'], Condition: { NumericLessThan: { 's3:TlsVersion': version } } },
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
  target: 'aws',
  rationale: 'TLS 1.0 and 1.1 are not approved for federal systems (NIST SP 800-52 rev2); S3 still accepts them unless the bucket policy denies requests by s3:TlsVersion.',
  remediation: `Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and bucket/*, Condition NumericLessThan s3:TlsVersion ${MIN} (minimumTLSVersion in the CDK).`,
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const statements = bucketStatements(ctx, b);
      if (isUnknown(statements)) {
        yield undecided(b.ref, 'the bucket policy', statements);
        continue;
      }
      const arn = attValue(b, 'Arn');
      const ok = statements.some((s) => {
        if (s.Effect !== 'Deny' || !principalsOf(s).aws.includes('*')) return false;
        if (!strings(s.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*')) return false;
        const version = conditionEntries(s).find((c) => c.operator === 'NumericLessThan' && c.key === 's3:tlsversion');
        const objects = typeof arn === 'string' && strings(s.Resource).some((r) => r === '*' || globMatch(r, `${arn}/any-object`));
        return version !== undefined && Number(version.value) >= MIN && objects;
      });
      if (!ok) yield { resource: b.ref, status: 'fail', message: `no bucket policy statement denies TLS older than ${MIN}` };
    }
  },
  examples: {
    pass: [cfn({ Data: bucket, Policy: policy(1.2) }), cfn({ Data: bucket, Policy: policy('1.3') })],
    fail: [cfn({ Data: bucket }), cfn({ Data: bucket, Policy: policy(1.0) })],
  },
});
