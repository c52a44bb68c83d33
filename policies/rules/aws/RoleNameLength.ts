import { defineRule } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { cfn } from '../../examples/builders';

const LIMIT = 64;

export default defineRule({
  id: 'GEN-AWS-LIM-011',
  title: 'Role names stay within 64 characters',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2'],
  rationale:
    'IAM rejects a role name over 64 characters; tenant role names embed tenant ids, so a long id fails only at deploy time.',
  remediation: 'Shorten the tenant id or the role name pattern.',
  *check(ctx) {
    for (const r of cfnResources(ctx, 'AWS::IAM::Role')) {
      const name = r.props.RoleName;
      if (typeof name === 'string' && name.length > LIMIT)
        yield {
          resource: r.ref,
          status: 'fail',
          message: `role name "${name}" has ${name.length} characters, above ${LIMIT}`,
        };
    }
  },
  examples: [
    {
      name: 'a role name of 17 characters',
      artifacts: cfn({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { RoleName: 'genesis-acme-data', AssumeRolePolicyDocument: { Statement: [] } },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a role name of 73 characters',
      artifacts: cfn({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: `genesis-${'x'.repeat(60)}-data`,
            AssumeRolePolicyDocument: { Statement: [] },
          },
        },
      }),
      expect: { fires: true, message: /role name "genesis-x+-data" has 73 characters, above 64/ },
    },
  ],
});
