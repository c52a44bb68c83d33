import { cfn } from '../../examples/builders';
import { defineRule, isRecord } from '../../engine/rule-kit';
import { attValue, cfnResources, refValue, undecided, type CfnItem } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { globMatch, strings } from '../../engine/iam';
import type { RuleContext } from '../../engine/types';

/** Whether a backup plan has a scheduled rule that keeps recovery points in a vault of the assembly. */
function backsUp(plan: CfnItem, vaults: ReadonlySet<unknown>): boolean {
  const body = plan.props.BackupPlan;
  const rules = isRecord(body) && Array.isArray(body.BackupPlanRule) ? body.BackupPlanRule : [];
  return rules.some((r) => {
    if (!isRecord(r) || typeof r.ScheduleExpression !== 'string' || !vaults.has(r.TargetBackupVault))
      return false;
    const days = isRecord(r.Lifecycle) ? r.Lifecycle.DeleteAfterDays : undefined;
    return days === undefined || Number(days) >= 1;
  });
}

/** The ARN patterns of the resources each backup selection names, with whether its plan backs them up. */
function selections(ctx: RuleContext): Array<{ patterns: string[]; raw: unknown[]; planBacksUp: boolean }> {
  const vaults = new Set<unknown>();
  for (const v of cfnResources(ctx, 'AWS::Backup::BackupVault'))
    vaults.add(refValue(v)).add(attValue(v, 'BackupVaultName'));
  const plans = new Map<unknown, CfnItem>();
  for (const p of cfnResources(ctx, 'AWS::Backup::BackupPlan'))
    plans.set(attValue(p, 'BackupPlanId'), p).set(refValue(p), p);
  return [...cfnResources(ctx, 'AWS::Backup::BackupSelection')].map((s) => {
    const sel = s.props.BackupSelection;
    const resources = isRecord(sel) ? sel.Resources : undefined;
    const plan = plans.get(s.props.BackupPlanId);
    return {
      patterns: strings(resources),
      raw: [resources, s.props.BackupPlanId],
      planBacksUp: plan !== undefined && backsUp(plan, vaults),
    };
  });
}

const fileSystem = (props: Record<string, unknown> = {}) => ({
  Type: 'AWS::EFS::FileSystem',
  Properties: { Encrypted: true, ...props },
});
const fsArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':elasticfilesystem:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':file-system/',
      { Ref: 'Fs' },
    ],
  ],
};
const plan = (rule: Record<string, unknown> = {}) => ({
  Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'file-tiers' } },
  Plan: {
    Type: 'AWS::Backup::BackupPlan',
    Properties: {
      BackupPlan: {
        BackupPlanName: 'project',
        BackupPlanRule: [
          {
            RuleName: 'daily',
            ScheduleExpression: 'cron(0 5 * * ? *)',
            Lifecycle: { DeleteAfterDays: 90 },
            TargetBackupVault: { 'Fn::GetAtt': ['Vault', 'BackupVaultName'] },
            ...rule,
          },
        ],
      },
    },
  },
});
const selection = (resources: unknown[]) => ({
  Selection: {
    Type: 'AWS::Backup::BackupSelection',
    Properties: {
      BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] },
      BackupSelection: {
        SelectionName: 'project',
        IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
        Resources: resources,
      },
    },
  },
});

export default defineRule({
  id: 'GEN-AWS-DP-021',
  title: 'EFS file systems are backed up by a scheduled AWS Backup plan',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['CP-9', 'CP-10'],
  rationale:
    "A file tier without recovery points cannot be restored after a deletion, a ransomware encryption or a bad job. The platform backs each tier up with a plan of its own (its schedule, the tier's retention, a locked vault under the platform's key) rather than the file system's BackupPolicy, which uses AWS's default plan and vault; AWS Control Tower's CT.ELASTICFILESYSYSTEM.PR.2 sees only the latter, so this rule is what holds the former.",
  remediation:
    'Name the file system (its ARN) in the Resources of an AWS::Backup::BackupSelection whose plan has a rule with a ScheduleExpression targeting a vault of the assembly, or set BackupPolicy: { Status: ENABLED } on the AWS::EFS::FileSystem.',
  *check(ctx) {
    const all = selections(ctx);
    for (const fs of cfnResources(ctx, 'AWS::EFS::FileSystem')) {
      const policy = fs.props.BackupPolicy;
      if (isRecord(policy) && policy.Status === 'ENABLED') continue;
      const arns = [
        attValue(fs, 'Arn'),
        fs.resolver.resolve({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':elasticfilesystem:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':file-system/',
              { Ref: fs.logicalId },
            ],
          ],
        }),
      ];
      const names = (p: string) => arns.some((a) => typeof a === 'string' && (p === a || globMatch(p, a)));
      if (all.some((s) => s.planBacksUp && s.patterns.some(names))) continue;
      const unread = [policy, ...all.flatMap((s) => s.raw)];
      if (containsUnknown(unread)) yield undecided(fs.ref, 'the backups of the file system', unread);
      else
        yield {
          resource: fs.ref,
          status: 'fail',
          message: 'file system is in no scheduled AWS Backup plan and its BackupPolicy is not ENABLED',
        };
    }
  },
  examples: [
    {
      name: 'a daily plan into a vault selects the file system by ARN',
      artifacts: cfn({ Fs: fileSystem(), ...plan(), ...selection([fsArn]) }),
      expect: { fires: false },
    },
    {
      name: 'the file system turns its own automatic backups on',
      artifacts: cfn({ Fs: fileSystem({ BackupPolicy: { Status: 'ENABLED' } }) }),
      expect: { fires: false },
    },
    {
      name: 'no plan and no BackupPolicy',
      artifacts: cfn({ Fs: fileSystem() }),
      expect: { fires: true, message: /no scheduled AWS Backup plan/ },
    },
    {
      name: 'BackupPolicy DISABLED',
      artifacts: cfn({ Fs: fileSystem({ BackupPolicy: { Status: 'DISABLED' } }) }),
      expect: { fires: true, message: /file system is in no scheduled AWS Backup plan/ },
    },
    {
      name: 'the selection names another file system',
      artifacts: cfn({
        Fs: fileSystem(),
        ...plan(),
        ...selection(['arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0123']),
      }),
      expect: { fires: true, message: /file system is in no scheduled AWS Backup plan/ },
    },
    {
      name: "the plan's rule has no schedule",
      artifacts: cfn({ Fs: fileSystem(), ...plan({ ScheduleExpression: undefined }), ...selection([fsArn]) }),
      expect: { fires: true, message: /file system is in no scheduled AWS Backup plan/ },
    },
    {
      name: "the plan's rule targets no vault of the assembly",
      artifacts: cfn({ Fs: fileSystem(), ...plan({ TargetBackupVault: 'Default' }), ...selection([fsArn]) }),
      expect: { fires: true, message: /file system is in no scheduled AWS Backup plan/ },
    },
  ],
});
