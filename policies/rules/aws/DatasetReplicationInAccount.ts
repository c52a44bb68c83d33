import { cfn, tags } from '../../examples/builders';
import { datasetBuckets } from '../../analysis/dataset-buckets';
import { containsUnknown } from '../../engine/cfn/resolve';
import { attValue, cfnResources, isRecord, undecided } from '../../engine/cfn/template';
import { defineRule } from '../../engine/rule-kit';
import { TAG } from '../../../infra/contract';

const bucket = (replication?: unknown) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: 'genesis-d',
    Tags: tags({ [TAG.dataset]: 'd' }),
    ...(replication ? { ReplicationConfiguration: replication } : {}),
  },
});
const replica = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'genesis-d-replica' } };
const to = (Destination: Record<string, unknown>) => ({
  Role: 'arn:aws:iam::111122223333:role/r',
  Rules: [{ Status: 'Enabled', Destination }],
});

export default defineRule({
  id: 'GEN-AWS-EFF-001',
  title: 'Dataset buckets replicate only to buckets of the same account in the assembly',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AC-4', 'SC-7', 'SC-28'],
  rationale:
    "Replication copies every object, and its grants do not follow: a replication rule whose destination is another account, or a bucket the assembly does not declare (whose account and policies nothing shows), moves controlled data out of the platform's control.",
  remediation:
    'Remove the replication rule, or replicate only to a bucket of the same stack account that the platform declares (with its own dataset policies).',
  *check(ctx) {
    const stacks = ctx.artifacts.aws?.stacks ?? [];
    const declared = new Map(
      [...cfnResources(ctx, 'AWS::S3::Bucket')].map((b) => [attValue(b, 'Arn'), b.stack.account]),
    );
    for (const b of datasetBuckets(ctx)) {
      const rc = b.item.props.ReplicationConfiguration;
      if (rc === undefined) continue;
      if (containsUnknown(rc)) {
        yield undecided(b.item.ref, 'the replication configuration', rc);
        continue;
      }
      const problems: string[] = [];
      for (const r of isRecord(rc) && Array.isArray(rc.Rules) ? rc.Rules : []) {
        if (!isRecord(r) || r.Status === 'Disabled' || !isRecord(r.Destination)) continue;
        const dest = r.Destination;
        const account = b.item.stack.account ?? stacks.find((s) => s.account)?.account;
        if (dest.Account !== undefined && dest.Account !== account)
          problems.push(`replicates to account ${String(dest.Account)}`);
        else if (!declared.has(dest.Bucket))
          problems.push(`replicates to ${String(dest.Bucket)}, a bucket the assembly does not declare`);
        else if (declared.get(dest.Bucket) !== b.item.stack.account)
          problems.push(
            `replicates to ${String(dest.Bucket)} of account ${String(declared.get(dest.Bucket))}`,
          );
      }
      if (problems.length)
        yield {
          resource: b.item.ref,
          status: 'fail',
          message: `dataset ${b.dataset}: ${problems.join('; ')}`,
        };
    }
  },
  examples: [
    { name: 'no replication', artifacts: cfn({ B: bucket() }), expect: { fires: false } },
    {
      name: 'replication to a declared bucket of the stack',
      artifacts: cfn({ B: bucket(to({ Bucket: { 'Fn::GetAtt': ['R', 'Arn'] } })), R: replica }),
      expect: { fires: false },
    },
    {
      name: 'replication to another account',
      artifacts: cfn({ B: bucket(to({ Bucket: 'arn:aws:s3:::elsewhere', Account: '444455556666' })) }),
      expect: { fires: true, message: /replicates to account 444455556666/ },
    },
    {
      name: 'replication to an undeclared bucket',
      artifacts: cfn({ B: bucket(to({ Bucket: 'arn:aws:s3:::elsewhere' })) }),
      expect: { fires: true, message: /a bucket the assembly does not declare/ },
    },
  ],
});
