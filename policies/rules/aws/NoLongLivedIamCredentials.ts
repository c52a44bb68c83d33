import { defineRule } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { cfn, plainRole } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-IAM-008',
  title: 'No IAM users or access keys',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['IA-2', 'IA-5', 'AC-2'],
  rationale:
    'Long-lived access keys leak and do not expire; people sign in through federation and workloads assume roles with short-lived credentials (EKS Pod Identity).',
  remediation:
    'Remove AWS::IAM::User and AWS::IAM::AccessKey; use roles assumed through federation or Pod Identity.',
  *check(ctx) {
    for (const r of cfnResources(ctx, ['AWS::IAM::User', 'AWS::IAM::AccessKey']))
      yield { resource: r.ref, status: 'fail', message: `${r.resource.Type} creates long-lived credentials` };
  },
  examples: [
    {
      name: 'a role only',
      artifacts: cfn({
        Role: plainRole,
      }),
      expect: { fires: false },
    },
    {
      name: 'an IAM user',
      artifacts: cfn({ User: { Type: 'AWS::IAM::User', Properties: {} } }),
      expect: { fires: true, message: /AWS::IAM::User creates long-lived credentials/ },
    },
    {
      name: 'an IAM access key',
      artifacts: cfn({ Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'x' } } }),
      expect: { fires: true, message: /AWS::IAM::AccessKey creates long-lived credentials/ },
    },
  ],
});
