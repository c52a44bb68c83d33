import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-005',
  title: 'CloudWatch log groups are encrypted with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-9', 'SC-28', 'SC-28(1)'],
  rationale:
    'Flow logs and EKS audit logs reveal who touched which data; they are audit records and must be protected under a key the platform controls.',
  remediation:
    'Set KmsKeyId on the AWS::Logs::LogGroup to a customer-managed key whose policy admits logs.<region>.amazonaws.com.',
  *check(ctx) {
    for (const g of cfnResources(ctx, 'AWS::Logs::LogGroup')) {
      if (isUnknown(g.props.KmsKeyId)) yield undecided(g.ref, 'the log group key', g.props.KmsKeyId);
      else if (g.props.KmsKeyId === undefined)
        yield { resource: g.ref, status: 'fail', message: 'log group has no KmsKeyId' };
    }
  },
  examples: [
    {
      name: 'a log group encrypted with a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Logs: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, RetentionInDays: 365 },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a log group without a KmsKeyId',
      artifacts: cfn({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } }),
      expect: { fires: true, message: /log group has no KmsKeyId/ },
    },
  ],
});
