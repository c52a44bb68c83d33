/**
 * Grants enforced on the data side (constructs/aws/grant-abac.ts): tenant data roles carry a tag
 * per grant, dataset bucket and key policies admit data only to roles whose tag says so, and those
 * policies do not grow with the number of tenants.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePlatform, type Platform } from '../../infra/model';
import { DATA_READ_ACTIONS, DATA_WRITE_ACTIONS } from '../../constructs/aws/dataset-bucket';
import {
  MAX_ACCESS_TAGS,
  accessTags,
  breakGlassRoleName,
  dataKeyTagKey,
  grantTagKey,
} from '../../constructs/aws/grant-abac';
import { CDK_CONTEXT, availabilityZoneContext } from '../../stacks/aws/app';
import { AwsPlacementError, placeOnAws } from '../../stacks/aws/placement';
import { SiteStack } from '../../stacks/aws/site-stack';
import { scaledSpec } from '../bench/scale';
import { defaultSpecData } from '../support/default-spec';
import { NOW, resourcesOf, synthDefault, type Synthesized } from './synth';

const ACCOUNT = '111122223333';
const PARTITION = 'aws-us-gov';
const BREAK_GLASS = `arn:${PARTITION}:iam::${ACCOUNT}:role/${breakGlassRoleName('govcloud-west')}`;
const roleArn = (name: string) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;

interface Caller {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Whether one condition block of a Deny statement matches the caller (the operators these policies use). */
function conditionHolds(op: string, values: Record<string, unknown>, caller: Caller): boolean {
  return Object.entries(values).every(([key, raw]) => {
    const wanted = [raw].flat() as string[];
    const actual =
      key === 'aws:PrincipalArn'
        ? caller.arn
        : key.startsWith('aws:PrincipalTag/')
          ? caller.tags[key.slice('aws:PrincipalTag/'.length)]
          : key === 'aws:PrincipalIsAWSService'
            ? 'false'
            : undefined;
    const like = (p: string) =>
      new RegExp(
        `^${p
          .split('*')
          .map((x) => x.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
          .join('.*')}$`,
      ).test(actual ?? '');
    switch (op) {
      case 'StringNotEquals':
        return actual === undefined || !wanted.includes(actual);
      case 'ArnNotEquals':
        return !wanted.includes(actual ?? '');
      case 'ArnNotLike':
        return !wanted.some(like);
      case 'Bool':
        return wanted.includes(actual ?? '');
      default:
        throw new Error(`operator ${op} not modelled`);
    }
  });
}

const matchesAction = (patterns: string | string[], action: string) =>
  [patterns].flat().some((p) => new RegExp(`^${p.replace(/\*/g, '.*')}$`).test(action));

/** Whether the grant Deny statements of a policy deny the caller the action (network and TLS left aside). */
function deniedByGrantStatements(statements: any[], caller: Caller, action: string): boolean {
  return statements
    .filter(
      (st) =>
        st.Effect === 'Deny' &&
        /^Deny(DataToOtherThanGranteeRoles|ReadWithoutGrant|WriteWithoutWriteGrant)$/.test(st.Sid),
    )
    .some(
      (st) =>
        matchesAction(st.Action, action) &&
        Object.entries(st.Condition as Record<string, Record<string, unknown>>).every(([op, v]) =>
          conditionHolds(op, v, caller),
        ),
    );
}

let s: Synthesized;
let site: any;
/** Datasets held on the AWS site (the others are on-prem). */
const awsDatasets = () =>
  s.platform.datasets.filter((d) => s.aws.sites.get('govcloud-west')!.datasetBuckets.has(d.id));

function bucketPolicy(datasetId: string): any[] {
  const [id] = Object.entries(resourcesOf(s.template('Site-govcloud-west'), 'AWS::S3::Bucket')).find(
    ([, b]) => b.Properties.BucketName === `genesis-${ACCOUNT}-${datasetId}`,
  )!;
  return Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::S3::BucketPolicy')).find(
    (p) => p.Properties.Bucket.Ref === id,
  )!.Properties.PolicyDocument.Statement;
}

function keyPolicy(classification: string): any[] {
  const alias = Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::KMS::Alias')).find(
    (a) => a.Properties.AliasName === `alias/genesis/govcloud-west/data-${classification}`,
  )!;
  return site.Resources[alias.Properties.TargetKeyId['Fn::GetAtt'][0]].Properties.KeyPolicy.Statement;
}

function dataRoleTags(tenantId: string): Record<string, string> {
  const role = Object.values(resourcesOf(s.template(`Tenant-${tenantId}`), 'AWS::IAM::Role')).find(
    (r) => r.Properties.RoleName === `genesis-${tenantId}-data`,
  )!;
  return Object.fromEntries(
    (role.Properties.Tags as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]),
  );
}

beforeAll(() => {
  s = synthDefault();
  site = s.template('Site-govcloud-west').toJSON();
});

describe('tenant data roles', () => {
  it('carry one tag per granted dataset (its access) and one per granted classification, and no other grant tag', () => {
    for (const tenantId of s.aws.tenants.keys()) {
      const grants = s.platform.grants.filter((g) => g.tenant === tenantId);
      const tags = dataRoleTags(tenantId);
      const accessTagsOnRole = Object.fromEntries(
        Object.entries(tags).filter(
          ([k]) => k.startsWith('genesis:grant:') || k.startsWith('genesis:data-key:'),
        ),
      );
      const expected: Record<string, string> = {};
      for (const g of grants) {
        const d = s.platform.datasets.find((x) => x.id === g.dataset)!;
        expected[grantTagKey(d.id)] = expected[grantTagKey(d.id)] === 'write' ? 'write' : g.access;
        expected[dataKeyTagKey(d.classification)] =
          expected[dataKeyTagKey(d.classification)] === 'write' ? 'write' : g.access;
      }
      expect(accessTagsOnRole).toEqual(expected);
      expect(Object.keys(tags).length).toBeLessThanOrEqual(50);
      for (const v of Object.values(tags)) expect(v).not.toContain(',');
    }
  });

  it('reach exactly their granted datasets through the bucket and key policies', () => {
    let checked = 0;
    for (const tenantId of s.aws.tenants.keys()) {
      const caller = { arn: roleArn(`genesis-${tenantId}-data`), tags: dataRoleTags(tenantId) };
      for (const d of awsDatasets()) {
        const grant = s.platform.grants.find((g) => g.tenant === tenantId && g.dataset === d.id);
        const bucket = bucketPolicy(d.id);
        const key = keyPolicy(d.classification);
        expect(deniedByGrantStatements(bucket, caller, 's3:GetObject')).toBe(!grant);
        expect(deniedByGrantStatements(bucket, caller, 's3:ListBucket')).toBe(!grant);
        expect(deniedByGrantStatements(bucket, caller, 's3:PutObject')).toBe(grant?.access !== 'write');
        expect(deniedByGrantStatements(bucket, caller, 's3:DeleteObjectVersion')).toBe(
          grant?.access !== 'write',
        );
        const anyOfClass = s.platform.grants.some(
          (g) =>
            g.tenant === tenantId &&
            s.platform.datasets.find((x) => x.id === g.dataset)!.classification === d.classification,
        );
        expect(deniedByGrantStatements(key, caller, 'kms:Decrypt')).toBe(!anyOfClass);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('dataset bucket and key policies', () => {
  it('deny data to every principal but tagged tenant data roles and the break-glass role', () => {
    for (const d of awsDatasets()) {
      const statements = bucketPolicy(d.id);
      const tag = `aws:PrincipalTag/${grantTagKey(d.id)}`;
      const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
      expect(bySid('DenyDataToOtherThanGranteeRoles')).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DATA_READ_ACTIONS, ...DATA_WRITE_ACTIONS],
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': [roleArn('genesis-*-data'), BREAK_GLASS] },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      });
      expect(bySid('DenyReadWithoutGrant')).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DATA_READ_ACTIONS],
        Condition: {
          StringNotEquals: { [tag]: ['read', 'write'] },
          ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS },
        },
      });
      expect(bySid('DenyWriteWithoutWriteGrant')).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DATA_WRITE_ACTIONS],
        Condition: {
          StringNotEquals: { [tag]: ['write'] },
          ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS },
        },
      });
      // The network perimeter stays.
      expect(bySid('DenyDataAccessOutsideEnclaveNetworks')).toBeDefined();
    }
  });

  it('admit no principal of the account without the grant tag: administrators, other roles, a tenant role of another dataset', () => {
    for (const d of awsDatasets()) {
      const bucket = bucketPolicy(d.id);
      const key = keyPolicy(d.classification);
      const admin = {
        arn: roleArn('Administrator'),
        tags: { [grantTagKey(d.id)]: 'write', [dataKeyTagKey(d.classification)]: 'write' },
      };
      const untagged = { arn: roleArn('genesis-someone-data'), tags: {} };
      for (const caller of [admin, untagged]) {
        expect(deniedByGrantStatements(bucket, caller, 's3:GetObject')).toBe(true);
        expect(deniedByGrantStatements(key, caller, 'kms:Decrypt')).toBe(true);
        expect(deniedByGrantStatements(key, caller, 'kms:GenerateDataKey')).toBe(true);
      }
      const reader = {
        arn: roleArn('genesis-someone-data'),
        tags: { [grantTagKey(d.id)]: 'read', [dataKeyTagKey(d.classification)]: 'read' },
      };
      expect(deniedByGrantStatements(bucket, reader, 's3:GetObject')).toBe(false);
      expect(deniedByGrantStatements(bucket, reader, 's3:PutObject')).toBe(true);
      expect(deniedByGrantStatements(key, reader, 'kms:Decrypt')).toBe(false);
      expect(deniedByGrantStatements(key, reader, 'kms:GenerateDataKey')).toBe(true);
      const breakGlass = { arn: BREAK_GLASS, tags: {} };
      expect(deniedByGrantStatements(bucket, breakGlass, 's3:PutObject')).toBe(false);
      expect(deniedByGrantStatements(key, breakGlass, 'kms:Decrypt')).toBe(false);
    }
  });

  it('let only grantees and the break-glass role use the key, through S3, and never deny key administration', () => {
    for (const c of new Set(awsDatasets().map((d) => d.classification))) {
      const statements = keyPolicy(c);
      const allows = statements.filter((st) => st.Effect === 'Allow' && st.Sid !== 'AccountAdministersKey');
      expect(allows.map((st) => st.Sid)).toEqual([
        'GranteesDecryptThroughService',
        'WriteGranteesEncryptThroughService',
        'BreakGlassUsesKeyThroughService',
      ]);
      for (const st of allows)
        expect(st.Condition.StringEquals['kms:ViaService']).toBe('s3.us-gov-west-1.amazonaws.com');
      expect(allows[0].Condition.StringEquals[`aws:PrincipalTag/${dataKeyTagKey(c)}`]).toEqual([
        'read',
        'write',
      ]);
      expect(allows[1].Condition.StringEquals[`aws:PrincipalTag/${dataKeyTagKey(c)}`]).toEqual(['write']);
      expect(allows[2].Condition.ArnEquals['aws:PrincipalArn']).toBe(BREAK_GLASS);
      const admin = statements.find((st) => st.Sid === 'AccountAdministersKey');
      expect(admin.Principal).toEqual({ AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` });
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:Enable*', 'kms:Describe*']));
      // Grants are not administration (they hand out use): denied unless for an AWS resource.
      for (const st of statements.filter((x) => x.Effect === 'Deny')) {
        for (const a of [st.Action].flat())
          expect([
            'kms:Decrypt',
            'kms:Encrypt',
            'kms:GenerateDataKey*',
            'kms:ReEncrypt*',
            'kms:CreateGrant',
          ]).toContain(a);
      }
    }
  });

  it('come with a break-glass role that has no permissions and needs MFA', () => {
    const roles = Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::IAM::Role')).filter(
      (r) => r.Properties.RoleName === breakGlassRoleName('govcloud-west'),
    );
    expect(roles).toHaveLength(1);
    const [role] = roles;
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    expect(role.Properties.Policies ?? []).toEqual([]);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    ]);
    const attached = Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::IAM::Policy')).filter(
      (p) => JSON.stringify(p.Properties.Roles ?? []).includes('DataBreakGlass'),
    );
    expect(attached).toEqual([]);
  });
});

describe('as tenants grow', () => {
  function sitePolicies(platform: Platform): string[] {
    const placement = placeOnAws(platform);
    const app = new App({
      analyticsReporting: false,
      stackTraces: false,
      context: { ...CDK_CONTEXT, ...availabilityZoneContext(placement) },
    });
    const stack = new SiteStack(
      app,
      placement.sites.find((x) => x.site.id === 'govcloud-west')!,
    );
    const t = Template.fromStack(stack);
    const buckets = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy')).map((p) =>
      JSON.stringify(p.Properties.PolicyDocument),
    );
    const keys = Object.values(resourcesOf(t, 'AWS::KMS::Key')).map((k) =>
      JSON.stringify(k.Properties.KeyPolicy),
    );
    return [...buckets, ...keys];
  }

  it('the dataset bucket and key policies of a site with hundreds more tenants are the same, byte for byte', () => {
    const small = sitePolicies(s.platform);
    const large = sitePolicies(parsePlatform(scaledSpec(400), { now: NOW }));
    expect(large.map((p) => p.length)).toEqual(small.map((p) => p.length));
    expect(large).toEqual(small);
    for (const p of small.filter((x) => x.includes('genesis:grant:')))
      expect(p.length).toBeLessThan(20 * 1024);
  });
});

describe('the tag limit', () => {
  it(`refuses a tenant whose grants need more than ${MAX_ACCESS_TAGS} access tags, naming it`, () => {
    const spec = defaultSpecData();
    const tenant = spec.grants[0].tenant as string;
    const template = spec.datasets.find((d: any) => d.id === spec.grants[0].dataset);
    for (let i = 0; i < MAX_ACCESS_TAGS; i++) {
      spec.datasets.push({ ...template, id: `extra-ds-${i}`, description: `Extra ${i}` });
      spec.grants.push({ ...spec.grants[0], dataset: `extra-ds-${i}` });
    }
    const platform = parsePlatform(spec, { now: NOW });
    expect(() => placeOnAws(platform)).toThrow(AwsPlacementError);
    try {
      placeOnAws(platform);
    } catch (e) {
      const problems = (e as AwsPlacementError).problems.map((p) => p.message);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`tenant "${tenant}"`);
      expect(problems[0]).toContain(`at most ${MAX_ACCESS_TAGS}`);
    }
  });

  it('accessTags widens a classification to write when any of its grants writes, and refuses too many', () => {
    expect(
      accessTags([
        { datasetId: 'a', classification: 'cui', access: 'read' },
        { datasetId: 'b', classification: 'cui', access: 'write' },
      ]),
    ).toEqual({ 'genesis:data-key:cui': 'write', 'genesis:grant:a': 'read', 'genesis:grant:b': 'write' });
    const many = Array.from({ length: MAX_ACCESS_TAGS }, (_, i) => ({
      datasetId: `d${i}`,
      classification: 'cui',
      access: 'read' as const,
    }));
    expect(() => accessTags(many)).toThrow(/exceed/);
  });
});
