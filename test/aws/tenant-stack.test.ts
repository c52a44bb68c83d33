/** `Tenant-<tenant>` stacks of the default platform: who may assume a data role, and what it reaches. */
import { tenantDataRoleName, tenantGroupName, tenantNamespace } from '../../infra/contract/names';
import { READ_OBJECT_ACTIONS, WRITE_OBJECT_ACTIONS } from '../../constructs/aws/tenant-data-role';
import { gpuQuotaTagValue } from '../../stacks/aws/tenant-stack';
import { resourcesOf, synthDefault, type Synthesized } from './synth';

let s: Synthesized;
const AWS_TENANTS = ['aurora-ai', 'helix-bio', 'midwest-univ', 'nih-nci', 'noaa-psl'];

beforeAll(() => {
  s = synthDefault();
});

function statementsOf(tenant: string): any[] {
  return Object.values(resourcesOf(s.template(`Tenant-${tenant}`), 'AWS::IAM::ManagedPolicy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement,
  );
}

function roleNamed(tenant: string, name: string): { id: string; props: any } {
  const found = Object.entries(resourcesOf(s.template(`Tenant-${tenant}`), 'AWS::IAM::Role')).find(
    ([, r]) => r.Properties.RoleName === name,
  );
  if (!found) throw new Error(`no role ${name} in Tenant-${tenant}`);
  return { id: found[0], props: found[1].Properties };
}

function roleOf(tenant: string): { id: string; props: any } {
  return roleNamed(tenant, tenantDataRoleName(tenant));
}

const bucketArn = (dataset: string): string => `arn:aws-us-gov:s3:::genesis-111122223333-${dataset}`;

describe('tenant stacks', () => {
  it('exist for tenants homed on an AWS site only, deployed after their site', () => {
    expect(
      s.assembly.stacks
        .filter((st) => st.stackName.startsWith('Tenant-'))
        .map((st) => st.stackName)
        .sort(),
    ).toEqual(AWS_TENANTS.map((t) => `Tenant-${t}`));
    for (const t of AWS_TENANTS)
      expect(s.assembly.getStackByName(`Tenant-${t}`).dependencies.map((d) => d.id)).toContain(
        'Site-govcloud-west',
      );
  });

  it.each(AWS_TENANTS)(
    '%s: the role has the shared name and only the tenant workload service account on the site clusters may assume it',
    (tenant) => {
      const { props } = roleOf(tenant);
      expect(props.RoleName).toBe(tenantDataRoleName(tenant));
      expect(props.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111122223333',
              'aws:RequestTag/kubernetes-namespace': tenantNamespace(tenant),
              'aws:RequestTag/kubernetes-service-account': 'workload',
            },
            ArnEquals: {
              'aws:RequestTag/eks-cluster-arn': [
                'arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gw-gpu',
              ],
            },
          },
        },
      ]);
      expect(props.ManagedPolicyArns).toBeUndefined();
      expect(props.Policies).toBeUndefined();
    },
  );

  it.each(AWS_TENANTS)(
    '%s: the role reaches exactly the buckets of its grants, each until the grant ends',
    (tenant) => {
      const grants = s.platform.grants.filter((g) => g.tenant === tenant);
      const statements = statementsOf(tenant);
      const s3Resources = new Set(
        statements
          .filter(
            (st) => String(st.Action).includes('s3:') || st.Action.some?.((a: string) => a.startsWith('s3:')),
          )
          .flatMap((st) => [st.Resource].flat()),
      );
      expect([...s3Resources].sort()).toEqual(
        grants.flatMap((g) => [bucketArn(g.dataset), `${bucketArn(g.dataset)}/*`]).sort(),
      );
      for (const st of statements) {
        expect(st.Effect).toBe('Allow');
        expect(st.Condition.DateLessThan['aws:CurrentTime']).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      }
      for (const g of grants) {
        const forGrant = statements.filter((st) =>
          st.Sid.includes(
            g.dataset
              .split('-')
              .map((w) => w[0].toUpperCase() + w.slice(1))
              .join(''),
          ),
        );
        expect(forGrant).toHaveLength(3);
        const end = new Date(`${g.expires}T00:00:00Z`);
        end.setUTCDate(end.getUTCDate() + 1);
        for (const st of forGrant)
          expect(st.Condition.DateLessThan['aws:CurrentTime']).toBe(end.toISOString().replace('.000', ''));
      }
    },
  );

  it('gives read grants read actions only, and write grants the write actions', () => {
    const aurora = statementsOf('aurora-ai');
    const auroraObjects = aurora.filter((st) => st.Sid.endsWith('Objects'));
    for (const st of auroraObjects) expect(st.Action).toEqual([...READ_OBJECT_ACTIONS]);
    const auroraKeys = aurora.filter((st) => st.Sid.endsWith('Key'));
    for (const st of auroraKeys) expect(st.Action).toBe('kms:Decrypt');

    const noaa = statementsOf('noaa-psl');
    expect(noaa.find((st) => st.Sid === 'WriteNoaaReanalysisUntil20280930Objects').Action).toEqual([
      ...WRITE_OBJECT_ACTIONS,
    ]);
    expect(noaa.find((st) => st.Sid === 'WriteNoaaReanalysisUntil20280930Key').Action).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    expect(noaa.find((st) => st.Sid === 'ReadUsgsLidarUntil20270930Objects').Action).toEqual([
      ...READ_OBJECT_ACTIONS,
    ]);
    // Nobody may shorten or lift an object lock or purge versions through a data role.
    for (const t of AWS_TENANTS) {
      const actions = statementsOf(t).flatMap((st) => [st.Action].flat());
      for (const forbidden of [
        's3:DeleteObjectVersion',
        's3:PutObjectRetention',
        's3:BypassGovernanceRetention',
        's3:PutObjectLegalHold',
        's3:*',
      ]) {
        expect(actions).not.toContain(forbidden);
      }
    }
  });

  it('uses the dataset key only through S3, for that bucket, found by the alias of its classification', () => {
    const key = statementsOf('aurora-ai').find((st) => st.Sid === 'ReadNihGenomicsUntil20270630Key');
    expect(key.Resource).toBe('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*');
    expect(key.Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/genesis/govcloud-west/data-cui' },
      StringEquals: {
        'kms:ViaService': 's3.us-gov-west-1.amazonaws.com',
        'kms:EncryptionContext:aws:s3:arn': bucketArn('nih-genomics'),
      },
    });
  });

  it.each(AWS_TENANTS)(
    '%s: Pod Identity associates the tenant workload service account with the role on each cluster',
    (tenant) => {
      const t = s.template(`Tenant-${tenant}`);
      const { id } = roleOf(tenant);
      const associations = Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation')).map(
        (a) => a.Properties,
      );
      expect(associations).toEqual([
        expect.objectContaining({
          ClusterName: 'gw-gpu',
          Namespace: tenantNamespace(tenant),
          ServiceAccount: 'workload',
          RoleArn: { 'Fn::GetAtt': [id, 'Arn'] },
        }),
      ]);
    },
  );

  it('names its managed policies after the role, within the IAM size limit', () => {
    for (const tenant of AWS_TENANTS) {
      const policies = Object.values(resourcesOf(s.template(`Tenant-${tenant}`), 'AWS::IAM::ManagedPolicy'));
      expect(policies.map((p) => p.Properties.ManagedPolicyName)).toEqual([
        `${tenantDataRoleName(tenant)}-grants-1`,
      ]);
      for (const p of policies)
        expect(JSON.stringify(p.Properties.PolicyDocument).length).toBeLessThanOrEqual(6144);
    }
  });

  it.each(AWS_TENANTS)(
    '%s: members reach the clusters as the tenant group only, through a role assumable by tenant-tagged principals',
    (tenant) => {
      const t = s.template(`Tenant-${tenant}`);
      const roles = Object.values(resourcesOf(t, 'AWS::IAM::Role'))
        .map((r) => r.Properties.RoleName)
        .sort();
      expect(roles).toEqual([tenantDataRoleName(tenant), `genesis-${tenant}-members`].sort());
      const members = roleNamed(tenant, `genesis-${tenant}-members`);
      expect(members.props.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' },
          Condition: { StringEquals: { 'aws:PrincipalTag/genesis:tenant': tenant } },
        },
      ]);
      const actions = members.props.Policies.flatMap((p: any) =>
        p.PolicyDocument.Statement.map((st: any) => st.Action),
      );
      expect(actions).toEqual(['eks:DescribeCluster']);
      expect(members.props.ManagedPolicyArns).toBeUndefined();
      const entries = Object.values(resourcesOf(t, 'AWS::EKS::AccessEntry')).map((e) => e.Properties);
      expect(entries).toEqual([
        expect.objectContaining({
          ClusterName: 'gw-gpu',
          PrincipalArn: { 'Fn::GetAtt': [members.id, 'Arn'] },
          KubernetesGroups: [tenantGroupName(tenant)],
          Type: 'STANDARD',
        }),
      ]);
      expect(entries[0].AccessPolicies).toBeUndefined();
    },
  );

  it.each(AWS_TENANTS)('%s: both tenant roles are capped by the site tenant boundary', (tenant) => {
    for (const name of [tenantDataRoleName(tenant), `genesis-${tenant}-members`]) {
      expect(roleNamed(tenant, name).props.PermissionsBoundary).toBe(
        'arn:aws-us-gov:iam::111122223333:policy/genesis-govcloud-west-tenant-boundary',
      );
    }
  });

  it('the boundary exists in the site stack under that name, admits dataset objects only and never the access logs', () => {
    const site = s.template('Site-govcloud-west');
    const boundary = Object.values(resourcesOf(site, 'AWS::IAM::ManagedPolicy')).find(
      (p) => p.Properties.ManagedPolicyName === 'genesis-govcloud-west-tenant-boundary',
    )!;
    const statements = boundary.Properties.PolicyDocument.Statement;
    const allowed = statements.filter((st: any) => st.Effect === 'Allow');
    expect(allowed.flatMap((st: any) => [st.Resource].flat()).sort()).toEqual([
      'arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/*',
      'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*',
      'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*',
      'arn:aws-us-gov:s3:::genesis-111122223333-*',
      'arn:aws-us-gov:s3:::genesis-111122223333-*/*',
      'arn:aws-us-gov:s3:::genesis-tenant-111122223333-*',
      'arn:aws-us-gov:s3:::genesis-tenant-111122223333-*/*',
    ]);
    // A tenant key only when it is tagged with the caller's own tenant, and only through S3.
    expect(statements.find((st: any) => st.Sid === 'OwnTenantKeyThroughS3').Condition).toEqual({
      StringEquals: {
        'kms:ViaService': 's3.us-gov-west-1.amazonaws.com',
        'aws:ResourceTag/genesis:tenant': '${aws:PrincipalTag/genesis:tenant}',
      },
    });
    expect(statements.find((st: any) => st.Sid === 'TenantStorageObjects').Action).toEqual(
      statements[0].Action,
    );
    for (const forbidden of [
      's3:*',
      's3:DeleteObjectVersion',
      's3:PutObjectRetention',
      's3:BypassGovernanceRetention',
      'iam:*',
      'sts:AssumeRole',
      '*',
    ]) {
      expect(allowed.flatMap((st: any) => [st.Action].flat())).not.toContain(forbidden);
    }
    expect(statements.find((st: any) => st.Sid === 'DatasetKeysThroughS3').Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-gov-west-1.amazonaws.com' },
      'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/genesis/govcloud-west/data-*' },
    });
    expect(statements.find((st: any) => st.Sid === 'NeverTheLogsOrAudit')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:*',
      Resource: [
        'arn:aws-us-gov:s3:::genesis-111122223333-us-gov-west-1-s3-access-logs',
        'arn:aws-us-gov:s3:::genesis-111122223333-us-gov-west-1-s3-access-logs/*',
        'arn:aws-us-gov:s3:::genesis-111122223333-us-gov-west-1-dataset-audit',
        'arn:aws-us-gov:s3:::genesis-111122223333-us-gov-west-1-dataset-audit/*',
      ],
    });
    // Every bucket of the site other than datasets is excluded.
    const siteBuckets = Object.values(resourcesOf(site, 'AWS::S3::Bucket')).map(
      (b) => b.Properties.BucketName as string,
    );
    const denied = statements.find((st: any) => st.Sid === 'NeverTheLogsOrAudit').Resource as string[];
    for (const b of siteBuckets.filter((n) => !s.platform.datasets.some((d) => n.endsWith(`-${d.id}`))))
      expect(denied).toContain(`arn:aws-us-gov:s3:::${b}`);
    // Every grant of every tenant fits inside the boundary's object actions.
    for (const t of AWS_TENANTS) {
      for (const st of statementsOf(t).filter((x) => x.Sid.endsWith('Objects'))) {
        for (const a of st.Action) expect(statements[0].Action).toContain(a);
      }
    }
  });

  it.each(AWS_TENANTS)('%s: the data role records the nominal GPU quota on the site clusters', (tenant) => {
    const quotas = s.platform.tenants.find((t) => t.id === tenant)!.quotas.gpu;
    // Clusters of AWS sites, whose promise the account holds; quota on a partner's cluster is not.
    const awsSites = new Set(s.platform.sites.filter((x) => x.kind === 'aws').map((x) => x.id));
    const onAws = (cluster: string) => awsSites.has(s.platform.clusters.find((c) => c.id === cluster)!.site);
    const expected = Object.entries(quotas)
      .filter(([cluster]) => onAws(cluster))
      .flatMap(([cluster, pools]) =>
        Object.entries(pools).map(([pool, q]) => `${cluster}/${pool}=${q.nominal}`),
      )
      .sort()
      .join(' ');
    expect(roleOf(tenant).props.Tags).toContainEqual({ Key: 'genesis:gpu-quota', Value: expected });
    // IAM tag values admit letters, digits, white space and _ . : / = + - @ only.
    expect(expected).toMatch(/^[\p{L}\p{N}\s_.:/=+\-@]*$/u);
  });

  it('records noaa-psl exactly', () => {
    expect(roleOf('noaa-psl').props.Tags).toContainEqual({
      Key: 'genesis:gpu-quota',
      Value: 'gw-gpu/h100=8 gw-gpu/l40s=16',
    });
  });
});

describe('gpuQuotaTagValue', () => {
  it('keeps only clusters of the site and refuses values IAM would reject for length', () => {
    expect(gpuQuotaTagValue({ a: { p: { nominal: 1 } }, b: { q: { nominal: 2 } } }, ['b'])).toBe('b/q=2');
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`pool-number-${i}`, { nominal: 100 }]),
    );
    expect(() => gpuQuotaTagValue({ 'gw-gpu': many }, ['gw-gpu'])).toThrow(/longer than the 256 characters/);
  });
});
