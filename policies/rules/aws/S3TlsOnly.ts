import { bucketStatements, cfn, defineRule, principalsOf } from '../../engine/rule-kit';
import { attValue, cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { conditionEntries, globMatch, strings } from '../../engine/iam';

const deny = (resource: unknown, value: unknown = 'false') => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: resource,
  Condition: { Bool: { 'aws:SecureTransport': value } },
});
const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data' } };
const policy = (statements: unknown[]) => ({ Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Data' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } } });

export default defineRule({
  id: 'GEN-AWS-DP-006',
  title: 'Bucket policies deny requests that do not use TLS',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-8', 'SC-8(1)', 'AC-17(2)'],
  target: 'aws',
  rationale: 'S3 accepts plain HTTP unless the bucket policy denies it; controlled data must never cross a network unencrypted.',
  remediation: 'Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and bucket/*, and as its only condition Bool aws:SecureTransport false.',
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
        const actions = strings(s.Action);
        if (!actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) return false;
        // the TLS condition must be the only one: any other condition narrows when the deny applies
        const conditions = conditionEntries(s);
        const tls = conditions.length === 1 && conditions[0].operator === 'Bool' && conditions[0].key === 'aws:securetransport' && String(conditions[0].value) === 'false';
        if (!tls || s.NotResource !== undefined || s.NotPrincipal !== undefined) return false;
        const resources = strings(s.Resource);
        const covers = (target: string) => resources.some((r) => r === '*' || globMatch(r, target));
        return typeof arn === 'string' && covers(arn) && covers(`${arn}/any-object`);
      });
      if (!ok) yield { resource: b.ref, status: 'fail', message: 'no bucket policy statement denies requests without aws:SecureTransport' };
    }
  },
  examples: {
    pass: [cfn({ Data: bucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*'])]) })],
    fail: [
      cfn({ Data: bucket }),
      cfn({ Data: bucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data'])]) }),
      cfn({ Data: bucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data/*'], 'true')]) }),
      cfn({ Data: bucket, Policy: policy([deny(['arn:aws-us-gov:s3:::data/*'])]) }),
      // a second condition that makes the deny apply to one foreign account only
      cfn({
        Data: bucket,
        Policy: policy([{ ...deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*']), Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalAccount': '999999999999' } } }]),
      }),
      cfn({ Data: bucket, Policy: policy([{ ...deny(['arn:aws-us-gov:s3:::data', 'arn:aws-us-gov:s3:::data/*']), Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }]) }),
    ],
  },
});
