import { asArray, defineRule, isRecord, policySize } from '../../engine/rule-kit';
import { cfnResources, refValue } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import { cfn } from '../../examples/builders';

const LIMIT = 10_240;
const doc = (n: number) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`),
    },
  ],
});
const role = (n: number) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [] },
    Policies: [{ PolicyName: 'a', PolicyDocument: doc(n) }],
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-006',
  title: 'Inline policies of a role stay within 10,240 characters in all',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'AC-6'],
  rationale:
    "All inline policies of a role share one 10,240-character budget (white space excluded); AWS::IAM::Policy resources attached to a role are inline policies too and count against the role's budget.",
  remediation: 'Move statements into customer managed policies attached to the role.',
  *check(ctx) {
    const attached = new Map<unknown, number>();
    for (const p of cfnResources(ctx, ['AWS::IAM::Policy', 'AWS::IAM::RolePolicy'])) {
      const size = policySize(p.props.PolicyDocument);
      for (const r of p.resource.Type === 'AWS::IAM::RolePolicy'
        ? [p.props.RoleName]
        : asArray(p.props.Roles))
        attached.set(r, (attached.get(r) ?? 0) + size);
    }
    for (const role of cfnResources(ctx, 'AWS::IAM::Role')) {
      const own = asArray(role.props.Policies).reduce<number>(
        (sum, p) => sum + (isRecord(p) ? policySize(p.PolicyDocument) : 0),
        0,
      );
      const r = limitResult(
        role.ref,
        'inline policies of the role',
        own + (attached.get(refValue(role)) ?? 0),
        LIMIT,
        'characters',
      );
      if (r) yield r;
    }
  },
  examples: [
    {
      name: 'a role with small inline policies',
      artifacts: cfn({ Role: role(10) }),
      expect: { fires: false },
    },
    {
      name: 'a role whose inline policy is 86% of the limit',
      artifacts: cfn({ Role: role(300) }),
      expect: {
        fires: true,
        message: /inline policies of the role is \d+ characters, 86% of the limit of 10240 characters/,
      },
    },
    {
      name: 'a role whose inline and attached IAM policies are 90% of the limit',
      artifacts: cfn({
        Role: role(10),
        Extra: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyName: 'b', Roles: [{ Ref: 'Role' }], PolicyDocument: doc(300) },
        },
      }),
      expect: {
        fires: true,
        message: /inline policies of the role is \d+ characters, 90% of the limit of 10240 characters/,
      },
    },
  ],
});
