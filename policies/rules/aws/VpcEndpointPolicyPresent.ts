import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

const endpoint = (policy?: unknown) => ({
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: {
    VpcId: 'vpc-1',
    ServiceName: 'com.amazonaws.us-gov-west-1.s3',
    VpcEndpointType: 'Gateway',
    ...(policy ? { PolicyDocument: policy } : {}),
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-006',
  title: 'VPC endpoints carry an endpoint policy',
  pack: 'aws-network',
  severity: 'error',
  controls: ['AC-4', 'SC-7', 'AC-3'],
  rationale:
    'Without a policy an endpoint admits every request to every resource of the service, including buckets and keys of other accounts: the endpoint becomes an exfiltration path that bypasses the data perimeter.',
  remediation:
    'Give every Gateway and Interface endpoint a PolicyDocument limited to the resources (or accounts, via aws:ResourceAccount / s3:ResourceAccount) the enclave needs.',
  *check(ctx) {
    for (const e of cfnResources(ctx, 'AWS::EC2::VPCEndpoint')) {
      if (e.props.VpcEndpointType === 'GatewayLoadBalancer') continue;
      if (isUnknown(e.props.PolicyDocument))
        yield undecided(e.ref, 'the endpoint policy', e.props.PolicyDocument);
      else if (e.props.PolicyDocument === undefined)
        yield {
          resource: e.ref,
          status: 'fail',
          message: `endpoint for ${String(e.props.ServiceName)} has no endpoint policy (full access)`,
        };
    }
  },
  examples: [
    {
      name: "an S3 endpoint with a policy pinned to the platform's buckets",
      artifacts: cfn({
        Endpoint: endpoint({
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:*',
              Resource: '*',
              Condition: { StringEquals: { 's3:ResourceAccount': '111122223333' } },
            },
          ],
        }),
      }),
      expect: { fires: false },
    },
    {
      name: 'an S3 endpoint without policy',
      artifacts: cfn({ Endpoint: endpoint() }),
      expect: {
        fires: true,
        message: /endpoint for com\.amazonaws\.us-gov-west-1\.s3 has no endpoint policy \(full access\)/,
      },
    },
  ],
});
