import { defineRule, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import {
  DATA_SERVICES,
  isServiceWildcard,
  isUnboundedResource,
  pinningKey,
  platformIds,
  statementsOf,
  strings,
  unknownIn,
} from '../../engine/iam';
import { cfn } from '../../examples/builders';

const endpoint = (statement: Record<string, unknown>) => ({
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: {
    VpcId: 'vpc-1',
    ServiceName: 'com.amazonaws.us-gov-west-1.s3',
    PolicyDocument: { Statement: [statement] },
  },
});

const sts = {
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: {
    VpcId: 'vpc-1',
    ServiceName: 'com.amazonaws.us-gov-west-1.sts',
    VpcEndpointType: 'Interface',
  },
};

export default defineRule({
  id: 'GEN-AWS-NET-007',
  title: 'VPC endpoint policies are not full access',
  pack: 'aws-network',
  severity: 'error',
  controls: ['AC-4', 'SC-7'],
  rationale:
    "An endpoint policy that allows every principal every action on every resource is the same as no policy unless a condition pins it to the platform: through a data service's endpoint (S3, KMS, ...) data can be copied to resources of any account, so the resources must be pinned to the platform's accounts; for other services the caller may be pinned instead. A condition that pins nothing (aws:SecureTransport, a wildcard, another account) does not count.",
  remediation:
    "Scope the statement by Resource, or by s3:ResourceAccount / aws:ResourceAccount / aws:ResourceOrgID equal to the platform's accounts (data services), or aws:PrincipalAccount (other services).",
  *check(ctx) {
    const ids = platformIds(ctx);
    for (const e of cfnResources(ctx, 'AWS::EC2::VPCEndpoint')) {
      if (e.props.PolicyDocument === undefined) continue;
      const ss = statementsOf(e.props.PolicyDocument);
      if (isUnknown(ss)) {
        yield undecided(e.ref, 'the endpoint policy', ss);
        continue;
      }
      const service =
        typeof e.props.ServiceName === 'string'
          ? /^(?:[a-z.]+\.)?amazonaws\.[^.]+\.([^.]+)/.exec(e.props.ServiceName)?.[1]
          : undefined;
      const dataService = service === undefined || DATA_SERVICES.includes(service);
      for (const s of ss) {
        const u = unknownIn(s, ['Effect', 'Principal', 'Action', 'Resource']);
        if (u) {
          yield undecided(e.ref, 'a statement of the endpoint policy', u);
          continue;
        }
        const broad =
          s.Effect === 'Allow' &&
          principalsOf(s).all.includes('*') &&
          (s.NotAction !== undefined ||
            strings(s.Action).some((a) => a === '*' || isServiceWildcard(a) || /^[a-z0-9-]+:\*$/i.test(a))) &&
          (s.NotResource !== undefined || strings(s.Resource).some(isUnboundedResource));
        if (!broad) continue;
        // a data service's endpoint must keep requests on the platform's own resources (no copy to a
        // bucket of another account); other endpoints may pin the caller instead
        const resourcePin = pinningKey(s, ids, 'resource');
        const pin =
          dataService || typeof resourcePin === 'string' ? resourcePin : pinningKey(s, ids, 'principal');
        if (isUnknown(pin)) yield undecided(e.ref, 'a condition of the endpoint policy', pin);
        else if (pin === undefined)
          yield {
            resource: e.ref,
            status: 'fail',
            message: `endpoint policy allows every principal every action on every resource${dataService ? " without pinning the resources to the platform's accounts (s3:ResourceAccount, aws:ResourceAccount, aws:ResourceOrgID)" : ' without pinning the caller or the resources to the platform'}${s.Sid ? ` (statement ${String(s.Sid)})` : ''}`,
          };
      }
    }
  },
  examples: [
    {
      name: "everyone, s3:*, on buckets of the platform's account",
      artifacts: cfn({
        Endpoint: endpoint({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringEquals: { 's3:ResourceAccount': '111122223333' } },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: "an STS endpoint for callers of the platform's account",
      artifacts: cfn({
        Endpoint: {
          ...sts,
          Properties: {
            ...sts.Properties,
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: '*',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
                },
              ],
            },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'everyone, every action, no condition',
      artifacts: cfn({ Endpoint: endpoint({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) }),
      expect: {
        fires: true,
        message: /endpoint policy allows every principal every action on every resource without pinning the/,
      },
    },
    // the caller pinned, but not the buckets: data can be copied to another account's bucket
    {
      name: 'the caller pinned but not the buckets',
      artifacts: cfn({
        Endpoint: endpoint({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
        }),
      }),
      expect: {
        fires: true,
        message: /endpoint policy allows every principal every action on every resource without pinning the/,
      },
    },
    {
      name: 'the buckets pinned to another account',
      artifacts: cfn({
        Endpoint: endpoint({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringEquals: { 's3:ResourceAccount': '444455556666' } },
        }),
      }),
      expect: {
        fires: true,
        message: /endpoint policy allows every principal every action on every resource without pinning the/,
      },
    },
    {
      name: 'the bucket account pinned by a wildcard',
      artifacts: cfn({
        Endpoint: endpoint({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringLike: { 's3:ResourceAccount': '*' } },
        }),
      }),
      expect: {
        fires: true,
        message: /endpoint policy allows every principal every action on every resource without pinning the/,
      },
    },
    {
      name: 'an STS endpoint with a condition that pins no caller',
      artifacts: cfn({
        Endpoint: {
          ...sts,
          Properties: {
            ...sts.Properties,
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: '*',
                  Resource: '*',
                  Condition: { Bool: { 'aws:SecureTransport': 'true' } },
                },
              ],
            },
          },
        },
      }),
      expect: { fires: true, message: /without pinning the caller or the resources to the platform/ },
    },
  ],
});
