/**
 * Hand edits of the default output that undo what the Control Tower peer audit asked for, where
 * the platform's own guarantees rest on it (key grants, backups): `genesis check` catches each one
 * too (exit 1, naming the rule, the resource and the file), without waiting for the slow audit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyOfDefault, editJson, editYaml, logicalId, checkOutput } from './support/default-output';

const check = checkOutput;

const SITE = 'Site-govcloud-west';
interface KeyStatement {
  Sid?: string;
  Condition: Record<string, Record<string, string>>;
}
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}
interface Template {
  Resources: Record<string, Resource>;
}
/** The parts of the resources these edits touch. */
const keyStatements = (r: Resource) => (r.Properties.KeyPolicy as { Statement: KeyStatement[] }).Statement;
const backupSelection = (r: Resource) => r.Properties.BackupSelection as { Resources: unknown[] };
const planRules = (r: Resource) =>
  (r.Properties.BackupPlan as { BackupPlanRule: Array<Record<string, unknown>> }).BackupPlanRule;

interface Case {
  readonly name: string;
  readonly stack: string;
  readonly rule: string;
  /** The logical id the finding must name. */
  readonly resource: (t: Template) => string;
  readonly edit: (t: Template) => void;
}

const dataKey = (t: Template) => {
  const alias = Object.values(t.Resources).find(
    (r) => r.Type === 'AWS::KMS::Alias' && r.Properties.AliasName === 'alias/genesis/govcloud-west/data-cui',
  );
  return (alias!.Properties.TargetKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};
const grantDeny = (statements: KeyStatement[]) =>
  statements.find((s) => s.Sid === 'GrantsOnlyForAwsResources')!;
const vault = (t: Template) => logicalId(t, 'AWS::Backup::BackupVault');
const efs = (t: Template) => logicalId(t, 'AWS::EFS::FileSystem');
const selection = (t: Template) => logicalId(t, 'AWS::Backup::BackupSelection');

const CASES: Case[] = [
  {
    name: 'drop the grant deny from the CUI data key policy',
    stack: SITE,
    rule: 'GEN-AWS-DP-019',
    resource: dataKey,
    edit: (t) => {
      const st = keyStatements(t.Resources[dataKey(t)]);
      st.splice(st.indexOf(grantDeny(st)), 1);
    },
  },
  {
    name: "weaken a tenant key's grant deny to Bool, which lapses where the condition key is absent",
    stack: 'Tenant-noaa-psl',
    rule: 'GEN-AWS-DP-019',
    resource: (t) => logicalId(t, 'AWS::KMS::Key'),
    edit: (t) => {
      const deny = grantDeny(keyStatements(t.Resources[logicalId(t, 'AWS::KMS::Key')]));
      deny.Condition = { Bool: deny.Condition.BoolIfExists };
    },
  },
  {
    name: 'spare an operator role from the grant deny of the log key',
    stack: SITE,
    rule: 'GEN-AWS-DP-019',
    resource: (t) =>
      logicalId(t, 'AWS::KMS::Key', (r) =>
        JSON.stringify(r.Properties.KeyPolicy).includes('AllowCloudWatchLogsOfThisAccount'),
      ),
    edit: (t) => {
      const key =
        t.Resources[
          logicalId(t, 'AWS::KMS::Key', (r) =>
            JSON.stringify(r.Properties.KeyPolicy).includes('AllowCloudWatchLogsOfThisAccount'),
          )
        ];
      grantDeny(keyStatements(key)).Condition.StringNotEquals = {
        'aws:PrincipalArn': 'arn:aws-us-gov:iam::111122223333:role/ops',
      };
    },
  },
  {
    name: 'unlock the file-tier backup vault',
    stack: SITE,
    rule: 'GEN-AWS-DP-020',
    resource: vault,
    edit: (t) => delete t.Resources[vault(t)].Properties.LockConfiguration,
  },
  {
    name: 'encrypt the backup vault with the AWS-managed key',
    stack: SITE,
    rule: 'GEN-AWS-DP-020',
    resource: vault,
    edit: (t) => delete t.Resources[vault(t)].Properties.EncryptionKeyArn,
  },
  {
    name: 'let recovery points be deleted',
    stack: SITE,
    rule: 'GEN-AWS-DP-020',
    resource: vault,
    edit: (t) => delete t.Resources[vault(t)].Properties.AccessPolicy,
  },
  {
    name: 'delete the backup vault with its stack',
    stack: SITE,
    rule: 'GEN-AWS-DP-020',
    resource: vault,
    edit: (t) => {
      delete t.Resources[vault(t)].DeletionPolicy;
    },
  },
  {
    name: "remove the project file system's backup selection",
    stack: SITE,
    rule: 'GEN-AWS-DP-021',
    resource: efs,
    edit: (t) => delete t.Resources[selection(t)],
  },
  {
    name: 'point the backup selection at another file system',
    stack: SITE,
    rule: 'GEN-AWS-DP-021',
    resource: efs,
    edit: (t) => {
      backupSelection(t.Resources[selection(t)]).Resources = [
        'arn:aws-us-gov:elasticfilesystem:us-gov-west-1:111122223333:file-system/fs-0123456789abcdef0',
      ];
    },
  },
  {
    name: "send the backup plan's recovery points to the account's default vault",
    stack: SITE,
    rule: 'GEN-AWS-DP-021',
    resource: efs,
    edit: (t) => {
      planRules(t.Resources[logicalId(t, 'AWS::Backup::BackupPlan')])[0].TargetBackupVault = 'Default';
    },
  },
];

describe('tampered output: key grants and backups', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await copyOfDefault();
    const file = path.join(dir, 'aws', `${c.stack}.template.json`);
    let id = '';
    editJson(file, (json) => {
      const t = json as Template;
      id = c.resource(t);
      c.edit(t);
    });
    const resource = `aws:${c.stack}/${id}`;
    const shown = `aws/${c.stack}.template.json`;
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hit = r.findings.find((f) => f.ruleId === c.rule && f.location.resourceKey === resource);
    expect(hit).toMatchObject({ severity: 'error', location: { file: shown } });
    expect(r.out).toContain(c.rule);
    expect(r.out).toContain(resource);
    expect(r.out).toContain(shown);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('add an FSx for Lustre StorageClass whose file systems get no backups', async () => {
    const dir = await copyOfDefault();
    const shown = 'k8s/govcloud-west/gw-gpu/cluster.yaml';
    editYaml(path.join(dir, shown), (objects) => [
      ...objects,
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'fast-scratch' },
        provisioner: 'fsx.csi.aws.com',
        parameters: {
          subnetId: 'subnet-0123456789abcdef0',
          securityGroupIds: 'sg-0123456789abcdef0',
          deploymentType: 'PERSISTENT_2',
        },
      },
    ]);
    const resource = 'k8s:govcloud-west/gw-gpu/StorageClass/-/fast-scratch';
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hit = r.findings.find((f) => f.ruleId === 'GEN-K8S-TEN-018' && f.location.resourceKey === resource);
    expect(hit).toMatchObject({ severity: 'error', location: { file: shown } });
    expect(r.out).toContain('GEN-K8S-TEN-018');
    expect(r.out).toContain(resource);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('finds none of these rules on the unedited output', async () => {
    const dir = await copyOfDefault();
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(
      r.findings.filter((f) =>
        ['GEN-AWS-DP-019', 'GEN-AWS-DP-020', 'GEN-AWS-DP-021', 'GEN-K8S-TEN-018'].includes(f.ruleId),
      ),
    ).toEqual([]);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
