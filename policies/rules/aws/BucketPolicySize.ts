import { defineRule, policySize } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import { cfn } from '../../examples/builders';

const LIMIT = 20_480;
const policy = (endpoints: number) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: 'b',
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: {
            StringNotEquals: {
              'aws:SourceVpce': Array.from(
                { length: endpoints },
                (_, i) => `vpce-${String(i).padStart(17, '0')}`,
              ),
            },
          },
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-008',
  title: 'Bucket policies stay within 20 KB',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'AC-3'],
  rationale:
    'S3 rejects a bucket policy over 20 KB; data-perimeter policies that list endpoints and principals per enclave grow with the platform.',
  remediation:
    'Replace lists with conditions on aws:SourceVpc / aws:PrincipalOrgID, or front the bucket with access points whose policies carry per-tenant statements.',
  *check(ctx) {
    for (const p of cfnResources(ctx, 'AWS::S3::BucketPolicy')) {
      const r = limitResult(p.ref, 'bucket policy', policySize(p.props.PolicyDocument), LIMIT, 'bytes');
      if (r) yield r;
    }
  },
  examples: [
    {
      name: 'a bucket policy of a few statements',
      artifacts: cfn({ Policy: policy(5) }),
      expect: { fires: false },
    },
    {
      name: 'a bucket policy above 20 KB',
      artifacts: cfn({ Policy: policy(900) }),
      expect: { fires: true, message: /bucket policy is \d+ bytes, above the limit of 20480 bytes/ },
    },
  ],
});
