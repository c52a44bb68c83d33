import { defineRule } from '../../engine/rule-kit';
import { limitResult, stackRef } from '../../engine/limits';
import { cfn, many } from '../../examples/builders';

const LIMIT = 500;
const entry = (i: number) => ({ Type: 'AWS::SNS::Topic', Properties: { DisplayName: String(i) } });
const stack = (n: number) => cfn(many(n, 'X', entry));

export default defineRule({
  id: 'GEN-AWS-LIM-001',
  title: 'Resources in one stack stay within the CloudFormation limit of 500',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'SA-8'],
  rationale:
    'CloudFormation rejects a stack with more than 500 resources at deploy time, after synth succeeded and possibly mid-rollout; growth (more datasets, tenants or clusters) must be caught when the template is built.',
  remediation:
    'Split the stack (e.g. per enclave or per tenant group), or reduce the resources; the warning at 80% leaves room to plan the split.',
  *check(ctx) {
    for (const s of ctx.artifacts.aws?.stacks ?? []) {
      const r = limitResult(
        stackRef(s),
        `${s.stackName}: resources`,
        Object.keys(s.template.Resources ?? {}).length,
        LIMIT,
      );
      if (r) yield r;
    }
  },
  examples: [
    {
      name: 'a stack just below 80% of the limit',
      artifacts: stack(Math.ceil(LIMIT * 0.8) - 1),
      expect: { fires: false },
    },
    {
      name: 'a stack above the limit',
      artifacts: stack(LIMIT + 1),
      expect: { fires: true, message: /Site-example: resources is 501, above the limit of 500/ },
    },
    {
      name: 'a stack at 80% of the limit (a warning)',
      artifacts: stack(Math.ceil(LIMIT * 0.8)),
      expect: { fires: true, message: /Site-example: resources is 400, 80% of the limit of 500/ },
    },
  ],
});
