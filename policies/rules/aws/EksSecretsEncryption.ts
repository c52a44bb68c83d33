import { asArray, defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { CLUSTER_TYPES, clusterProperty } from '../../engine/eks';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-004',
  title: 'EKS clusters encrypt Kubernetes secrets with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-28', 'SC-28(1)', 'SC-12'],
  rationale:
    'Kubernetes secrets (service account tokens, registry credentials) are stored in etcd; envelope encryption with a customer-managed key keeps them unreadable to anyone without the key.',
  remediation:
    'Set EncryptionConfig: [{ Resources: [secrets], Provider: { KeyArn: <customer-managed key ARN> } }] on the cluster.',
  *check(ctx) {
    for (const c of cfnResources(ctx, CLUSTER_TYPES)) {
      const config = clusterProperty(c.resource.Type, c.props, 'EncryptionConfig');
      if (containsUnknown(config)) {
        yield undecided(c.ref, 'the secrets encryption', config);
        continue;
      }
      const ok = asArray(config).some((e) => {
        if (!isRecord(e)) return false;
        const resources = asArray(e.Resources ?? e.resources);
        const provider = e.Provider ?? e.provider;
        const keyArn = isRecord(provider) ? (provider.KeyArn ?? provider.keyArn) : undefined;
        return resources.includes('secrets') && typeof keyArn === 'string' && keyArn.length > 0;
      });
      if (!ok)
        yield { resource: c.ref, status: 'fail', message: 'cluster does not encrypt secrets with a KMS key' };
    }
  },
  examples: [
    {
      name: 'an EKS cluster that encrypts secrets with a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Cluster: {
          Type: 'AWS::EKS::Cluster',
          Properties: {
            EncryptionConfig: [
              { Resources: ['secrets'], Provider: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
            ],
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a CDK custom-resource cluster that encrypts secrets with a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Cluster: {
          Type: 'Custom::AWSCDK-EKS-Cluster',
          Properties: {
            Config: {
              encryptionConfig: [
                { resources: ['secrets'], provider: { keyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
              ],
            },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a cluster with no encryption configuration',
      artifacts: cfn({ Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c' } } }),
      expect: { fires: true, message: /cluster does not encrypt secrets with a KMS key/ },
    },
  ],
});
