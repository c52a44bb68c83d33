import { cfn } from '../../examples/builders';
import { knownTypes } from '../../analysis/known-types';
import { defineRule } from '../../engine/rule-kit';

export default defineRule({
  id: 'GEN-AWS-KIND-001',
  title: 'Every CloudFormation resource type in the assembly is one the policy engine knows',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['CM-8', 'CM-7'],
  rationale:
    'Rules judge the types they know; a resource type no rule reads (an API Gateway, a Transfer server, a Lambda URL) would pass every check unseen. The world is closed: a type must be listed, with the reason it is known, in the reviewed allow-list policies/known-types.yaml.',
  remediation:
    'Remove the resource, or add its type to policies/known-types.yaml with the rules that judge it or why it needs none, in a reviewed change; write a rule if it carries risk no rule sees.',
  *check(ctx) {
    const { types } = knownTypes();
    for (const stack of ctx.artifacts.aws?.stacks ?? []) {
      for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
        if (!types.has(r.Type))
          yield {
            resource: { target: 'aws', stack, logicalId },
            status: 'fail',
            message: `resource type ${r.Type} is not in policies/known-types.yaml`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a bucket, a known type',
      artifacts: cfn({ B: { Type: 'AWS::S3::Bucket', Properties: {} } }),
      expect: { fires: false },
    },
    {
      name: 'an API Gateway no rule reads',
      artifacts: cfn({ Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'side-door' } } }),
      expect: { fires: true, message: /AWS::ApiGateway::RestApi/ },
    },
  ],
});
