/**
 * Hand edits that change who can reach data, on both targets: each makes `genesis check` exit 1
 * with GEN-X-005 (effective access = the grants of platform.json) naming the resource and file
 * of the witness (the statement, binding, association or volume that lets the access through),
 * and each finding is new (the unedited default has none).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkOutput,
  copyOfDefault,
  editJson,
  editYaml,
  logicalId,
  type Found,
} from './support/default-output';

async function check(dir: string): Promise<{ code: number; findings: Found[] }> {
  const r = await checkOutput(dir);
  if (r.code === 2) throw new Error(r.out);
  return r;
}

// Hand edits walk parsed, untyped JSON and YAML.
type Json = Record<string, any>;

const tpl = (dir: string, stack: string) => path.join(dir, 'aws', `${stack}.template.json`);
const yml = (dir: string, site: string, cluster: string, file: string) =>
  path.join(dir, 'k8s', site, cluster, file);
const SITE = 'Site-govcloud-west';
const ARN = (name: string) => `arn:aws-us-gov:iam::111122223333:role/${name}`;
type Edit = (dir: string) => { resource: string; file: string; message?: RegExp };

/** Edits one resource of a template; the finding is expected on that resource. */
function onResource(
  stack: string,
  type: string,
  match: (r: Json) => boolean,
  mutate: (r: Json, t: Json) => void,
  message?: RegExp,
): Edit {
  return (dir) => {
    let id = '';
    editJson(tpl(dir, stack), (t) => {
      id = logicalId(t, type, match);
      mutate(t.Resources[id], t);
    });
    return { resource: `aws:${stack}/${id}`, file: `aws/${stack}.template.json`, message };
  };
}
const tagged = (tag: string) => (r: Json) => JSON.stringify(r.Properties?.Tags ?? []).includes(tag);
const dataRole = (tenant: string) => (r: Json) => r.Properties?.RoleName === `genesis-${tenant}-data`;
const bucketPolicyOf = (dataset: string) => (r: Json) =>
  JSON.stringify(r.Properties.Bucket).includes(
    dataset
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
  );
const dropSids = (doc: Json, sids: string[]) => {
  doc.Statement = doc.Statement.filter((s: Json) => !sids.includes(s.Sid));
};

/** Adds objects to a chart file; the finding is expected on the object `key` names. */
function addObjects(
  site: string,
  cluster: string,
  file: string,
  objects: (existing: Array<Json>) => Array<Json>,
  key: string,
  message?: RegExp,
): Edit {
  return (dir) => {
    editYaml(yml(dir, site, cluster, file), (os) => [...os, ...objects(os)]);
    return { resource: key, file: `k8s/${site}/${cluster}/${file}`, message };
  };
}

const CASES: Array<[string, Edit]> = [
  [
    'a grant tag added to a tenant role with no grant',
    onResource(
      'Tenant-helix-bio',
      'AWS::IAM::Role',
      dataRole('helix-bio'),
      (r) => r.Properties.Tags.push({ Key: 'genesis:grant:nih-genomics', Value: 'read' }),
      /bucket policy of dataset nih-genomics does not keep out role\/genesis-helix-bio-data/,
    ),
  ],
  [
    'a grant statement copied with a later end date and placed first',
    onResource(
      'Tenant-aurora-ai',
      'AWS::IAM::ManagedPolicy',
      () => true,
      (r) => {
        const st = r.Properties.PolicyDocument.Statement;
        const copy = JSON.parse(
          JSON.stringify(st.find((s: Json) => s.Sid === 'ReadNihGenomicsUntil20270630Objects')),
        );
        copy.Condition.DateLessThan['aws:CurrentTime'] = '2028-07-01T00:00:00Z';
        st.unshift(copy);
      },
      /after the grant's last day 2027-06-30; witness: aws\/Tenant-aurora-ai.template.json aws:Tenant-aurora-ai\/\S+ genesis-aurora-ai-data-grants-1\[0\]/,
    ),
  ],
  [
    "the platform's deny statements removed from a dataset bucket policy",
    onResource(
      SITE,
      'AWS::S3::BucketPolicy',
      bucketPolicyOf('nih-genomics'),
      (r) =>
        dropSids(r.Properties.PolicyDocument, [
          'DenyDataToOtherThanGranteeRoles',
          'DenyReadWithoutGrant',
          'DenyWriteWithoutWriteGrant',
        ]),
      /bucket policy of dataset nih-genomics does not keep out/,
    ),
  ],
  [
    "the platform's deny statements removed from a dataset key policy",
    onResource(
      SITE,
      'AWS::KMS::Key',
      (r) => String(r.Properties.Description).startsWith('Datasets of classification cui'),
      (r) =>
        dropSids(r.Properties.KeyPolicy, [
          'DenyDataToOtherThanGranteeRoles',
          'DenyReadWithoutGrant',
          'DenyWriteWithoutWriteGrant',
        ]),
      /key policy of dataset (nih-genomics|dhs-grid-telemetry) does not keep out/,
    ),
  ],
  [
    'an EKS access entry making a tenant cluster-admin',
    onResource(
      'Tenant-helix-bio',
      'AWS::EKS::AccessEntry',
      () => true,
      (r) => {
        r.Properties.AccessPolicies = [
          {
            PolicyArn: 'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            AccessScope: { Type: 'cluster' },
          },
        ];
      },
      /tenant helix-bio\) can read dataset nih-genomics on cluster govcloud-west\/gw-gpu; no grant declares it/,
    ),
  ],
  [
    'an on-prem dataset volume made writable',
    (dir) => {
      editYaml(yml(dir, 'lab-east', 'le-gpu', 'tenant-lattice-quantum.yaml'), (os) =>
        os.map((o) =>
          o.kind === 'PersistentVolume'
            ? {
                ...o,
                spec: {
                  ...o.spec,
                  accessModes: ['ReadWriteMany'],
                  mountOptions: [],
                  csi: { ...o.spec.csi, readOnly: false },
                },
              }
            : o,
        ),
      );
      return {
        resource: 'k8s:lab-east/le-gpu/PersistentVolume/-/tenant-lattice-quantum-doe-fusion-sim',
        file: 'k8s/lab-east/le-gpu/tenant-lattice-quantum.yaml',
        message: /can write dataset doe-fusion-sim on cluster lab-east\/le-gpu/,
      };
    },
  ],
  [
    'a dataset volume bound into a tenant with no grant',
    addObjects(
      'govcloud-west',
      'gw-gpu',
      'tenant-helix-bio.yaml',
      () => [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'tenant-helix-bio-genomics' },
          spec: {
            accessModes: ['ReadOnlyMany'],
            capacity: { storage: '1Gi' },
            claimRef: { kind: 'PersistentVolumeClaim', name: 'genomics', namespace: 'tenant-helix-bio' },
            csi: {
              driver: 's3.csi.aws.com',
              readOnly: true,
              volumeAttributes: {
                authenticationSource: 'pod',
                bucketName: 'genesis-111122223333-nih-genomics',
              },
              volumeHandle: 'x',
            },
            mountOptions: ['read-only'],
            storageClassName: '',
          },
        },
      ],
      'k8s:govcloud-west/gw-gpu/PersistentVolume/-/tenant-helix-bio-genomics',
      /tenant helix-bio\) can read dataset nih-genomics/,
    ),
  ],
  [
    'a dataset volume left unclaimed, so any tenant may bind it',
    (dir) => {
      editYaml(yml(dir, 'govcloud-west', 'gw-gpu', 'tenant-aurora-ai.yaml'), (os) =>
        os
          .filter((o) => !(o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'dataset-nih-genomics'))
          .map((o) =>
            o.kind === 'PersistentVolume' && o.metadata.name === 'tenant-aurora-ai-nih-genomics'
              ? { ...o, spec: { ...o.spec, claimRef: undefined } }
              : o,
          ),
      );
      return {
        resource: 'k8s:govcloud-west/gw-gpu/PersistentVolume/-/tenant-aurora-ai-nih-genomics',
        file: 'k8s/govcloud-west/gw-gpu/tenant-aurora-ai.yaml',
        message: /can read dataset nih-genomics/,
      };
    },
  ],
  [
    "a Pod Identity association hands another tenant's data role to a tenant",
    (dir) => {
      editJson(tpl(dir, 'Tenant-helix-bio'), (t) => {
        t.Resources.BorrowedRole = {
          Type: 'AWS::EKS::PodIdentityAssociation',
          Properties: {
            ClusterName: 'gw-gpu',
            Namespace: 'tenant-helix-bio',
            ServiceAccount: 'default',
            RoleArn: ARN('genesis-aurora-ai-data'),
          },
        };
      });
      return {
        resource: 'aws:Tenant-helix-bio/BorrowedRole',
        file: 'aws/Tenant-helix-bio.template.json',
        message: /\(tenant helix-bio\) can read dataset nih-genomics through the gw-cui endpoint/,
      };
    },
  ],
  [
    "an IRSA annotation hands another tenant's data role to a service account",
    (dir) => {
      editYaml(yml(dir, 'govcloud-west', 'gw-gpu', 'tenant-midwest-univ.yaml'), (os) =>
        os.map((o) =>
          o.kind === 'ServiceAccount' && o.metadata.name === 'default'
            ? {
                ...o,
                metadata: {
                  ...o.metadata,
                  annotations: { 'eks.amazonaws.com/role-arn': ARN('genesis-aurora-ai-data') },
                },
              }
            : o,
        ),
      );
      return {
        resource: 'k8s:govcloud-west/gw-gpu/ServiceAccount/tenant-midwest-univ/default',
        file: 'k8s/govcloud-west/gw-gpu/tenant-midwest-univ.yaml',
        message: /\(tenant midwest-univ\) can read dataset (nih-genomics|dhs-grid-telemetry)/,
      };
    },
  ],
  [
    "a RoleBinding lets another tenant run pods with a tenant's dataset volumes",
    addObjects(
      'govcloud-west',
      'gw-gpu',
      'tenant-aurora-ai.yaml',
      () => [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'guests', namespace: 'tenant-aurora-ai' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [
            { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'genesis:tenant:helix-bio' },
          ],
        },
      ],
      'k8s:govcloud-west/gw-gpu/RoleBinding/tenant-aurora-ai/guests',
      /Group genesis:tenant:helix-bio \(tenant helix-bio\) can read dataset nih-genomics/,
    ),
  ],
  [
    'a ClusterRoleBinding lets every authenticated user run pods anywhere (on-prem)',
    addObjects(
      'lab-east',
      'le-gpu',
      'cluster.yaml',
      () => [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'everyone-edits' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
        },
      ],
      'k8s:lab-east/le-gpu/ClusterRoleBinding/-/everyone-edits',
      /\(tenant lattice-quantum\) can (read|write) dataset (nnsa-materials|doe-fusion-sim)/,
    ),
  ],
  [
    'an identity statement on a dataset the tenant has no grant for',
    onResource(
      'Tenant-helix-bio',
      'AWS::IAM::ManagedPolicy',
      () => true,
      (r) => {
        r.Properties.PolicyDocument.Statement.push({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-nih-genomics/*',
        });
      },
      /identity policies alone allow role\/genesis-helix-bio-data \(tenant helix-bio\) to read dataset nih-genomics; no grant declares it/,
    ),
  ],
  [
    "a trust policy admits another tenant's members to a data role",
    onResource(
      'Tenant-aurora-ai',
      'AWS::IAM::Role',
      dataRole('aurora-ai'),
      (r) => {
        r.Properties.AssumeRolePolicyDocument.Statement.push({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/genesis:tenant': 'midwest-univ' } },
        });
      },
      /\(tenant midwest-univ\) can read dataset (nih-genomics|dhs-grid-telemetry)/,
    ),
  ],
  [
    'the end date removed from a grant statement',
    onResource(
      'Tenant-midwest-univ',
      'AWS::IAM::ManagedPolicy',
      () => true,
      (r) => {
        for (const s of r.Properties.PolicyDocument.Statement)
          if (String(s.Sid).startsWith('ReadUsgsLidar')) delete s.Condition.DateLessThan;
      },
      /usgs-lidar.*after the grant's last day 2027-05-31/,
    ),
  ],
  [
    'a dataset bucket opened to the gw-open endpoint for a CUI dataset',
    onResource(SITE, 'AWS::S3::BucketPolicy', bucketPolicyOf('nih-genomics'), (r, t) => {
      const s = r.Properties.PolicyDocument.Statement.find(
        (x: Json) => x.Sid === 'DenyDataAccessOutsideEnclaveNetworks',
      );
      s.Condition.StringNotEqualsIfExists['aws:SourceVpce'].push({
        Ref: logicalId(
          t,
          'AWS::EC2::VPCEndpoint',
          (e) =>
            JSON.stringify(e.Properties.Tags).includes('gw-open') &&
            JSON.stringify(e.Properties.ServiceName).includes('s3'),
        ),
      });
    }),
  ],
  [
    'the deny to other principals removed from tenant storage',
    onResource(
      'Tenant-helix-bio',
      'AWS::S3::BucketPolicy',
      () => true,
      (r) => dropSids(r.Properties.PolicyDocument, ['DenyDataAccessToOtherPrincipals']),
      /tenant storage of helix-bio/,
    ),
  ],
];

// a CUI dataset through gw-open is reported on the bucket; fix the expectation of that case here
const BUCKET_CASE = 'a dataset bucket opened to the gw-open endpoint for a CUI dataset';

describe('tamper: effective access', () => {
  it('has at least 15 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(15));

  it.each(CASES)('%s', async (name, edit) => {
    const dir = await copyOfDefault();
    let expected = edit(dir);
    if (name === BUCKET_CASE) {
      const t = JSON.parse(fs.readFileSync(tpl(dir, SITE), 'utf8'));
      expected = {
        ...expected,
        resource: `aws:${SITE}/${logicalId(t, 'AWS::S3::Bucket', tagged('nih-genomics'))}`,
        message: /through the gw-open endpoint, not from an enclave the dataset allows \(gw-cui\)/,
      };
    }
    const { code, findings } = await check(dir);
    const mine = findings.filter((f) => f.ruleId === 'GEN-X-005' && f.severity === 'error');
    expect(code).toBe(1);
    const at = mine.filter(
      (f) => f.location.resourceKey === expected.resource && f.location.file === expected.file,
    );
    expect({
      name,
      found:
        at.map((f) => f.message).join('\n') ||
        mine.map((f) => `${f.location.resourceKey}: ${f.message}`).join('\n'),
    }).toEqual({ name, found: expect.stringMatching(expected.message ?? /./) });
    expect(at.length).toBe(1);
  });
});
