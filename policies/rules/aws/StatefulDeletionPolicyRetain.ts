import { defineRule } from '../../engine/rule-kit';
import { STATEFUL_TYPES, cfnResources } from '../../engine/cfn/template';
import { cfn } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-DP-010',
  title: 'Stateful resources are retained when their stack is deleted',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['CP-9', 'SI-12', 'AU-11'],
  rationale:
    'Deleting a stack must never delete data, keys or audit logs: a deleted KMS key makes every object it encrypted unreadable, a deleted bucket or log group loses records under retention.',
  remediation:
    'Set DeletionPolicy: Retain (RemovalPolicy.RETAIN in the CDK) on buckets, file systems, KMS keys and log groups.',
  *check(ctx) {
    for (const r of cfnResources(ctx, STATEFUL_TYPES)) {
      const policy = r.resource.DeletionPolicy;
      const snapshotOk = policy === 'Snapshot' && r.resource.Type.startsWith('AWS::RDS::');
      if (policy !== 'Retain' && policy !== 'RetainExceptOnCreate' && !snapshotOk)
        yield {
          resource: r.ref,
          status: 'fail',
          message: `${r.resource.Type} has DeletionPolicy ${policy === undefined ? '(none, i.e. Delete)' : String(JSON.stringify(policy))}`,
        };
    }
  },
  examples: [
    {
      name: 'a key retained on deletion and replacement',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      }),
      expect: { fires: false },
    },
    {
      name: 'a key without DeletionPolicy',
      artifacts: cfn({ Key: { Type: 'AWS::KMS::Key' } }),
      expect: { fires: true, message: /AWS::KMS::Key has DeletionPolicy \(none, i\.e\. Delete\)/ },
    },
    {
      name: 'a log group with DeletionPolicy Delete',
      artifacts: cfn({ Logs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete' } }),
      expect: { fires: true, message: /AWS::Logs::LogGroup has DeletionPolicy "Delete"/ },
    },
  ],
});
