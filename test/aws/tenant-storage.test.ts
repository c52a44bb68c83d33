/** A tenant's own key and storage in `Tenant-<tenant>`, and what stays when the tenant leaves. */
import { tenantDataRoleName } from '../../infra/contract/names';
import { STATEFUL_TYPES } from '../../policies/engine/cfn/template';
import { tenantPosixId } from '../../constructs/aws/names';
import { resourcesOf, synthDefault, type Synthesized } from './synth';

let s: Synthesized;
const AWS_TENANTS = ['aurora-ai', 'helix-bio', 'midwest-univ', 'nih-nci', 'noaa-psl'];
beforeAll(() => {
  s = synthDefault();
});

const templateOf = (tenant: string): any => s.assembly.getStackByName(`Tenant-${tenant}`).template;
const dataRoleId = (tenant: string): string =>
  Object.entries(resourcesOf(s.template(`Tenant-${tenant}`), 'AWS::IAM::Role')).find(
    ([, r]) => r.Properties.RoleName === tenantDataRoleName(tenant),
  )![0];

describe('tenant storage', () => {
  it.each(AWS_TENANTS)('%s: every stateful resource is retained, so offboarding keeps the data', (tenant) => {
    const resources = Object.entries<any>(templateOf(tenant).Resources);
    const stateful = resources.filter(
      ([, r]) => STATEFUL_TYPES.includes(r.Type) || r.Type === 'AWS::S3::BucketPolicy',
    );
    // Tenants with object quotas hold a key, a bucket and its policy (aurora-ai has file quotas only).
    const types = stateful.map(([, r]) => r.Type).sort();
    expect(types).toEqual(
      tenant === 'aurora-ai' ? [] : ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
    );
    for (const [id, r] of stateful) {
      expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
    }
  });

  it.each(['helix-bio', 'midwest-univ', 'nih-nci', 'noaa-psl'])(
    '%s: one bucket per object tier quota, under the tenant key, private, TLS-only, versioned, logged',
    (tenant) => {
      const quotas = s.platform.tenants.find((t) => t.id === tenant)!.quotas.storage;
      const t = s.template(`Tenant-${tenant}`);
      const keys = resourcesOf(t, 'AWS::KMS::Key');
      expect(Object.keys(keys)).toHaveLength(1);
      const [keyId, key] = Object.entries(keys)[0];
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const buckets = Object.values(resourcesOf(t, 'AWS::S3::Bucket'));
      expect(buckets.map((b) => b.Properties.BucketName)).toEqual([
        `genesis-tenant-111122223333-${tenant}-objects`,
      ]);
      const b = buckets[0].Properties;
      expect(b.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ]);
      expect(b.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.LoggingConfiguration).toEqual({
        DestinationBucketName: 'genesis-111122223333-us-gov-west-1-s3-access-logs',
        LogFilePrefix: `genesis-tenant-111122223333-${tenant}-objects/`,
      });
      expect(b.Tags).toContainEqual({ Key: 'genesis:storage-quota', Value: quotas.objects });
      const policy = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument
        .Statement;
      expect(policy).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    },
  );

  it('the key policy: the account administers, only the tenant data role uses it, through S3, for its buckets, until the agreement ends', () => {
    const t = s.template('Tenant-noaa-psl');
    const key = Object.values(resourcesOf(t, 'AWS::KMS::Key'))[0];
    const [admin, use, ...rest] = key.Properties.KeyPolicy.Statement;
    // Besides: nobody may create a grant on the key except for an AWS resource (CT.KMS.PR.3).
    expect(rest).toEqual([
      {
        Sid: 'GrantsOnlyForAwsResources',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      },
    ]);
    expect(admin.Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::111122223333:root' });
    expect(
      [admin.Action]
        .flat()
        .some((a: string) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt|CreateGrant|\*)/.test(a)),
    ).toBe(false);
    expect(use).toEqual({
      Sid: 'TenantRolesUseKeyThroughS3',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [dataRoleId('noaa-psl'), 'Arn'] } },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': 's3.us-gov-west-1.amazonaws.com',
          'kms:CallerAccount': '111122223333',
        },
        StringLike: {
          'kms:EncryptionContext:aws:s3:arn': [
            'arn:aws-us-gov:s3:::genesis-tenant-111122223333-noaa-psl-objects',
            'arn:aws-us-gov:s3:::genesis-tenant-111122223333-noaa-psl-objects/*',
          ],
        },
        DateLessThan: { 'aws:CurrentTime': '2038-10-01T00:00:00Z' },
      },
    });
    const alias = Object.values(resourcesOf(t, 'AWS::KMS::Alias'))[0];
    expect(alias.Properties.AliasName).toBe('alias/genesis/govcloud-west/tenant-noaa-psl');
    // The key carries the tenant tag the boundary matches against the role's.
    expect(key.Properties.Tags).toContainEqual({ Key: 'genesis:tenant', Value: 'noaa-psl' });
  });

  it('the bucket admits data requests from the tenant data role only, through the enclave endpoint, until the agreement ends', () => {
    const t = s.template('Tenant-noaa-psl');
    const statements = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument
      .Statement;
    const role = { 'Fn::GetAtt': [dataRoleId('noaa-psl'), 'Arn'] };
    expect(statements.find((st: any) => st.Sid === 'DenyDataAccessToOtherPrincipals').Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': [role] },
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
    });
    expect(
      statements.find((st: any) => st.Sid === 'DenyDataAccessOutsideEnclaveNetworks').Condition
        .StringNotEqualsIfExists['aws:SourceVpce'],
    ).toEqual([
      { Ref: expect.stringMatching(/^SsmParameterValuegenesisgovcloudwestenclavegwcuis3endpointid/) },
    ]);
    const allows = statements.filter((st: any) => st.Effect === 'Allow');
    expect(allows.map((st: any) => st.Sid).sort()).toEqual(['TenantRolesList', 'TenantRolesObjects']);
    for (const st of allows) {
      expect(st.Principal).toEqual({ AWS: role });
      expect(st.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2038-10-01T00:00:00Z' } });
      for (const forbidden of [
        's3:*',
        's3:DeleteObjectVersion',
        's3:PutObjectRetention',
        's3:BypassGovernanceRetention',
        's3:PutBucketPolicy',
      ])
        expect([st.Action].flat()).not.toContain(forbidden);
    }
    expect(Object.values(t.toJSON().Parameters).map((p: any) => p.Default)).toContain(
      '/genesis/govcloud-west/enclave/gw-cui/s3-endpoint-id',
    );
  });

  it('file tiers: an access point confined to the tenant directory as the tenant user, its quota recorded', () => {
    const t = s.template('Tenant-aurora-ai');
    const aps = Object.values(resourcesOf(t, 'AWS::EFS::AccessPoint'));
    expect(aps).toHaveLength(1);
    const uid = String(tenantPosixId('aurora-ai'));
    expect(aps[0].Properties).toMatchObject({
      PosixUser: { Uid: uid, Gid: uid },
      RootDirectory: {
        Path: '/tenants/aurora-ai',
        CreationInfo: { OwnerUid: uid, OwnerGid: uid, Permissions: '0750' },
      },
    });
    expect(aps[0].Properties.AccessPointTags).toContainEqual({ Key: 'genesis:storage-quota', Value: '50Ti' });
    // aurora-ai has no object quota: no key, no bucket.
    expect(Object.keys(resourcesOf(t, 'AWS::KMS::Key'))).toEqual([]);
    expect(Object.keys(resourcesOf(t, 'AWS::S3::Bucket'))).toEqual([]);
    expect(Number(uid)).toBeGreaterThan(7_000_000);
    expect(new Set(AWS_TENANTS.map(tenantPosixId)).size).toBe(AWS_TENANTS.length);
  });

  it('records every storage quota on the data role, and the site publishes what tenant stacks look up', () => {
    const role = Object.values(resourcesOf(s.template('Tenant-aurora-ai'), 'AWS::IAM::Role')).find(
      (r) => r.Properties.RoleName === 'genesis-aurora-ai-data',
    )!;
    expect(role.Properties.Tags).toContainEqual({
      Key: 'genesis:storage-quotas',
      Value: 'project=50Ti scratch=24000Gi',
    });
    const names = Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::SSM::Parameter'))
      .map((p) => p.Properties.Name)
      .sort();
    expect(names).toEqual([
      '/genesis/govcloud-west/enclave/gw-cui/s3-endpoint-id',
      '/genesis/govcloud-west/enclave/gw-open/s3-endpoint-id',
      '/genesis/govcloud-west/file-tier/project/efs-file-system-id',
    ]);
  });

  it('the site access-log bucket admits log delivery from tenant buckets of the account only', () => {
    const site = s.template('Site-govcloud-west');
    const statements = Object.values(resourcesOf(site, 'AWS::S3::BucketPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    expect(statements.find((st: any) => st.Sid === 'LogsOfBucketsInOtherStacks').Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:aws-us-gov:s3:::genesis-tenant-111122223333-*' },
      StringEquals: { 'aws:SourceAccount': '111122223333' },
    });
  });
});
