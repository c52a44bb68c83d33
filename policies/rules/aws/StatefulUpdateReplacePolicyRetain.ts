import { defineRule } from '../../engine/rule-kit';
import { STATEFUL_TYPES, cfnResources } from '../../engine/cfn/template';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-011',
  title: 'Stateful resources are retained when an update replaces them',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['CP-9', 'SI-12', 'CM-3'],
  rationale:
    'A change to an immutable property (a bucket name, a key spec) makes CloudFormation replace the resource and delete the old one unless UpdateReplacePolicy is Retain; data would be lost by an ordinary update.',
  remediation: 'Set UpdateReplacePolicy: Retain on buckets, file systems, KMS keys and log groups.',
  *check(ctx) {
    for (const r of cfnResources(ctx, STATEFUL_TYPES)) {
      const policy = r.resource.UpdateReplacePolicy;
      if (policy !== 'Retain')
        yield {
          resource: r.ref,
          status: 'fail',
          message: `${r.resource.Type} has UpdateReplacePolicy ${policy === undefined ? '(none, i.e. Delete)' : String(JSON.stringify(policy))}`,
        };
    }
  },
  examples: [
    {
      name: 'a bucket retained on deletion and replacement',
      artifacts: cfn({
        Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without UpdateReplacePolicy',
      artifacts: cfn({ Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } }),
      expect: { fires: true, message: /AWS::S3::Bucket has UpdateReplacePolicy \(none, i\.e\. Delete\)/ },
    },
  ],
});
