import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { CLUSTER_TYPES, clusterProperty, field } from '../../engine/eks';
import { cfn } from '../../examples/builders';

const cluster = (vpc: Record<string, unknown>) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    Name: 'c',
    RoleArn: 'arn:aws:iam::111122223333:role/c',
    ResourcesVpcConfig: { SubnetIds: ['s'], ...vpc },
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-009',
  title: 'EKS API endpoints are private',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'AC-17', 'SC-7(5)'],
  rationale:
    'EKS makes the Kubernetes API reachable from the internet unless EndpointPublicAccess is false; the control plane of an enclave cluster must be reachable only from inside the enclave.',
  remediation: 'Set ResourcesVpcConfig EndpointPublicAccess: false and EndpointPrivateAccess: true.',
  *check(ctx) {
    for (const c of cfnResources(ctx, CLUSTER_TYPES)) {
      const vpc = clusterProperty(c.resource.Type, c.props, 'ResourcesVpcConfig');
      if (containsUnknown(vpc)) {
        yield undecided(c.ref, 'the endpoint access', vpc);
        continue;
      }
      const pub = field(vpc, 'EndpointPublicAccess');
      const priv = field(vpc, 'EndpointPrivateAccess');
      if (pub !== false && pub !== 'false')
        yield {
          resource: c.ref,
          status: 'fail',
          message: `the API endpoint is public (EndpointPublicAccess ${pub === undefined ? 'defaults to true' : String(pub)})`,
        };
      else if (priv !== true && priv !== 'true')
        yield { resource: c.ref, status: 'fail', message: 'the API endpoint has no private access' };
    }
  },
  examples: [
    {
      name: 'a cluster with a private endpoint only',
      artifacts: cfn({ C: cluster({ EndpointPublicAccess: false, EndpointPrivateAccess: true }) }),
      expect: { fires: false },
    },
    {
      name: 'a cluster that leaves public access to its default',
      artifacts: cfn({ C: cluster({}) }),
      expect: {
        fires: true,
        message: /the API endpoint is public \(EndpointPublicAccess defaults to true\)/,
      },
    },
    {
      name: 'a cluster with public and private access',
      artifacts: cfn({ C: cluster({ EndpointPublicAccess: true, EndpointPrivateAccess: true }) }),
      expect: { fires: true, message: /the API endpoint is public \(EndpointPublicAccess true\)/ },
    },
  ],
});
