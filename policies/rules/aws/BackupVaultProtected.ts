import { cfn } from '../../examples/builders';
import { defineRule, principalsOf } from '../../engine/rule-kit';
import { cfnResources, undecided, type CfnItem } from '../../engine/cfn/template';
import { containsUnknown, isUnknown } from '../../engine/cfn/resolve';
import { globMatch, statementsOf, strings } from '../../engine/iam';

/** What is wrong with a vault, or undefined; Unknown where the template does not say. */
function problemOf(v: CfnItem): string | 'unknown' | undefined {
  const { EncryptionKeyArn, LockConfiguration, AccessPolicy } = v.props;
  if (containsUnknown([EncryptionKeyArn, LockConfiguration, AccessPolicy, v.resource.DeletionPolicy]))
    return 'unknown';
  if (
    EncryptionKeyArn === undefined ||
    (typeof EncryptionKeyArn === 'string' && EncryptionKeyArn.includes('alias/aws/'))
  )
    return 'vault encrypts recovery points with the AWS-managed key, not a customer-managed key';
  const lock = LockConfiguration as Record<string, unknown> | undefined;
  if (!lock || !(Number(lock.MinRetentionDays) >= 1))
    return 'vault is not locked (no LockConfiguration with MinRetentionDays)';
  const statements = AccessPolicy === undefined ? [] : statementsOf(AccessPolicy);
  if (isUnknown(statements)) return 'unknown';
  const blocksDeletion = statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      principalsOf(s).aws.includes('*') &&
      s.Condition === undefined &&
      s.NotPrincipal === undefined &&
      s.NotAction === undefined &&
      s.NotResource === undefined &&
      strings(s.Resource).includes('*') &&
      strings(s.Action).some((a) => globMatch(a, 'backup:DeleteRecoveryPoint')),
  );
  if (!blocksDeletion)
    return 'vault access policy does not deny backup:DeleteRecoveryPoint to every principal';
  if (v.resource.DeletionPolicy !== 'Retain')
    return 'vault is not retained when its stack is deleted (DeletionPolicy is not Retain)';
  return undefined;
}

const vault = (
  props: Record<string, unknown>,
  extra: Record<string, unknown> = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
) => ({
  Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
  Vault: {
    Type: 'AWS::Backup::BackupVault',
    Properties: {
      BackupVaultName: 'file-tiers',
      EncryptionKeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] },
      LockConfiguration: { MinRetentionDays: 90 },
      AccessPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            Resource: '*',
          },
        ],
      },
      ...props,
    },
    ...extra,
  },
});

export default defineRule({
  id: 'GEN-AWS-DP-020',
  title: 'Backup vaults are encrypted with a customer-managed key, locked and retained',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['CP-9', 'CP-9(8)', 'SC-28(1)', 'AU-9'],
  rationale:
    'Recovery points hold copies of the file tiers, controlled data included. They must be encrypted with a key the platform controls and can revoke, survive an insider or a compromised role that would delete them before a restore is needed (a vault lock and a deny of DeleteRecoveryPoint), and outlive the stack that made them.',
  remediation:
    'On the AWS::Backup::BackupVault set EncryptionKeyArn to a customer-managed key, LockConfiguration { MinRetentionDays: N }, an AccessPolicy that denies backup:DeleteRecoveryPoint to Principal AWS "*" on "*" without conditions, and DeletionPolicy: Retain.',
  *check(ctx) {
    for (const v of cfnResources(ctx, 'AWS::Backup::BackupVault')) {
      const problem = problemOf(v);
      if (problem === 'unknown')
        yield undecided(v.ref, 'the vault protection', [
          v.props.EncryptionKeyArn,
          v.props.LockConfiguration,
          v.props.AccessPolicy,
          v.resource.DeletionPolicy,
        ]);
      else if (problem) yield { resource: v.ref, status: 'fail', message: problem };
    }
  },
  examples: [
    {
      name: 'a vault with a CMK, a lock, a deletion deny and Retain',
      artifacts: cfn(vault({})),
      expect: { fires: false },
    },
    {
      name: 'no EncryptionKeyArn: the AWS-managed key',
      artifacts: cfn(vault({ EncryptionKeyArn: undefined })),
      expect: { fires: true, message: /AWS-managed key/ },
    },
    {
      name: 'the aws/backup alias',
      artifacts: cfn(vault({ EncryptionKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/aws/backup' })),
      expect: { fires: true, message: /AWS-managed key/ },
    },
    {
      name: 'no vault lock',
      artifacts: cfn(vault({ LockConfiguration: undefined })),
      expect: { fires: true, message: /not locked/ },
    },
    {
      name: 'recovery points may be deleted',
      artifacts: cfn(vault({ AccessPolicy: undefined })),
      expect: { fires: true, message: /DeleteRecoveryPoint/ },
    },
    {
      name: 'the deletion deny spares callers outside a condition',
      artifacts: cfn(
        vault({
          AccessPolicy: {
            Statement: [
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 'backup:DeleteRecoveryPoint',
                Resource: '*',
                Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ops' } },
              },
            ],
          },
        }),
      ),
      expect: { fires: true, message: /DeleteRecoveryPoint/ },
    },
    {
      name: 'deleted with its stack',
      artifacts: cfn(vault({}, {})),
      expect: { fires: true, message: /not retained/ },
    },
  ],
});
