import { cfn, defineRule } from '../../engine/rule-kit';
import { allowStatements, conditionEntries, isDataAction, isUnboundedResource, strings } from '../../engine/iam';
import { managedPolicy } from '../../engine/tenants';

/** Condition keys that narrow Resource "*" to particular resources (by tag, by KMS alias or encryption context). */
const SCOPING = /^(aws:resourcetag\/|kms:resourcealiases$|kms:encryptioncontext:)/;

const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } };

export default defineRule({
  id: 'GEN-AWS-IAM-002',
  title: 'Data actions are never allowed on Resource "*"',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-3', 'AC-21'],
  target: 'aws',
  rationale: 'Reading, writing or decrypting on Resource "*" reaches every bucket, key and secret of the account, present and future, including datasets the principal was never granted.',
  remediation: 'Name the buckets (arn:...:s3:::bucket/*), keys, file systems or secrets in Resource, or narrow "*" with an aws:ResourceTag/<key>, kms:ResourceAliases or kms:EncryptionContext condition.',
  *check(ctx) {
    for (const x of allowStatements(ctx, ['Action', 'Resource', 'NotResource', 'Condition'])) {
      if ('undecided' in x) {
        yield x.undecided;
        continue;
      }
      const { policy: p, statement: s } = x;
      const unbounded = strings(s.Resource).filter(isUnboundedResource);
      if (unbounded.length === 0 && s.NotResource === undefined) continue;
      if (conditionEntries(s).some((c) => SCOPING.test(c.key))) continue;
      const data = strings(s.Action).filter(isDataAction);
      const on = s.NotResource !== undefined ? 'every resource but those in NotResource' : unbounded.join(', ');
      if (data.length) yield { resource: p.item.ref, status: 'fail', message: `policy ${p.name} allows ${data.join(', ')} on ${on}${s.Sid ? ` (statement ${String(s.Sid)})` : ''}` };
    }
  },
  examples: {
    pass: [
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' }]) }),
      cfn({
        Role: role,
        Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['fsx:DeleteFileSystem'], Resource: '*', Condition: { StringLike: { 'aws:ResourceTag/CSIVolumeName': '*' } } }]),
      }),
      cfn({
        Role: role,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/genesis/data' } } },
        ]),
      }),
    ],
    fail: [
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt*'], Resource: ['*'] }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['fsx:CreateFileSystem', 'fsx:DeleteFileSystem'], Resource: '*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws-us-gov:s3:::*/*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*' }]) }),
    ],
  },
});
