import { cfn } from '../../examples/builders';
import { defineRule, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import {
  conditionEntries,
  globMatch,
  statementsOf,
  strings,
  unknownIn,
  type Statement,
} from '../../engine/iam';
import { isUnknown } from '../../engine/cfn/resolve';

/** Condition keys whose falseness (BoolIfExists) may scope the deny: both say "not for an AWS service". */
const SCOPE_KEYS = new Set(['kms:grantisforawsresource', 'aws:principalisawsservice']);

/**
 * A Deny of kms:CreateGrant to everyone, on the key, that lapses only when an AWS service asks
 * for the grant: no condition (denies every grant), or BoolIfExists conditions that the grant is
 * not for an AWS resource (and, optionally, that the caller is not an AWS service).
 */
function limitsGrants(s: Statement): boolean {
  if (s.Effect !== 'Deny' || !principalsOf(s).aws.includes('*')) return false;
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) return false;
  if (!strings(s.Action).some((a) => globMatch(a, 'kms:CreateGrant'))) return false;
  if (!strings(s.Resource).includes('*')) return false;
  const conditions = conditionEntries(s);
  if (s.Condition !== undefined && conditions.length === 0) return false;
  if (conditions.length === 0) return true;
  const isFalse = (v: unknown) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false');
  return (
    conditions.every((c) => c.operator === 'BoolIfExists' && SCOPE_KEYS.has(c.key) && isFalse(c.value)) &&
    conditions.some((c) => c.key === 'kms:grantisforawsresource')
  );
}

const key = (statements: unknown[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: statements } },
});
const admin = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: 'kms:*',
  Resource: '*',
};
const deny = (extra: Record<string, unknown> = {}) => ({
  Sid: 'GrantsOnlyForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  ...extra,
});

export default defineRule({
  id: 'GEN-AWS-DP-019',
  title: 'KMS key policies let only AWS services create grants',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'SC-12'],
  rationale:
    'A grant hands out use of a key without the conditions of its key policy (the kms:ViaService perimeter, the grant tags, the end of an agreement), and lives until it is retired. Integrated services (EBS, EKS, EFS, FSx, AWS Backup) need grants for the resources they encrypt; nobody else does. A key policy statement that denies kms:CreateGrant unless it is for an AWS resource keeps every other principal, administrators included, from handing key use to a person or a role (AWS Control Tower CT.KMS.PR.3).',
  remediation:
    "Add to the key policy: { Effect: Deny, Principal: { AWS: '*' }, Action: kms:CreateGrant, Resource: '*', Condition: { BoolIfExists: { kms:GrantIsForAWSResource: 'false', aws:PrincipalIsAWSService: 'false' } } }.",
  *check(ctx) {
    for (const k of cfnResources(ctx, 'AWS::KMS::Key')) {
      if (k.props.KeyPolicy === undefined) {
        yield {
          resource: k.ref,
          status: 'fail',
          message: 'key has no key policy: the default one lets the account create any grant',
        };
        continue;
      }
      const statements = statementsOf(k.props.KeyPolicy);
      if (isUnknown(statements)) {
        yield undecided(k.ref, 'the key policy', statements);
        continue;
      }
      if (statements.some(limitsGrants)) continue;
      const unread = statements
        .map((s) => unknownIn(s, ['Effect', 'Principal', 'Action', 'Resource', 'Condition']))
        .find((u) => u !== undefined);
      if (unread) yield undecided(k.ref, 'whether the key policy limits kms:CreateGrant', unread);
      else
        yield {
          resource: k.ref,
          status: 'fail',
          message: 'key policy does not deny kms:CreateGrant to principals other than AWS services',
        };
    }
  },
  examples: [
    {
      name: 'a key policy with the grant deny of CT.KMS.PR.3',
      artifacts: cfn({ Key: key([admin, deny()]) }),
      expect: { fires: false },
    },
    {
      name: 'a deny of every kms action with no condition',
      artifacts: cfn({ Key: key([admin, deny({ Action: 'kms:*', Condition: undefined })]) }),
      expect: { fires: false },
    },
    {
      name: 'the CDK default key policy: the account may create any grant',
      artifacts: cfn({ Key: key([admin]) }),
      expect: { fires: true, message: /does not deny kms:CreateGrant/ },
    },
    {
      name: 'a key with no key policy at all',
      artifacts: cfn({ Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } }),
      expect: { fires: true, message: /no key policy/ },
    },
    {
      name: 'the deny lapses under plain Bool, where the condition key may be absent',
      artifacts: cfn({
        Key: key([admin, deny({ Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } })]),
      }),
      expect: { fires: true, message: /does not deny kms:CreateGrant/ },
    },
    {
      name: 'the deny lapses for one principal',
      artifacts: cfn({
        Key: key([
          admin,
          deny({
            Condition: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' },
              StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ops' },
            },
          }),
        ]),
      }),
      expect: { fires: true, message: /key policy does not deny kms:CreateGrant to principals other/ },
    },
    {
      name: 'the deny spares a principal by NotPrincipal',
      artifacts: cfn({
        Key: key([
          admin,
          { ...deny({ Principal: undefined }), NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } },
        ]),
      }),
      expect: { fires: true, message: /key policy does not deny kms:CreateGrant to principals other/ },
    },
    {
      name: 'the deny covers another action only',
      artifacts: cfn({ Key: key([admin, deny({ Action: 'kms:RetireGrant' })]) }),
      expect: { fires: true, message: /key policy does not deny kms:CreateGrant to principals other/ },
    },
  ],
});
