import { defineRule, policySize } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import { cfn } from '../../examples/builders';

const LIMIT = 32_768;
const key = (principals: number) => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    KeyPolicy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: Array.from(
              { length: principals },
              (_, i) => `arn:aws:iam::111122223333:role/tenant-role-${String(i).padStart(5, '0')}`,
            ),
          },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ],
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-009',
  title: 'KMS key policies stay within 32 KB',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'SC-12'],
  rationale:
    'KMS rejects a key policy over 32 KB; listing tenant roles in key policies grows them with every tenant.',
  remediation:
    'Grant tenants through IAM policies with kms:ViaService and kms:ResourceAliases conditions (as the tenant data roles do) rather than naming them in key policies.',
  *check(ctx) {
    for (const k of cfnResources(ctx, 'AWS::KMS::Key')) {
      const r = limitResult(k.ref, 'key policy', policySize(k.props.KeyPolicy), LIMIT, 'bytes');
      if (r) yield r;
    }
  },
  examples: [
    { name: 'a key policy of a few principals', artifacts: cfn({ Key: key(5) }), expect: { fires: false } },
    {
      name: 'a key policy above 32 KB',
      artifacts: cfn({ Key: key(700) }),
      expect: { fires: true, message: /key policy is \d+ bytes, above the limit of 32768 bytes/ },
    },
  ],
});
