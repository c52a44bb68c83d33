import { cfn, defineRule, isRecord, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { statementsOf, unknownIn } from '../../engine/iam';

const role = (statement: Record<string, unknown>) => ({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [statement] } } });
const ROOT = /^(arn:[^:]+:iam::\d{12}:root|\d{12})$/;

export default defineRule({
  id: 'GEN-AWS-IAM-005',
  title: 'Role trust policies name scoped principals',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'IA-2', 'IA-9'],
  target: 'aws',
  rationale: 'A trust policy with Principal "*" lets anyone with an AWS account assume the role; trusting a whole account (its root) lets every principal that account permits. Either needs conditions that pin who may assume it.',
  remediation: 'Trust a named role, a service principal, or a federated identity provider; when trusting "*" or an account root, add conditions (aws:PrincipalArn, aws:SourceAccount, sts:ExternalId, OIDC sub).',
  *check(ctx) {
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
        const conditioned = isRecord(s.Condition) && Object.keys(s.Condition).length > 0;
        if (conditioned) continue;
        const aws = principalsOf(s).aws;
        if (aws.includes('*')) yield { resource: r.ref, status: 'fail', message: 'trust policy allows any principal ("*") without conditions' };
        const roots = aws.filter((a) => ROOT.test(a));
        if (roots.length) yield { resource: r.ref, status: 'fail', message: `trust policy trusts whole account ${roots.join(', ')} without conditions` };
        if (s.NotPrincipal !== undefined) yield { resource: r.ref, status: 'fail', message: 'trust policy allows NotPrincipal (everyone else)' };
      }
    }
  },
  examples: {
    pass: [
      cfn({ Role: role({ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }) }),
      cfn({ Role: role({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' } } }) }),
    ],
    fail: [
      cfn({ Role: role({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }) }),
      cfn({ Role: role({ Effect: 'Allow', Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' }, Action: 'sts:AssumeRole' }) }),
      cfn({ Role: role({ Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'sts:AssumeRole' }) }),
    ],
  },
});
