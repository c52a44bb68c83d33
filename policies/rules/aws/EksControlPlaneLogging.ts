import { asArray, defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { CLUSTER_TYPES, clusterProperty, field } from '../../engine/eks';
import { cfn } from '../../examples/builders';

const REQUIRED = ['api', 'audit', 'authenticator'];
const cluster = (types: string[]) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    Name: 'c',
    RoleArn: 'r',
    ResourcesVpcConfig: { SubnetIds: ['s'] },
    Logging: { ClusterLogging: { EnabledTypes: types.map((Type) => ({ Type })) } },
  },
});

export default defineRule({
  id: 'GEN-AWS-DP-016',
  title: 'EKS clusters send API, audit and authenticator logs to CloudWatch',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-2', 'AU-3', 'AU-12'],
  rationale:
    'The Kubernetes audit log is the only record of who read a secret, exec-ed into a pod or changed a RoleBinding; EKS keeps none unless the log types are enabled.',
  remediation: `Enable at least ${REQUIRED.join(', ')} in Logging.ClusterLogging.EnabledTypes.`,
  *check(ctx) {
    for (const c of cfnResources(ctx, CLUSTER_TYPES)) {
      const logging = clusterProperty(c.resource.Type, c.props, 'Logging');
      if (containsUnknown(logging)) {
        yield undecided(c.ref, 'the control-plane logging', logging);
        continue;
      }
      const enabled = new Set<string>();
      const clusterLogging = field(logging, 'ClusterLogging');
      for (const t of asArray(field(clusterLogging, 'EnabledTypes'))) enabled.add(String(field(t, 'Type')));
      // The CDK custom resource takes the EKS API shape: clusterLogging: [{ enabled, types }].
      for (const e of asArray(clusterLogging))
        if (field(e, 'Enabled') === true) for (const t of asArray(field(e, 'Types'))) enabled.add(String(t));
      const missing = REQUIRED.filter((t) => !enabled.has(t));
      if (missing.length)
        yield {
          resource: c.ref,
          status: 'fail',
          message: `control-plane log types not enabled: ${missing.join(', ')}`,
        };
    }
  },
  examples: [
    {
      name: 'a cluster that logs api, audit, authenticator and scheduler',
      artifacts: cfn({ C: cluster(['api', 'audit', 'authenticator', 'scheduler']) }),
      expect: { fires: false },
    },
    {
      name: 'a cluster that logs the API only',
      artifacts: cfn({ C: cluster(['api']) }),
      expect: { fires: true, message: /control-plane log types not enabled: audit, authenticator/ },
    },
    {
      name: 'a cluster with no logging configuration',
      artifacts: cfn({ C: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c' } } }),
      expect: { fires: true, message: /control-plane log types not enabled: api, audit, authenticator/ },
    },
  ],
});
