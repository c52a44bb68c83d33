import { defineRule } from '../../engine/rule-kit';
import {
  allowStatements,
  conditionEntries,
  isDataAction,
  isUnboundedResource,
  strings,
} from '../../engine/iam';
import { cfn, managedPolicy, plainRole } from '../../examples/builders';

/** Condition keys that narrow Resource "*" to particular resources (by tag, by KMS alias or encryption context). */
const SCOPING = /^(aws:resourcetag\/|kms:resourcealiases$|kms:encryptioncontext:)/;
/** Operators that require a match (not a negation, not IfExists, which passes when the key is absent). */
const MATCHING =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/**
 * Whether a condition entry narrows Resource "*". A KMS alias or encryption context narrows only
 * with a matching operator and values that each name something (no value made only of
 * wildcards, no ARN whose resource part is only wildcards). A resource tag narrows to the
 * resources carrying it: a matching operator with such values, or the presence of the tag (Null
 * false, or StringLike "*"), the pattern by which a controller reaches only what it tagged.
 * Unknown values are reported by allowStatements (Condition is one of its fields).
 */
const names = (v: unknown): boolean =>
  typeof v === 'string' &&
  !/^[*?]*$/.test(v) &&
  !isUnboundedResource(v) &&
  !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:[*?]/.test(v);
const narrows = (c: { operator: string; key: string; value: unknown }): boolean => {
  if (!SCOPING.test(c.key)) return false;
  const values = Array.isArray(c.value) ? c.value : [c.value];
  const tag = c.key.startsWith('aws:resourcetag/');
  if (tag && c.operator === 'Null') return values.length === 1 && String(values[0]) === 'false';
  if (!MATCHING.test(c.operator) || c.operator.startsWith('ForAllValues:') || values.length === 0)
    return false;
  return values.every((v) => names(v) || (tag && c.operator === 'StringLike' && v === '*'));
};

export default defineRule({
  id: 'GEN-AWS-IAM-002',
  title: 'Data actions are never allowed on Resource "*"',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-3', 'AC-21'],
  rationale:
    'Reading, writing or decrypting on Resource "*" reaches every bucket, key and secret of the account, present and future, including datasets the principal was never granted.',
  remediation:
    'Name the buckets (arn:...:s3:::bucket/*), keys, file systems or secrets in Resource, or narrow "*" with an aws:ResourceTag/<key>, kms:ResourceAliases or kms:EncryptionContext condition whose values name something (not "*", not every bucket).',
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
      const on =
        s.NotResource !== undefined ? 'every resource but those in NotResource' : unbounded.join(', ');
      if (data.length)
        yield {
          resource: p.item.ref,
          status: 'fail',
          message: `policy ${p.name} allows ${data.join(', ')} on ${on}${s.Sid ? ` (statement ${String(s.Sid)})` : ''}`,
        };
    }
  },
  examples: [
    {
      name: 's3:GetObject on the objects of one bucket',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' },
        ]),
      }),
      expect: { fires: false },
    },
    {
      name: 'ec2:DescribeInstances on "*"',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' },
        ]),
      }),
      expect: { fires: false },
    },
    {
      name: 'fsx:DeleteFileSystem on "*" scoped by a resource tag condition',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['fsx:DeleteFileSystem'],
            Resource: '*',
            Condition: { StringLike: { 'aws:ResourceTag/CSIVolumeName': '*' } },
          },
        ]),
      }),
      expect: { fires: false },
    },
    {
      name: 'kms:Decrypt on the keys of the account scoped to one alias',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*',
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/genesis/data' } },
          },
        ]),
      }),
      expect: { fires: false },
    },
    {
      name: 's3:GetObject on "*"',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:GetObject on \*/ },
    },
    // conditions on a scoping key that accept any value narrow nothing
    {
      name: 'kms:Decrypt on "*" with a condition that accepts any value',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: '*',
            Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': '*' } },
          },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows kms:Decrypt on \*/ },
    },
    {
      name: 'kms:Decrypt on "*" with an encryption context of any bucket',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: '*',
            Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws-us-gov:s3:::*' } },
          },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows kms:Decrypt on \*/ },
    },
    {
      name: 's3:GetObject on "*" with a negated tag condition',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:ResourceTag/genesis:tier': 'x' } },
          },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:GetObject on \*/ },
    },
    {
      name: 's3:GetObject on "*" with an IfExists tag condition',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: '*',
            Condition: { StringEqualsIfExists: { 'aws:ResourceTag/genesis:tier': 'x' } },
          },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:GetObject on \*/ },
    },
    {
      name: 'kms:Decrypt* on ["*"]',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:Decrypt*'], Resource: ['*'] }]),
      }),
      expect: { fires: true, message: /policy Policy allows kms:Decrypt\* on \*/ },
    },
    {
      name: 'fsx:DeleteFileSystem on "*" without a condition',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['fsx:CreateFileSystem', 'fsx:DeleteFileSystem'], Resource: '*' },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows fsx:DeleteFileSystem on \*/ },
    },
    {
      name: 's3:GetObject on every object of every bucket',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws-us-gov:s3:::*/*' },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:GetObject on arn:aws-us-gov:s3:::\*\/\*/ },
    },
    {
      name: 'kms:Decrypt on every key of the account',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*',
          },
        ]),
      }),
      expect: {
        fires: true,
        message: /policy Policy allows kms:Decrypt on arn:aws-us-gov:kms:us-gov-west-1:111122223333:key\/\*/,
      },
    },
  ],
});
