import { isAccessLogTarget, defineRule, isRecord, asArray } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

const key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const sse = (byDefault: Record<string, unknown>) => ({
  ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: byDefault }],
});

/** The default encryption of a bucket: algorithm and key, or undefined when none is set. */
export function bucketEncryption(
  props: Record<string, unknown>,
): { algorithm: unknown; key: unknown } | undefined {
  const enc = props.BucketEncryption;
  if (!isRecord(enc)) return undefined;
  const rule = asArray(enc.ServerSideEncryptionConfiguration).find(
    (r) => isRecord(r) && isRecord(r.ServerSideEncryptionByDefault),
  );
  if (!isRecord(rule) || !isRecord(rule.ServerSideEncryptionByDefault)) return undefined;
  return {
    algorithm: rule.ServerSideEncryptionByDefault.SSEAlgorithm,
    key: rule.ServerSideEncryptionByDefault.KMSMasterKeyID,
  };
}

export default defineRule({
  id: 'GEN-AWS-DP-001',
  title: 'S3 buckets are encrypted with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-28', 'SC-28(1)', 'SC-12'],
  rationale:
    'Federal datasets at rest must be encrypted under keys the platform controls, so that access can be revoked and audited through the key policy. SSE-S3 and the AWS-managed aws/s3 key cannot be restricted or disabled by the platform. Buckets that receive S3 server access logs are the one exception: S3 delivers access logs only to SSE-S3 buckets.',
  remediation:
    'Set BucketEncryption to SSEAlgorithm aws:kms (or aws:kms:dsse) with KMSMasterKeyID naming a customer-managed AWS::KMS::Key.',
  *check(ctx) {
    for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
      const enc = bucketEncryption(b.props);
      if (containsUnknown(b.props.BucketEncryption)) {
        yield undecided(b.ref, 'the bucket encryption', b.props.BucketEncryption);
        continue;
      }
      const kms = enc && typeof enc.algorithm === 'string' && enc.algorithm.startsWith('aws:kms');
      const cmk =
        kms && enc.key !== undefined && !(typeof enc.key === 'string' && /alias\/aws\//.test(enc.key));
      if (cmk) continue;
      if (enc?.algorithm === 'AES256' && isAccessLogTarget(ctx, b)) continue;
      yield {
        resource: b.ref,
        status: 'fail',
        message: !enc
          ? 'bucket has no default encryption configuration'
          : kms
            ? 'bucket uses SSE-KMS with the AWS-managed key, not a customer-managed key'
            : `bucket is encrypted with ${String(enc.algorithm)}, not a customer-managed KMS key`,
      };
    }
  },
  examples: [
    {
      name: 'a bucket encrypted with a key of the assembly',
      artifacts: cfn({
        Key: key,
        Data: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: sse({
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] },
            }),
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a log bucket with SSE-S3, the only encryption S3 access logs accept',
      artifacts: cfn({
        Logs: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'logs', BucketEncryption: sse({ SSEAlgorithm: 'AES256' }) },
        },
        LogsPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Logs' },
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'logging.s3.amazonaws.com' },
                  Action: 's3:PutObject',
                  Resource: 'arn:aws:s3:::logs/*',
                },
              ],
            },
          },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a bucket without default encryption',
      artifacts: cfn({ Data: { Type: 'AWS::S3::Bucket', Properties: {} } }),
      expect: { fires: true, message: /bucket has no default encryption configuration/ },
    },
    {
      name: 'a bucket with SSE-S3 (AES256)',
      artifacts: cfn({
        Data: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: sse({ SSEAlgorithm: 'AES256' }) } },
      }),
      expect: { fires: true, message: /bucket is encrypted with AES256, not a customer-managed KMS key/ },
    },
    {
      name: 'SSE-KMS without a key id',
      artifacts: cfn({
        Data: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: sse({ SSEAlgorithm: 'aws:kms' }) } },
      }),
      expect: {
        fires: true,
        message: /bucket uses SSE-KMS with the AWS-managed key, not a customer-managed key/,
      },
    },
    {
      name: 'SSE-KMS with the AWS-managed key alias',
      artifacts: cfn({
        Data: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketEncryption: sse({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }) },
        },
      }),
      expect: {
        fires: true,
        message: /bucket uses SSE-KMS with the AWS-managed key, not a customer-managed key/,
      },
    },
  ],
});
