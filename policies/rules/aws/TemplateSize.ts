import { defineRule } from '../../engine/rule-kit';
import { limitResult, stackRef } from '../../engine/limits';
import { cfn } from '../../examples/builders';

/** 1 MB: the largest template CloudFormation accepts from S3 (the CDK uploads templates as assets). */
const LIMIT = 1_048_576;
const padded = (bytes: number) =>
  cfn({ Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'x' } } }, 'Site-example', {
    Description: 'p'.repeat(bytes),
  });

export default defineRule({
  id: 'GEN-AWS-LIM-004',
  title: 'Templates stay within the 1 MB CloudFormation limit',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'SA-8'],
  rationale:
    'CloudFormation refuses a template larger than 1 MB (51,200 bytes when passed inline); large policies and many grants grow templates quietly.',
  remediation: 'Split the stack, or move repeated policy text into managed policies shared by reference.',
  *check(ctx) {
    for (const s of ctx.artifacts.aws?.stacks ?? []) {
      const r = limitResult(stackRef(s), `${s.stackName}: template size`, s.bytes, LIMIT, 'bytes');
      if (r) yield r;
    }
  },
  examples: [
    { name: 'a template of 1,000 bytes', artifacts: padded(1000), expect: { fires: false } },
    {
      name: 'a template above 1 MB',
      artifacts: padded(LIMIT + 10),
      expect: {
        fires: true,
        message: /Site-example: template size is \d+ bytes, above the limit of 1048576 bytes/,
      },
    },
    {
      name: 'a template at 85% of 1 MB (a warning)',
      artifacts: padded(Math.ceil(LIMIT * 0.85)),
      expect: {
        fires: true,
        message: /Site-example: template size is \d+ bytes, 85% of the limit of 1048576 bytes/,
      },
    },
  ],
});
