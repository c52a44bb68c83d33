import { defineRule, isRecord, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isSymbolic, isUnknown } from '../../engine/cfn/resolve';
import { accountOf, pinningKey, platformIds, statementsOf, unknownIn } from '../../engine/iam';
import { cfn } from '../../examples/builders';

const role = (statement: Record<string, unknown>) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [statement] } },
});
const ROOT = /^(arn:[^:]+:iam::\d{12}:root|\d{12})$/;

export default defineRule({
  id: 'GEN-AWS-IAM-005',
  title: 'Role trust policies name scoped principals',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'IA-2', 'IA-9'],
  rationale:
    'A trust policy with Principal "*" lets anyone with an AWS account assume the role unless a condition pins the caller to the platform (a wildcard aws:PrincipalArn pins nothing); trusting a whole account (its root) lets every principal that account permits and needs conditions; another account is outside the platform.',
  remediation:
    'Trust a named role, a service principal, or a federated identity provider; when trusting "*" or an account root, add conditions (aws:PrincipalArn, aws:SourceAccount, sts:ExternalId, OIDC sub).',
  *check(ctx) {
    const ids = platformIds(ctx);
    for (const r of cfnResources(ctx, 'AWS::IAM::Role')) {
      const ss = statementsOf(r.props.AssumeRolePolicyDocument);
      if (isUnknown(ss)) {
        yield undecided(r.ref, 'the trust policy', ss);
        continue;
      }
      for (const s of ss) {
        const u = unknownIn(s, ['Effect', 'Principal', 'NotPrincipal', 'Condition']);
        if (u) {
          yield undecided(r.ref, 'a statement of the trust policy', u);
          continue;
        }
        if (s.Effect !== 'Allow') continue;
        if (s.NotPrincipal !== undefined)
          yield {
            resource: r.ref,
            status: 'fail',
            message: 'trust policy allows NotPrincipal (everyone else)',
          };
        const conditioned = isRecord(s.Condition) && Object.keys(s.Condition).length > 0;
        const aws = principalsOf(s).aws;
        const foreign = aws.filter(
          (a) => a !== '*' && !isSymbolic(a) && !ids.accounts.has(accountOf(a) ?? ''),
        );
        if (foreign.length)
          yield {
            resource: r.ref,
            status: 'fail',
            message: `trust policy trusts ${foreign.join(', ')}, outside the platform's accounts`,
          };
        if (aws.includes('*')) {
          // "*" is scoped only by a condition that pins the caller to the platform
          const pin = pinningKey(s, ids, 'principal');
          if (isUnknown(pin)) yield undecided(r.ref, 'a condition of the trust policy', pin);
          else if (pin === undefined)
            yield {
              resource: r.ref,
              status: 'fail',
              message: `trust policy allows any principal ("*") ${conditioned ? 'with conditions that do not pin the caller to the platform' : 'without conditions'}`,
            };
        }
        if (conditioned) continue;
        const roots = aws.filter((a) => ROOT.test(a));
        if (roots.length)
          yield {
            resource: r.ref,
            status: 'fail',
            message: `trust policy trusts whole account ${roots.join(', ')} without conditions`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a trust of the EKS Pod Identity service',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      }),
      expect: { fires: false },
    },
    {
      name: "any principal of the platform's account",
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: "the account's root, pinned to one role ARN",
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
          Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' } },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: 'any principal without conditions',
      artifacts: cfn({ Role: role({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }) }),
      expect: { fires: true, message: /trust policy allows any principal \("\*"\) without conditions/ },
    },
    {
      name: 'any principal with a condition that accepts any ARN',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringLike: { 'aws:PrincipalArn': '*' } },
        }),
      }),
      expect: {
        fires: true,
        message:
          /trust policy allows any principal \("\*"\) with conditions that do not pin the caller to the/,
      },
    },
    {
      name: 'any principal with MFA, which pins no caller',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      }),
      expect: {
        fires: true,
        message:
          /trust policy allows any principal \("\*"\) with conditions that do not pin the caller to the/,
      },
    },
    {
      name: 'any principal of another account',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '444455556666' } },
        }),
      }),
      expect: {
        fires: true,
        message:
          /trust policy allows any principal \("\*"\) with conditions that do not pin the caller to the/,
      },
    },
    {
      name: 'the root of another account with MFA',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      }),
      expect: {
        fires: true,
        message: /trust policy trusts arn:aws-us-gov:iam::444455556666:root, outside the platform's accounts/,
      },
    },
    {
      name: 'the root of another account without conditions',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' },
          Action: 'sts:AssumeRole',
        }),
      }),
      expect: {
        fires: true,
        message: /trust policy trusts arn:aws-us-gov:iam::444455556666:root, outside the platform's/,
      },
    },
    {
      name: 'the whole own account without conditions',
      artifacts: cfn({
        Role: role({
          Effect: 'Allow',
          Principal: {
            AWS: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
              ],
            },
          },
          Action: 'sts:AssumeRole',
        }),
      }),
      expect: {
        fires: true,
        message: /trust policy trusts whole account arn:aws-us-gov:iam::111122223333:root without conditions/,
      },
    },
  ],
});
