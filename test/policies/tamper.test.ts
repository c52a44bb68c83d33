/**
 * Hand edits of the default platform's output: each makes `genesis check` exit 1 and name the
 * rule, the resource and the file; and each finding is new (absent from the unedited output), so
 * the edit, not a standing issue, is what the check caught.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyOfDefault,
  defaultOutput,
  editJson,
  editYaml,
  logicalId,
  checkOutput,
  type Found,
} from './support/default-output';
import { K8S_CASES } from './support/tamper-k8s';

const check = checkOutput;

const key = (f: Found) => `${f.ruleId}|${f.location.resourceKey}`;
let baseline: Set<string>;

beforeAll(async () => {
  const dir = await copyOfDefault();
  const r = await check(dir);
  baseline = new Set(r.findings.filter((f) => f.severity === 'error').map(key));
});

const aws = (dir: string, stack: string) => path.join(dir, 'aws', `${stack}.template.json`);
const k8sFile = (dir: string, file: string) => path.join(dir, 'k8s', 'govcloud-west', 'gw-gpu', file);
const SITE = 'Site-govcloud-west';

/**
 * Edits one resource of a stack's template (the one `find` names) and expects `rule` to report it
 * there: the shape of most AWS cases.
 */
function editResource(
  dir: string,
  stack: string,
  rule: string,
  find: (t: Record<string, any>) => string,
  mutate: (resource: Record<string, any>, template: Record<string, any>) => void,
): { rule: string; resource: string; file: string } {
  let id = '';
  editJson(aws(dir, stack), (t) => {
    id = find(t);
    mutate(t.Resources[id], t);
  });
  return { rule, resource: `aws:${stack}/${id}`, file: `aws/${stack}.template.json` };
}

interface Case {
  readonly name: string;
  /** Edits the copy; returns the expected rule id, resource key and file (relative to the folder). */
  readonly edit: (dir: string) => { rule: string; resource: string; file: string };
}

const CASES: Case[] = [
  {
    name: 'add s3:* on * to a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-nih-nci',
        'GEN-AWS-IAM-001',
        (t) => logicalId(t, 'AWS::IAM::ManagedPolicy'),
        (r) => {
          r.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
        },
      ),
  },
  {
    name: 'drop the encryption of a dataset bucket',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-DP-001',
        (t) =>
          logicalId(t, 'AWS::S3::Bucket', (r) =>
            JSON.stringify(r.Properties.Tags ?? []).includes('nih-genomics'),
          ),
        (r) => {
          delete r.Properties.BucketEncryption;
        },
      ),
  },
  {
    name: 'drop Retain from a KMS key',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-DP-010',
        (t) => logicalId(t, 'AWS::KMS::Key'),
        (r) => {
          r.DeletionPolicy = 'Delete';
        },
      ),
  },
  {
    name: 'add 0.0.0.0/0 ingress to a security group of the CUI enclave',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-NET-004',
        (t) =>
          logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
            String(r.Properties.GroupDescription).startsWith('Interface endpoints'),
          ),
        (r) => {
          r.Properties.SecurityGroupIngress.push({
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
          });
        },
      ),
  },
  {
    name: 'open the public enclave network ACL to all inbound traffic from anywhere',
    edit: (dir) => {
      editJson(aws(dir, SITE), (t) => {
        const acl = logicalId(t, 'AWS::EC2::NetworkAcl');
        t.Resources.AclOpenInbound = {
          Type: 'AWS::EC2::NetworkAclEntry',
          Properties: {
            NetworkAclId: { Ref: acl },
            Egress: false,
            RuleAction: 'allow',
            RuleNumber: 50,
            Protocol: -1,
            CidrBlock: '0.0.0.0/0',
          },
        };
      });
      return {
        rule: 'GEN-AWS-NET-011',
        resource: `aws:${SITE}/AclOpenInbound`,
        file: `aws/${SITE}.template.json`,
      };
    },
  },
  {
    name: 'take a tenant stack out of the assembly manifest',
    edit: (dir) => {
      editJson(path.join(dir, 'aws', 'manifest.json'), (m) => {
        delete m.artifacts['Tenant-aurora-ai'];
      });
      return {
        rule: 'GEN-INPUT-002',
        resource: 'input:aws/Tenant-aurora-ai.template.json',
        file: 'aws/Tenant-aurora-ai.template.json',
      };
    },
  },
  {
    name: 'attach an internet gateway to the CUI VPC',
    edit: (dir) => {
      let vpc = '';
      editJson(aws(dir, SITE), (t) => {
        vpc = logicalId(t, 'AWS::EC2::VPC', (r) => JSON.stringify(r.Properties.Tags).includes('"cui"'));
        t.Resources.SneakyIgw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
        t.Resources.SneakyIgwAttachment = {
          Type: 'AWS::EC2::VPCGatewayAttachment',
          Properties: { VpcId: { Ref: vpc }, InternetGatewayId: { Ref: 'SneakyIgw' } },
        };
      });
      return {
        rule: 'GEN-AWS-NET-001',
        resource: `aws:${SITE}/SneakyIgw`,
        file: `aws/${SITE}.template.json`,
      };
    },
  },
  {
    name: 'retag the CUI VPC public, then attach an internet gateway and open its endpoint security group',
    edit: (dir) => {
      editJson(aws(dir, SITE), (t) => {
        const vpc = logicalId(t, 'AWS::EC2::VPC', (r) => JSON.stringify(r.Properties.Tags).includes('"cui"'));
        const sg = logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
          String(r.Properties.GroupDescription).startsWith('Interface endpoints'),
        );
        t.Resources[vpc].Properties.Tags.find(
          (x: { Key: string }) => x.Key === 'genesis:classification',
        ).Value = 'public';
        t.Resources.SneakyIgw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
        t.Resources.SneakyIgwAttachment = {
          Type: 'AWS::EC2::VPCGatewayAttachment',
          Properties: { VpcId: { Ref: vpc }, InternetGatewayId: { Ref: 'SneakyIgw' } },
        };
        t.Resources.SneakyIngress = {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { 'Fn::GetAtt': [sg, 'GroupId'] }, IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
        };
      });
      return {
        rule: 'GEN-AWS-NET-004',
        resource: `aws:${SITE}/SneakyIngress`,
        file: `aws/${SITE}.template.json`,
      };
    },
  },
  {
    name: 'drop the classification tags of the CUI VPC, then attach an internet gateway',
    edit: (dir) => {
      editJson(aws(dir, SITE), (t) => {
        const vpc = logicalId(t, 'AWS::EC2::VPC', (r) => JSON.stringify(r.Properties.Tags).includes('"cui"'));
        t.Resources[vpc].Properties.Tags = t.Resources[vpc].Properties.Tags.filter(
          (x: { Key: string }) => x.Key === 'Name',
        );
        t.Resources.SneakyIgw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
        t.Resources.SneakyIgwAttachment = {
          Type: 'AWS::EC2::VPCGatewayAttachment',
          Properties: { VpcId: { Ref: vpc }, InternetGatewayId: { Ref: 'SneakyIgw' } },
        };
      });
      return {
        rule: 'GEN-AWS-NET-001',
        resource: `aws:${SITE}/SneakyIgw`,
        file: `aws/${SITE}.template.json`,
      };
    },
  },
  {
    name: 'retag the CUI VPC public',
    edit: (dir) => {
      let vpc = '';
      editJson(aws(dir, SITE), (t) => {
        vpc = logicalId(t, 'AWS::EC2::VPC', (r) => JSON.stringify(r.Properties.Tags).includes('"cui"'));
        t.Resources[vpc].Properties.Tags.find(
          (x: { Key: string }) => x.Key === 'genesis:classification',
        ).Value = 'public';
      });
      return { rule: 'GEN-AWS-NET-010', resource: `aws:${SITE}/${vpc}`, file: `aws/${SITE}.template.json` };
    },
  },
  {
    name: 'make AdministratorAccess the permissions boundary of a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-003',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-aurora-ai-data'),
        (r) => {
          r.Properties.PermissionsBoundary = 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess';
        },
      ),
  },
  {
    name: 'attach AmazonS3FullAccess to a tenant data role through ManagedPolicyArns',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-011',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-aurora-ai-data'),
        (r) => {
          r.Properties.ManagedPolicyArns = ['arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess'];
        },
      ),
  },
  {
    name: 'grant partial wildcards (s3:*Object*, kms:*crypt*, s3:Put*) to a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-001',
        (t) => logicalId(t, 'AWS::IAM::ManagedPolicy'),
        (r) => {
          r.Properties.PolicyDocument.Statement.push({
            Effect: 'Allow',
            Action: ['s3:*Object*', 'kms:*crypt*', 's3:Put*'],
            Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-nih-genomics/*',
            Condition: { DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' } },
          });
        },
      ),
  },
  {
    name: 'add a user policy allowing s3:*',
    edit: (dir) => {
      editJson(aws(dir, 'Tenant-aurora-ai'), (t) => {
        t.Resources.SneakyUserPolicy = {
          Type: 'AWS::IAM::UserPolicy',
          Properties: {
            UserName: 'ops',
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
          },
        };
      });
      return {
        rule: 'GEN-AWS-IAM-001',
        resource: 'aws:Tenant-aurora-ai/SneakyUserPolicy',
        file: 'aws/Tenant-aurora-ai.template.json',
      };
    },
  },
  {
    name: 'add a group policy allowing kms:*',
    edit: (dir) => {
      editJson(aws(dir, 'Tenant-aurora-ai'), (t) => {
        t.Resources.SneakyGroupPolicy = {
          Type: 'AWS::IAM::GroupPolicy',
          Properties: {
            GroupName: 'ops',
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
          },
        };
      });
      return {
        rule: 'GEN-AWS-IAM-001',
        resource: 'aws:Tenant-aurora-ai/SneakyGroupPolicy',
        file: 'aws/Tenant-aurora-ai.template.json',
      };
    },
  },
  {
    name: 'allow everyone to read a dataset bucket under an aws:SecureTransport condition',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-IAM-006',
        (t) =>
          logicalId(t, 'AWS::S3::BucketPolicy', (r) =>
            JSON.stringify(r.Properties.Bucket).includes('DatasetNihGenomics'),
          ),
        (r) => {
          r.Properties.PolicyDocument.Statement.push({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-nih-genomics/*',
            Condition: { Bool: { 'aws:SecureTransport': 'true' } },
          });
        },
      ),
  },
  {
    name: 'let everyone decrypt with a dataset key when kms:CallerAccount lists another account',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-IAM-006',
        (t) =>
          logicalId(t, 'AWS::KMS::Key', (r) =>
            JSON.stringify(r.Properties.KeyPolicy).includes('genesis:data-key:cui'),
          ),
        (r) => {
          r.Properties.KeyPolicy.Statement.push({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:CallerAccount': ['111122223333', '444455556666'] } },
          });
        },
      ),
  },
  {
    name: 'let anyone assume a tenant data role under aws:PrincipalArn "*"',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-005',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-aurora-ai-data'),
        (r) => {
          r.Properties.AssumeRolePolicyDocument.Statement.push({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
            Condition: { StringLike: { 'aws:PrincipalArn': '*' } },
          });
        },
      ),
  },
  {
    name: 'open the CUI S3 endpoint policy to every bucket, pinning only the caller',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-NET-007',
        (t) =>
          logicalId(
            t,
            'AWS::EC2::VPCEndpoint',
            (r) =>
              JSON.stringify(r.Properties.ServiceName).includes('.s3') &&
              JSON.stringify(r.Properties.Tags).includes('"cui"'),
          ),
        (r) => {
          r.Properties.PolicyDocument = {
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:*',
                Resource: '*',
                Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
              },
            ],
          };
        },
      ),
  },
  {
    name: 'grant kms:Decrypt on "*" under a wildcard encryption context',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-002',
        (t) => logicalId(t, 'AWS::IAM::ManagedPolicy'),
        (r) => {
          r.Properties.PolicyDocument.Statement.push({
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: '*',
            Condition: {
              DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': '*' },
            },
          });
        },
      ),
  },
  {
    name: 'dilute the TLS deny of a dataset bucket with a condition that never holds',
    edit: (dir) => {
      let bucket = '';
      editJson(aws(dir, SITE), (t) => {
        const id = logicalId(t, 'AWS::S3::BucketPolicy', (r) =>
          JSON.stringify(r.Properties.Bucket).includes('DatasetNihGenomics'),
        );
        bucket = t.Resources[id].Properties.Bucket.Ref;
        const deny = t.Resources[id].Properties.PolicyDocument.Statement.find(
          (x: { Effect: string; Condition?: unknown }) =>
            x.Effect === 'Deny' && JSON.stringify(x.Condition ?? {}).includes('SecureTransport'),
        );
        deny.Condition = {
          Bool: { 'aws:SecureTransport': 'false' },
          StringEquals: { 'aws:PrincipalAccount': '999999999999' },
        };
      });
      return { rule: 'GEN-AWS-DP-006', resource: `aws:${SITE}/${bucket}`, file: `aws/${SITE}.template.json` };
    },
  },
  {
    name: 'add a second bucket policy to a dataset bucket allowing another account',
    edit: (dir) => {
      let bucket = '';
      editJson(aws(dir, SITE), (t) => {
        bucket = logicalId(t, 'AWS::S3::Bucket', (r) =>
          JSON.stringify(r.Properties.Tags ?? []).includes('nih-genomics'),
        );
        t.Resources.SneakyBucketPolicy = {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: bucket },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' },
                  Action: 's3:GetObject',
                  Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
                },
              ],
            },
          },
        };
      });
      return { rule: 'GEN-AWS-DP-018', resource: `aws:${SITE}/${bucket}`, file: `aws/${SITE}.template.json` };
    },
  },
  {
    name: 'add a bucket policy allowing another account',
    edit: (dir) => {
      editJson(aws(dir, SITE), (t) => {
        const bucket = logicalId(t, 'AWS::S3::Bucket', (r) =>
          JSON.stringify(r.Properties.Tags ?? []).includes('nih-genomics'),
        );
        t.Resources.SneakyBucketPolicy = {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: bucket },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' },
                  Action: 's3:GetObject',
                  Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
                },
              ],
            },
          },
        };
      });
      return {
        rule: 'GEN-AWS-IAM-006',
        resource: `aws:${SITE}/SneakyBucketPolicy`,
        file: `aws/${SITE}.template.json`,
      };
    },
  },
  {
    name: 'grant s3:* in the branch of Fn::If that a deploy-time parameter selects',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-001',
        (t) => logicalId(t, 'AWS::IAM::ManagedPolicy'),
        (r, t) => {
          t.Parameters = { ...t.Parameters, Mode: { Type: 'String', Default: 'a' } };
          t.Conditions = { ...t.Conditions, IsB: { 'Fn::Equals': [{ Ref: 'Mode' }, 'b'] } };
          r.Properties.PolicyDocument.Statement.push({
            Effect: 'Allow',
            Action: { 'Fn::If': ['IsB', 's3:*', 's3:ListBucket'] },
            Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-nih-genomics',
            Condition: { DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' } },
          });
        },
      ),
  },
  {
    name: 'remove the end date of a tenant grant',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-aurora-ai',
        'GEN-AWS-IAM-004',
        (t) => logicalId(t, 'AWS::IAM::ManagedPolicy'),
        (r) => {
          for (const s of r.Properties.PolicyDocument.Statement) delete s.Condition.DateLessThan;
        },
      ),
  },
  {
    name: 'let anyone assume a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-helix-bio',
        'GEN-AWS-IAM-005',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-helix-bio-data'),
        (r) => {
          r.Properties.AssumeRolePolicyDocument.Statement.push({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
          });
        },
      ),
  },
  {
    name: "map a tenant's Pod Identity association to another tenant's role",
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-helix-bio',
        'GEN-AWS-IAM-009',
        (t) => logicalId(t, 'AWS::EKS::PodIdentityAssociation'),
        (r) => {
          r.Properties.RoleArn = 'arn:aws-us-gov:iam::111122223333:role/genesis-nih-nci-data';
        },
      ),
  },
  {
    name: 'remove the TLS-only statement of a bucket policy',
    edit: (dir) => {
      let bucket = '';
      editJson(aws(dir, SITE), (t) => {
        const id = logicalId(t, 'AWS::S3::BucketPolicy', (r) =>
          JSON.stringify(r.Properties.Bucket).includes('DatasetNoaaReanalysis'),
        );
        bucket = t.Resources[id].Properties.Bucket.Ref;
        const doc = t.Resources[id].Properties.PolicyDocument;
        doc.Statement = doc.Statement.filter(
          (s: Record<string, any>) => !JSON.stringify(s.Condition ?? {}).includes('SecureTransport'),
        );
      });
      return { rule: 'GEN-AWS-DP-006', resource: `aws:${SITE}/${bucket}`, file: `aws/${SITE}.template.json` };
    },
  },
  {
    name: 'remove the permissions boundary of a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-noaa-psl',
        'GEN-AWS-IAM-003',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-noaa-psl-data'),
        (r) => {
          if (!r.Properties.PermissionsBoundary)
            throw new Error('the default output has no boundary to remove');
          delete r.Properties.PermissionsBoundary;
        },
      ),
  },
  {
    name: 'disable rotation of a KMS key',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-DP-012',
        (t) => logicalId(t, 'AWS::KMS::Key'),
        (r) => {
          r.Properties.EnableKeyRotation = false;
        },
      ),
  },
  {
    name: "delete a tenant's default-deny NetworkPolicy",
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-nih-nci.yaml'), (os) =>
        os.filter(
          (o) =>
            !(
              o.kind === 'NetworkPolicy' &&
              (o.spec.policyTypes ?? []).length === 2 &&
              !o.spec.ingress &&
              !o.spec.egress
            ),
        ),
      );
      return {
        rule: 'GEN-K8S-TEN-003',
        resource: 'k8s:govcloud-west/gw-gpu/Namespace/-/tenant-nih-nci',
        file: 'k8s/govcloud-west/gw-gpu/tenant-nih-nci.yaml',
      };
    },
  },
  {
    name: 'add a workload with a hostPath volume to a tenant namespace',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-aurora-ai.yaml'), (os) => [
        ...os,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'reader', namespace: 'tenant-aurora-ai' },
          spec: {
            selector: { matchLabels: { app: 'reader' } },
            template: {
              metadata: { labels: { app: 'reader' } },
              spec: {
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'r',
                    image: 'r:1',
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                  },
                ],
                volumes: [{ name: 'host', hostPath: { path: '/var/lib/kubelet' } }],
              },
            },
          },
        },
      ]);
      return {
        rule: 'GEN-K8S-TEN-009',
        resource: 'k8s:govcloud-west/gw-gpu/Deployment/tenant-aurora-ai/reader',
        file: 'k8s/govcloud-west/gw-gpu/tenant-aurora-ai.yaml',
      };
    },
  },
  {
    name: 'raise a ClusterQueue quota past the capacity of its flavor',
    edit: (dir) => {
      let flavor = '';
      editYaml(k8sFile(dir, 'cluster.yaml'), (os) => {
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-noaa-psl')!;
        const f = q.spec.resourceGroups[0].flavors[0];
        flavor = f.name;
        for (const r of f.resources) if (String(r.name).includes('/')) r.nominalQuota = 1000;
        return os;
      });
      const file = fs
        .readdirSync(path.join(dir, 'k8s/govcloud-west/gw-gpu'))
        .find((x) =>
          fs
            .readFileSync(path.join(dir, 'k8s/govcloud-west/gw-gpu', x), 'utf8')
            .includes('kind: ResourceFlavor'),
        )!;
      return {
        rule: 'GEN-K8S-CAP-001',
        resource: `k8s:govcloud-west/gw-gpu/ResourceFlavor/-/${flavor}`,
        file: `k8s/govcloud-west/gw-gpu/${file}`,
      };
    },
  },
  {
    name: 'bind a tenant group with a ClusterRoleBinding',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-midwest-univ.yaml'), (os) => [
        ...os,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'midwest-view-all' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [
            { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'genesis:tenant:midwest-univ' },
          ],
        },
      ]);
      return {
        rule: 'GEN-K8S-TEN-007',
        resource: 'k8s:govcloud-west/gw-gpu/ClusterRoleBinding/-/midwest-view-all',
        file: 'k8s/govcloud-west/gw-gpu/tenant-midwest-univ.yaml',
      };
    },
  },
  {
    name: 'remove the NVIDIA_VISIBLE_DEVICES admission guard',
    edit: (dir) => {
      for (const f of fs.readdirSync(path.join(dir, 'k8s/govcloud-west/gw-gpu'))) {
        editYaml(k8sFile(dir, f), (os) =>
          os.filter(
            (o) =>
              !(
                String(o.kind).startsWith('ValidatingAdmissionPolicy') &&
                JSON.stringify(o).includes('NVIDIA_VISIBLE_DEVICES')
              ),
          ),
        );
      }
      return {
        rule: 'GEN-K8S-TEN-012',
        resource: 'k8s:govcloud-west/gw-gpu',
        file: 'k8s/govcloud-west/gw-gpu',
      };
    },
  },
  {
    name: "point a ServiceAccount at another tenant's role",
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-noaa-psl.yaml'), (os) => {
        const sa = os.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'workload')!;
        sa.metadata.annotations = {
          ...sa.metadata.annotations,
          'eks.amazonaws.com/role-arn': 'arn:aws-us-gov:iam::111122223333:role/genesis-nih-nci-data',
        };
        return os;
      });
      return {
        rule: 'GEN-X-001',
        resource: 'k8s:govcloud-west/gw-gpu/ServiceAccount/tenant-noaa-psl/workload',
        file: 'k8s/govcloud-west/gw-gpu/tenant-noaa-psl.yaml',
      };
    },
  },
  {
    name: "map a tenant's Pod Identity association to another tenant's namespace",
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-noaa-psl',
        'GEN-X-001',
        (t) => logicalId(t, 'AWS::EKS::PodIdentityAssociation'),
        (r) => {
          r.Properties.Namespace = 'tenant-nih-nci';
        },
      ),
  },
  {
    name: 'remove the Pod Security labels of a tenant namespace',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-helix-bio.yaml'), (os) => {
        const ns = os.find((o) => o.kind === 'Namespace')!;
        for (const k of Object.keys(ns.metadata.labels))
          if (k.startsWith('pod-security.kubernetes.io/')) delete ns.metadata.labels[k];
        return os;
      });
      return {
        rule: 'GEN-K8S-TEN-001',
        resource: 'k8s:govcloud-west/gw-gpu/Namespace/-/tenant-helix-bio',
        file: 'k8s/govcloud-west/gw-gpu/tenant-helix-bio.yaml',
      };
    },
  },
  {
    name: 'turn a read grant into a write volume on Kubernetes only',
    edit: (dir) => {
      let name = '';
      editYaml(k8sFile(dir, 'tenant-aurora-ai.yaml'), (os) => {
        const pv = os.find((o) => o.kind === 'PersistentVolume')!;
        name = pv.metadata.name;
        pv.metadata.annotations['genesis.platform/access'] = 'write';
        return os;
      });
      return {
        rule: 'GEN-X-002',
        resource: `k8s:govcloud-west/gw-gpu/PersistentVolume/-/${name}`,
        file: 'k8s/govcloud-west/gw-gpu/tenant-aurora-ai.yaml',
      };
    },
  },
  {
    name: 'drop the GPU key from a tenant ResourceQuota',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-nih-nci.yaml'), (os) => {
        for (const q of os.filter((o) => o.kind === 'ResourceQuota'))
          for (const k of Object.keys(q.spec.hard))
            if (k.startsWith('requests.nvidia.com/')) delete q.spec.hard[k];
        return os;
      });
      return {
        rule: 'GEN-K8S-TEN-005',
        resource: 'k8s:govcloud-west/gw-gpu/Namespace/-/tenant-nih-nci',
        file: 'k8s/govcloud-west/gw-gpu/tenant-nih-nci.yaml',
      };
    },
  },
  {
    name: "raise a tenant's GPU quota on Kubernetes only",
    edit: (dir) => {
      editYaml(k8sFile(dir, 'cluster.yaml'), (os) => {
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-helix-bio')!;
        for (const r of q.spec.resourceGroups[0].flavors[0].resources)
          if (String(r.name).includes('/')) r.nominalQuota = Number(r.nominalQuota) + 1;
        return os;
      });
      const file = fs
        .readdirSync(path.join(dir, 'k8s/govcloud-west/gw-gpu'))
        .find((x) =>
          fs
            .readFileSync(path.join(dir, 'k8s/govcloud-west/gw-gpu', x), 'utf8')
            .includes('kind: ClusterQueue'),
        )!;
      return {
        rule: 'GEN-X-003',
        resource: 'k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-helix-bio',
        file: `k8s/govcloud-west/gw-gpu/${file}`,
      };
    },
  },
  {
    name: 'drop the tenant label from a tenant namespace',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'tenant-midwest-univ.yaml'), (os) => {
        delete os.find((o) => o.kind === 'Namespace')!.metadata.labels['genesis.platform/tenant'];
        return os;
      });
      return {
        rule: 'GEN-K8S-TEN-014',
        resource: 'k8s:govcloud-west/gw-gpu/Namespace/-/tenant-midwest-univ',
        file: 'k8s/govcloud-west/gw-gpu/tenant-midwest-univ.yaml',
      };
    },
  },
  {
    name: 'drop the tenant tag from a tenant data role',
    edit: (dir) =>
      editResource(
        dir,
        'Tenant-midwest-univ',
        'GEN-AWS-IAM-010',
        (t) => logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-midwest-univ-data'),
        (r) => {
          r.Properties.Tags = r.Properties.Tags.filter((x: { Key: string }) => x.Key !== 'genesis:tenant');
        },
      ),
  },
  {
    name: 'let pods reach the metadata service of GPU nodes (hop limit 2)',
    edit: (dir) =>
      editResource(
        dir,
        SITE,
        'GEN-AWS-NET-008',
        (t) => logicalId(t, 'AWS::EC2::LaunchTemplate'),
        (r) => {
          r.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit = 2;
        },
      ),
  },
  {
    name: 'remove the cluster-wide metadata-service deny',
    edit: (dir) => {
      editYaml(k8sFile(dir, 'cluster.yaml'), (os) => os.filter((o) => o.kind !== 'ClusterNetworkPolicy'));
      return {
        rule: 'GEN-K8S-TEN-015',
        resource: 'k8s:govcloud-west/gw-gpu',
        file: 'k8s/govcloud-west/gw-gpu',
      };
    },
  },
  {
    name: 'give a tenant Role wildcard verbs',
    edit: (dir) => {
      let name = '';
      editYaml(k8sFile(dir, 'tenant-nih-nci.yaml'), (os) => {
        const role = os.find((o) => o.kind === 'Role')!;
        name = role.metadata.name;
        role.rules[0].verbs = ['*'];
        return os;
      });
      return {
        rule: 'GEN-K8S-TEN-008',
        resource: `k8s:govcloud-west/gw-gpu/Role/tenant-nih-nci/${name}`,
        file: 'k8s/govcloud-west/gw-gpu/tenant-nih-nci.yaml',
      };
    },
  },
  ...K8S_CASES,
];

describe('tampered output', () => {
  it('covers at least 12 edits across both targets', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await copyOfDefault();
    const expected = c.edit(dir);
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hit = r.findings.find(
      (f) => f.ruleId === expected.rule && f.location.resourceKey === expected.resource,
    );
    expect(hit).toMatchObject({ severity: 'error', location: { file: expected.file } });
    expect(baseline.has(key(hit!))).toBe(false);
    expect(r.out).toContain(expected.rule);
    expect(r.out).toContain(expected.resource);
    expect(r.out).toContain(expected.file);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});

describe('unreadable input', () => {
  it('exits 2 naming a template that is not JSON', async () => {
    const dir = await copyOfDefault();
    fs.writeFileSync(aws(dir, 'Tenant-nih-nci'), '{ "Resources": ');
    const r = await check(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('aws/Tenant-nih-nci.template.json');
    expect(r.out).toMatch(/not valid JSON/);
  });

  it('exits 2 naming a YAML file that does not parse, with its line', async () => {
    const dir = await copyOfDefault();
    fs.appendFileSync(k8sFile(dir, 'cluster.yaml'), '---\nkind: [unclosed\n');
    const r = await check(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('k8s/govcloud-west/gw-gpu/cluster.yaml');
    expect(r.out).toMatch(/line \d+/);
  });

  it('exits 2 on a missing folder', async () => {
    const r = await check(path.join(await defaultOutput(), 'nope'));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/no such folder/);
  });

  it('exits 2 when the manifest names a template that is missing', async () => {
    const dir = await copyOfDefault();
    fs.rmSync(aws(dir, 'Tenant-nih-nci'));
    const r = await check(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Tenant-nih-nci.template.json');
  });
});

describe('YAML as Kubernetes reads it', () => {
  it('takes `hostNetwork: yes` for true (YAML 1.1), so the edit does not slip through', async () => {
    const dir = await copyOfDefault();
    const file = k8sFile(dir, 'tenant-nih-nci.yaml');
    fs.appendFileSync(
      file,
      [
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: sniffer, namespace: tenant-nih-nci}',
        'spec:',
        '  hostNetwork: yes',
        '  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}',
        '  containers:',
        '    - name: c',
        '      image: c:1',
        '      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}',
        '',
      ].join('\n'),
    );
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hit = r.findings.find(
      (f) =>
        f.ruleId === 'GEN-K8S-TEN-002' &&
        f.location.resourceKey === 'k8s:govcloud-west/gw-gpu/Pod/tenant-nih-nci/sniffer',
    );
    expect(hit).toBeDefined();
  });
});
