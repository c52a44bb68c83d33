import { cfn, defineRule, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { isServiceWildcard, statementsOf, strings } from '../../engine/iam';

const endpoint = (statement: Record<string, unknown>) => ({
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: { VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-gov-west-1.s3', PolicyDocument: { Statement: [statement] } },
});

export default defineRule({
  id: 'GEN-AWS-NET-007',
  title: 'VPC endpoint policies are not full access',
  pack: 'aws-network',
  severity: 'error',
  controls: ['AC-4', 'SC-7'],
  target: 'aws',
  rationale: 'An endpoint policy that allows every principal every action on every resource with no condition is the same as no policy: data can be copied to resources of any account through the endpoint.',
  remediation: 'Scope the statement by Resource or by a condition such as s3:ResourceAccount / aws:ResourceOrgID.',
  *check(ctx) {
    for (const e of cfnResources(ctx, 'AWS::EC2::VPCEndpoint')) {
      if (e.props.PolicyDocument === undefined) continue;
      const ss = statementsOf(e.props.PolicyDocument);
      if (isUnknown(ss)) {
        yield undecided(e.ref, 'the endpoint policy', ss);
        continue;
      }
      const open = ss.some(
        (s) =>
          s.Effect === 'Allow' &&
          principalsOf(s).all.includes('*') &&
          strings(s.Action).some((a) => a === '*' || isServiceWildcard(a) || /^[a-z0-9-]+:\*$/i.test(a)) &&
          strings(s.Resource).includes('*') &&
          s.Condition === undefined,
      );
      if (open) yield { resource: e.ref, status: 'fail', message: 'endpoint policy allows every principal every action on every resource without a condition' };
    }
  },
  examples: {
    pass: [cfn({ Endpoint: endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:ResourceAccount': '111122223333' } } }) })],
    fail: [cfn({ Endpoint: endpoint({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) })],
  },
});
