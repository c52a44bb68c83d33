/** How a tenant's storage quotas land on AWS, what is refused, and the constructs' guards. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { loadPlatform, parsePlatform, type Platform } from '../../infra/model';
import { TenantFileAccessPoint } from '../../constructs/aws/tenant-file-access-point';
import { TenantKey } from '../../constructs/aws/tenant-key';
import { AwsPlacementError, placeOnAws } from '../../stacks/aws/placement';
import { buildAwsApp } from '../../stacks/aws/app';
import { defaultSpecData } from '../support/default-spec';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;

function variant(edit: (spec: Record<string, any>) => void): Platform {
  const spec = defaultSpecData();
  edit(spec);
  return parsePlatform(spec, { now: NOW });
}

function refusal(platform: Platform): string[] {
  try {
    placeOnAws(platform);
  } catch (e) {
    if (e instanceof AwsPlacementError) return e.problems.map((p) => p.message);
    throw e;
  }
  throw new Error('expected the AWS target to refuse the platform');
}

const partner = (id: string, storage: Record<string, string>) => ({
  id,
  kind: 'industry',
  organisation: `${id} Inc.`,
  usPerson: { attested: true, date: '2026-01-01' },
  agreement: { id: `CRADA-${id}`, expires: '2027-12-31' },
  homeEnclave: 'gw-cui',
  quotas: { gpu: {}, storage },
  contacts: [{ name: 'Ops', email: 'ops@example.com', role: 'technical' }],
});

describe('tenant storage placement', () => {
  const placement = placeOnAws(loadPlatform({ now: NOW }).platform);
  const storageOf = (tenant: string) =>
    placement.tenants
      .find((t) => t.tenant.id === tenant)!
      .storage.map((s) => [s.tier.id, s.kind, s.capacity, s.bucketName]);

  it('a bucket per object or archive quota, an access point per file quota, nothing per parallel-fs quota', () => {
    expect(storageOf('noaa-psl')).toEqual([
      ['objects', 'bucket', '200Ti', 'genesis-tenant-111122223333-noaa-psl-objects'],
      ['project', 'access-point', '20Ti', undefined],
    ]);
    expect(storageOf('aurora-ai')).toEqual([
      ['project', 'access-point', '50Ti', undefined],
      ['scratch', 'claims-only', '24000Gi', undefined],
    ]);
    expect(placement.sites[0].tenantStorageBuckets).toEqual(
      ['helix-bio', 'midwest-univ', 'nih-nci', 'noaa-psl'].map(
        (t) => `genesis-tenant-111122223333-${t}-objects`,
      ),
    );
  });

  it('refuses a tenant bucket name longer than S3 allows, rather than truncating it', () => {
    const problems = refusal(
      variant((s) => s.tenants.push(partner('a-very-long-partner-tenant-name1', { objects: '1Ti' }))),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /tenant "a-very-long-partner-tenant-name1": the bucket of its quota on tier "objects" would be named .* longer than the 63 characters/,
      ),
    ]);
  });

  it('refuses two tenants whose bucket names meet', () => {
    const problems = refusal(
      variant((s) => {
        s.storageTiers.push({
          id: 'labs-objects',
          kind: 'object',
          maxClassification: 'cui',
          retentionDays: 30,
          sites: [{ site: 'govcloud-west', capacity: '10Ti' }],
        });
        s.tenants.push(
          partner('orbit', { 'labs-objects': '1Ti' }),
          partner('orbit-labs', { objects: '1Ti' }),
        );
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'tenant storage bucket "genesis-tenant-111122223333-orbit-labs-objects" would belong to both tenant "orbit" tier "labs-objects" and tenant "orbit-labs" tier "objects"',
      ),
    ]);
  });

  it("an archive quota gets a bucket with the tier's compliance lock, under the tenant key", () => {
    const platform = variant((s) => s.tenants.push(partner('vault-co', { archive: '5Ti' })));
    const { app } = buildAwsApp(platform);
    const t = Template.fromJSON(app.synth().getStackByName('Tenant-vault-co').template);
    const [keyId] = Object.keys(t.findResources('AWS::KMS::Key'));
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'genesis-tenant-111122223333-vault-co-archive',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('tenant storage constructs', () => {
  const stack = () =>
    new Stack(new App(), 'S', { env: { account: '111122223333', region: 'us-gov-west-1' } });

  it('a tenant key needs a user and a bucket', () => {
    const s = stack();
    const role = new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(
      () =>
        new TenantKey(s, 'K1', {
          alias: 'alias/x',
          description: 'x',
          users: [],
          bucketNames: ['b'],
          usableUntil: '2027-01-01T00:00:00Z',
        }),
    ).toThrow('users must not be empty');
    expect(
      () =>
        new TenantKey(s, 'K2', {
          alias: 'alias/y',
          description: 'y',
          users: [role],
          bucketNames: [],
          usableUntil: '2027-01-01T00:00:00Z',
        }),
    ).toThrow('bucketNames must not be empty');
  });

  it('an access point never runs as root nor exposes the file system root', () => {
    const s = stack();
    expect(
      () =>
        new TenantFileAccessPoint(s, 'A1', {
          fileSystemId: 'fs-1',
          path: '/tenants/x',
          posixId: 0,
          quota: '1Ti',
        }),
    ).toThrow('never root');
    expect(
      () =>
        new TenantFileAccessPoint(s, 'A2', {
          fileSystemId: 'fs-1',
          path: '/',
          posixId: 10_000_001,
          quota: '1Ti',
        }),
    ).toThrow('below the root');
  });
});
