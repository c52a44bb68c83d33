import { cfn, defineRule } from '../../engine/rule-kit';
import { allowStatements, conditionEntries, isDataAction, isUnboundedResource, strings } from '../../engine/iam';
import { managedPolicy } from '../../engine/tenants';

/** Condition keys that narrow Resource "*" to particular resources (by tag, by KMS alias or encryption context). */
const SCOPING = /^(aws:resourcetag\/|kms:resourcealiases$|kms:encryptioncontext:)/;
/** Operators that require a match (not a negation, not IfExists, which passes when the key is absent). */
const MATCHING = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/**
 * Whether a condition entry narrows Resource "*". A KMS alias or encryption context narrows only
 * with a matching operator and values that each name something (no value made only of
 * wildcards, no ARN whose resource part is only wildcards). A resource tag narrows to the
 * resources carrying it: a matching operator with such values, or the presence of the tag (Null
 * false, or StringLike "*"), the pattern by which a controller reaches only what it tagged.
 * Unknown values are reported by allowStatements (Condition is one of its fields).
 */
const names = (v: unknown): boolean => typeof v === 'string' && !/^[*?]*$/.test(v) && !isUnboundedResource(v) && !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:[*?]/.test(v);
const narrows = (c: { operator: string; key: string; value: unknown }): boolean => {
  if (!SCOPING.test(c.key)) return false;
  const values = Array.isArray(c.value) ? c.value : [c.value];
  const tag = c.key.startsWith('aws:resourcetag/');
  if (tag && c.operator === 'Null') return values.length === 1 && String(values[0]) === 'false';
  if (!MATCHING.test(c.operator) || c.operator.startsWith('ForAllValues:') || values.length === 0) return false;
  return values.every((v) => names(v) || (tag && c.operator === 'StringLike' && v === '*'));
};

const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } };

export default defineRule({
  id: 'GEN-AWS-IAM-002',
  title: 'Data actions are never allowed on Resource "*"',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-3', 'AC-21'],
  target: 'aws',
  rationale: 'Reading, writing or decrypting on Resource "*" reaches every bucket, key and secret of the account, present and future, including datasets the principal was never granted.',
  remediation: 'Name the buckets (arn:...:s3:::bucket/*), keys, file systems or secrets in Resource, or narrow "*" with an aws:ResourceTag/<key>, kms:ResourceAliases or kms:EncryptionContext condition whose values name something (not "*", not every bucket).',
  *check(ctx) {
    for (const x of allowStatements(ctx, ['Action', 'Resource', 'NotResource', 'Condition'])) {
      if ('undecided' in x) {
        yield x.undecided;
        continue;
      }
      const { policy: p, statement: s } = x;
      const unbounded = strings(s.Resource).filter(isUnboundedResource);
      if (unbounded.length === 0 && s.NotResource === undefined) continue;
      if (conditionEntries(s).some(narrows)) continue;
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
      // conditions on a scoping key that accept any value narrow nothing
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': '*' } } }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws-us-gov:s3:::*' } } }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/genesis:tier': 'x' } } }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: { StringEqualsIfExists: { 'aws:ResourceTag/genesis:tier': 'x' } } }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt*'], Resource: ['*'] }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['fsx:CreateFileSystem', 'fsx:DeleteFileSystem'], Resource: '*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws-us-gov:s3:::*/*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*' }]) }),
    ],
  },
});
