import { defineRule, policySize } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import { cfn } from '../../examples/builders';

const LIMIT = 6144;
const policy = (resources: number) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: Array.from(
            { length: resources },
            (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`,
          ),
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-005',
  title: 'Managed policies stay within 6,144 characters',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'AC-6'],
  rationale:
    'IAM rejects a managed policy document over 6,144 characters (white space excluded); tenant grant policies grow with every grant. Sizes are measured on the resolved document, deploy-time values counted as their placeholders.',
  remediation:
    'Split the statements over several managed policies (a role may carry ten), or group resources with wildcards that stay within the grant.',
  *check(ctx) {
    for (const p of cfnResources(ctx, 'AWS::IAM::ManagedPolicy')) {
      const r = limitResult(
        p.ref,
        'policy document',
        policySize(p.props.PolicyDocument),
        LIMIT,
        'characters',
      );
      if (r) yield r;
    }
  },
  examples: [
    {
      name: 'a managed policy of a few resources',
      artifacts: cfn({ Policy: policy(10) }),
      expect: { fires: false },
    },
    {
      name: 'a managed policy at 96% of 6,144 characters',
      artifacts: cfn({ Policy: policy(200) }),
      expect: {
        fires: true,
        message: /policy document is \d+ characters, 96% of the limit of 6144 characters/,
      },
    },
  ],
});
