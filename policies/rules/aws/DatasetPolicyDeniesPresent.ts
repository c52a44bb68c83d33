import { cfn, tags } from '../../examples/builders';
import {
  bucketDenies,
  datasetBuckets,
  denies,
  KEY_DENIES,
  type RequiredDeny,
} from '../../analysis/dataset-buckets';
import { isUnknown } from '../../engine/cfn/resolve';
import { attValue, cfnResources, isRecord, undecided } from '../../engine/cfn/template';
import { statementsOf, type Statement } from '../../engine/iam';
import { bucketStatements, defineRule } from '../../engine/rule-kit';
import { TAG } from '../../../infra/contract';

const missing = (statements: readonly Statement[], required: readonly RequiredDeny[]): string[] =>
  required.filter((d) => !statements.some((s) => denies(s, d))).map((d) => d.what);

const deny = (Action: string[], Condition: Record<string, unknown>) => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action,
  Resource: '*',
  Condition,
});
const fullPolicy = [
  deny(['s3:GetObject*', 's3:PutObject*'], { StringNotEqualsIfExists: { 'aws:SourceVpce': ['vpce-1'] } }),
  deny(['s3:GetObject*', 's3:PutObject*'], {
    ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/genesis-*-data'] },
  }),
  deny(['s3:GetObject*'], { StringNotEquals: { 'aws:PrincipalTag/genesis:grant:d': ['read', 'write'] } }),
  deny(['s3:PutObject*', 's3:DeleteObject*'], {
    StringNotEquals: { 'aws:PrincipalTag/genesis:grant:d': ['write'] },
  }),
  deny(['s3:PutObject'], {
    StringNotEqualsIfExists: {
      's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k',
    },
  }),
  deny(['s3:PutObject'], { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } }),
];
const example = (statements: unknown[]) =>
  cfn({
    B: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'genesis-d', Tags: tags({ [TAG.dataset]: 'd' }) },
    },
    P: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
    },
  });

export default defineRule({
  id: 'GEN-AWS-EFF-005',
  title: 'The deny statements the platform writes into dataset bucket and key policies are all present',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'SC-28'],
  rationale:
    'Dataset access is layered: IAM grants, the bucket policy and the key policy each deny what the grant does not allow (outside the enclave networks, other principals, no grant tag, no write grant, other keys, customer-provided keys). A removed deny is a finding even where another layer still holds: the layers exist so that one mistake is not a breach. Each deny is recognised by its effect (Deny to everyone, the actions it covers, the condition it tests), not by its Sid.',
  remediation:
    "Restore the dataset bucket's and data key's policies (regenerate with `genesis synth`); never delete one of the platform's deny statements.",
  *check(ctx) {
    const keys = [...cfnResources(ctx, 'AWS::KMS::Key')];
    for (const b of datasetBuckets(ctx)) {
      const ss = bucketStatements(ctx, b.item);
      if (isUnknown(ss)) {
        yield undecided(b.item.ref, 'the bucket policy', ss);
        continue;
      }
      const gone = missing(ss, bucketDenies(b.dataset));
      if (gone.length)
        yield {
          resource: b.item.ref,
          status: 'fail',
          message: `dataset ${b.dataset}: the bucket policy no longer denies ${gone.join('; ')}`,
        };
      const sse = b.item.props.BucketEncryption;
      const rules =
        isRecord(sse) && Array.isArray(sse.ServerSideEncryptionConfiguration)
          ? sse.ServerSideEncryptionConfiguration
          : [];
      const keyArn = rules
        .map((r) =>
          isRecord(r) && isRecord(r.ServerSideEncryptionByDefault)
            ? r.ServerSideEncryptionByDefault.KMSMasterKeyID
            : undefined,
        )
        .find((k) => k !== undefined);
      const key = keys.find((k) => attValue(k, 'Arn') === keyArn);
      if (!key) continue;
      const ks = statementsOf(key.props.KeyPolicy);
      if (isUnknown(ks)) {
        yield undecided(key.ref, 'the key policy', ks);
        continue;
      }
      const keyGone = missing(ks, KEY_DENIES);
      if (keyGone.length)
        yield {
          resource: key.ref,
          status: 'fail',
          message: `key of dataset ${b.dataset}: the key policy no longer denies ${keyGone.join('; ')}`,
        };
    }
  },
  examples: [
    { name: 'every deny present', artifacts: example(fullPolicy), expect: { fires: false } },
    {
      name: 'the read-grant deny removed',
      artifacts: example(fullPolicy.filter((_, i) => i !== 2)),
      expect: { fires: true, message: /no longer denies reads without a grant/ },
    },
    {
      name: 'the enclave deny narrowed to reads',
      artifacts: example([
        deny(['s3:GetObject*'], { StringNotEqualsIfExists: { 'aws:SourceVpce': ['vpce-1'] } }),
        ...fullPolicy.slice(1),
      ]),
      expect: { fires: true, message: /outside the enclave networks/ },
    },
  ],
});
