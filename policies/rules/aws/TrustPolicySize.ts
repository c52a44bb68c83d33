import { defineRule, policySize } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import { cfn } from '../../examples/builders';

const LIMIT = 2048;
const role = (clusters: number) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            ArnEquals: {
              'aws:RequestTag/eks-cluster-arn': Array.from(
                { length: clusters },
                (_, i) => `arn:aws:eks:us-gov-west-1:111122223333:cluster/c${i}`,
              ),
            },
          },
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-007',
  title: 'Trust policies stay within 2,048 characters',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'AC-6'],
  rationale:
    'The default IAM quota on a role trust policy is 2,048 characters; a tenant role trusted on many clusters crosses it and the deploy fails.',
  remediation: 'Trust fewer clusters per role, or request a quota increase (up to 4,096) and record it.',
  *check(ctx) {
    for (const r of cfnResources(ctx, 'AWS::IAM::Role')) {
      const res = limitResult(
        r.ref,
        'trust policy',
        policySize(r.props.AssumeRolePolicyDocument),
        LIMIT,
        'characters',
      );
      if (res) yield res;
    }
  },
  examples: [
    { name: 'a trust policy of two statements', artifacts: cfn({ Role: role(2) }), expect: { fires: false } },
    {
      name: 'a trust policy above 2,048 characters',
      artifacts: cfn({ Role: role(40) }),
      expect: { fires: true, message: /trust policy is \d+ characters, above the limit of 2048 characters/ },
    },
  ],
});
