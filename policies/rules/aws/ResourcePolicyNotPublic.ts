import { defineRule, isRecord, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isSymbolic, isUnknown } from '../../engine/cfn/resolve';
import { accountOf, pinningKey, platformIds, statementsOf, unknownIn } from '../../engine/iam';
import { cfn } from '../../examples/builders';

/** Resource types whose policy document can make data public, and the property holding it. */
const POLICY_PROPERTY: Record<string, string> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::S3::AccessPoint': 'Policy',
};

const key = (statement: unknown) => ({
  Type: 'AWS::KMS::Key',
  Properties: { KeyPolicy: { Statement: [statement] } },
});
const bucketPolicy = (statement: unknown) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: 'b', PolicyDocument: { Statement: [statement] } },
});

export default defineRule({
  id: 'GEN-AWS-IAM-006',
  title: 'Resource policies allow no one outside the platform',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-21', 'AC-22'],
  rationale:
    'An Allow to Principal "*" in a bucket, key or secret policy shares the resource with every AWS account (and for S3, with anonymous callers when public access blocks are lifted) unless a condition pins the caller to the platform; a condition that does not (aws:SecureTransport, a wildcard, a foreign account) changes nothing. An Allow naming a principal of another account shares the data outside the platform.',
  remediation:
    'Name principals of the platform\'s own accounts, or pin Principal "*" with aws:PrincipalAccount / aws:SourceAccount / kms:CallerAccount equal to the platform\'s accounts, aws:PrincipalOrgID, aws:SourceVpce or aws:SourceVpc of declared endpoints and VPCs, or aws:PrincipalArn of declared roles (no wildcards, no IfExists). Deny statements are fine.',
  *check(ctx) {
    const ids = platformIds(ctx);
    for (const r of cfnResources(ctx, Object.keys(POLICY_PROPERTY))) {
      const doc = r.props[POLICY_PROPERTY[r.resource.Type]];
      if (doc === undefined) continue;
      const ss = statementsOf(doc);
      if (isUnknown(ss)) {
        yield undecided(r.ref, 'the resource policy', ss);
        continue;
      }
      for (const s of ss) {
        const u = unknownIn(s, ['Effect', 'Principal', 'NotPrincipal', 'Condition']);
        if (u) {
          yield undecided(r.ref, 'a statement of the resource policy', u);
          continue;
        }
        if (s.Effect !== 'Allow') continue;
        const sid = s.Sid ? ` (statement ${String(s.Sid)})` : '';
        const principals = principalsOf(s);
        const foreign = principals.aws.filter(
          (a) => a !== '*' && !isSymbolic(a) && !ids.accounts.has(accountOf(a) ?? ''),
        );
        if (foreign.length)
          yield {
            resource: r.ref,
            status: 'fail',
            message: `policy allows ${foreign.join(', ')}, outside the platform's accounts${sid}`,
          };
        if (s.NotPrincipal !== undefined)
          yield {
            resource: r.ref,
            status: 'fail',
            message: `policy allows NotPrincipal (everyone else)${sid}`,
          };
        if (!principals.all.includes('*')) continue;
        const pin = pinningKey(s, ids, 'principal');
        if (isUnknown(pin)) yield undecided(r.ref, 'a condition of the resource policy', pin);
        else if (pin === undefined)
          yield {
            resource: r.ref,
            status: 'fail',
            message: `policy allows everyone ("*")${isRecord(s.Condition) && Object.keys(s.Condition).length ? ' with conditions that do not pin the caller to the platform' : ' without conditions'}${sid}`,
          };
      }
    }
  },
  examples: [
    {
      name: "a key policy for everyone of the platform's account",
      artifacts: cfn({
        Key: key({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket policy for everyone through the VPC endpoint of the assembly',
      artifacts: cfn({
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Vpce: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.us-gov-west-1.s3' },
        },
        Policy: bucketPolicy({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringEquals: { 'aws:SourceVpce': { Ref: 'Vpce' } } },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: "a key policy for the account's root",
      artifacts: cfn({
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
                  Action: 'kms:*',
                  Resource: '*',
                },
              ],
            },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket policy that allows everyone',
      artifacts: cfn({
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'b',
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
              ],
            },
          },
        },
      }),
      expect: { fires: true, message: /policy allows everyone \("\*"\) without conditions/ },
    },
    {
      name: 'a key policy that allows everyone',
      artifacts: cfn({
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }],
            },
          },
        },
      }),
      expect: { fires: true, message: /policy allows everyone \("\*"\) without conditions/ },
    },
    // conditions that do not pin the caller
    {
      name: 'everyone over TLS, a condition that does not pin the caller',
      artifacts: cfn({
        Policy: bucketPolicy({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows everyone \("\*"\) with conditions that do not pin the caller to the platform/,
      },
    },
    {
      name: 'everyone of two accounts, one outside the platform',
      artifacts: cfn({
        Key: key({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': ['111122223333', '444455556666'] } },
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows everyone \("\*"\) with conditions that do not pin the caller to the platform/,
      },
    },
    {
      name: 'everyone of any account by a wildcard',
      artifacts: cfn({
        Key: key({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringLike: { 'aws:PrincipalAccount': '*' } },
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows everyone \("\*"\) with conditions that do not pin the caller to the platform/,
      },
    },
    {
      name: 'everyone by an IfExists account condition',
      artifacts: cfn({
        Key: key({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } },
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows everyone \("\*"\) with conditions that do not pin the caller to the platform/,
      },
    },
    {
      name: 'everyone through a VPC endpoint the assembly does not declare',
      artifacts: cfn({
        Key: key({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows everyone \("\*"\) with conditions that do not pin the caller to the platform/,
      },
    },
    // a principal of another account
    {
      name: 'a principal of another account',
      artifacts: cfn({
        Policy: bucketPolicy({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        }),
      }),
      expect: {
        fires: true,
        message: /policy allows arn:aws-us-gov:iam::444455556666:root, outside the platform's accounts/,
      },
    },
  ],
});
