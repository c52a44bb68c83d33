import { cfn, defineRule, isRecord, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { statementsOf, unknownIn } from '../../engine/iam';

/** Resource types whose policy document can make data public, and the property holding it. */
const POLICY_PROPERTY: Record<string, string> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::S3::AccessPoint': 'Policy',
};

export default defineRule({
  id: 'GEN-AWS-IAM-006',
  title: 'Resource policies do not allow everyone',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-21', 'AC-22'],
  target: 'aws',
  rationale: 'An Allow to Principal "*" without conditions in a bucket, key or secret policy shares the resource with every AWS account (and for S3, with anonymous callers when public access blocks are lifted).',
  remediation: 'Name the principals, or add conditions that pin them (aws:PrincipalAccount, aws:SourceVpce, aws:PrincipalOrgID). Deny statements with Principal "*" are fine.',
  *check(ctx) {
    for (const r of cfnResources(ctx, Object.keys(POLICY_PROPERTY))) {
      const doc = r.props[POLICY_PROPERTY[r.resource.Type]];
      if (doc === undefined) continue;
      const ss = statementsOf(doc);
      if (isUnknown(ss)) {
        yield undecided(r.ref, 'the resource policy', ss);
        continue;
      }
      for (const s of ss) {
        const u = unknownIn(s, ['Effect', 'Principal', 'Condition']);
        if (u) {
          yield undecided(r.ref, 'a statement of the resource policy', u);
          continue;
        }
        if (s.Effect !== 'Allow' || !principalsOf(s).all.includes('*')) continue;
        if (!isRecord(s.Condition) || Object.keys(s.Condition).length === 0)
          yield { resource: r.ref, status: 'fail', message: `policy allows everyone ("*") without conditions${s.Sid ? ` (statement ${String(s.Sid)})` : ''}` };
      }
    }
  },
  examples: {
    pass: [
      cfn({
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] } } },
      }),
    ],
    fail: [
      cfn({
        Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b', PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } } },
      }),
      cfn({ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }] } } } }),
    ],
  },
});
