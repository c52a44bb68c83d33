import { tags } from '../../examples/builders';
import { defineRule } from '../../engine/rule-kit';
import { k8sDocs, refOf } from '../../engine/k8s';
import type { ResourceRef, RuleContext } from '../../engine/types';
import { closedWorld } from '../../analysis/access/closed-world';
import { differences } from '../../analysis/access/compare';
import { accessMatrix } from '../../analysis/access/matrix';
import { TAG } from '../../../infra/contract';

const ACCT = '111122223333';
const ROLE = `arn:aws-us-gov:iam::${ACCT}:role/genesis-acme-data`;
const BUCKET = `arn:aws-us-gov:s3:::genesis-${ACCT}-genomics`;

/** A dataset bucket that only the acme data role may use, through the enclave's endpoint. */
const site = (extraDeny: unknown[] = []) => ({
  Bucket: {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: `genesis-${ACCT}-genomics`,
      Tags: tags({ [TAG.dataset]: 'genomics', [TAG.enclave]: 'e1' }),
    },
  },
  Endpoint: {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      ServiceName: 'com.amazonaws.us-gov-west-1.s3',
      VpcId: 'vpc-1',
      Tags: tags({ [TAG.enclave]: 'e1' }),
    },
  },
  Policy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: 'Bucket' },
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [BUCKET, `${BUCKET}/*`],
            Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': [{ Ref: 'Endpoint' }] } },
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [BUCKET, `${BUCKET}/*`],
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } },
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:PutObject*', 's3:DeleteObject*'],
            Resource: `${BUCKET}/*`,
          },
          ...extraDeny,
        ],
      },
    },
  },
});
const tenant = (statements: unknown[]) => ({
  Role: {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: 'genesis-acme-data',
      Tags: tags({ [TAG.tenant]: 'acme' }),
      AssumeRolePolicyDocument: { Statement: [] },
    },
  },
  Grants: {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: statements } },
  },
});
const read = (until: string) => ({
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: [BUCKET, `${BUCKET}/*`],
  Condition: { DateLessThan: { 'aws:CurrentTime': until } },
});
const intent = (grants: unknown[]) => ({
  datasets: [{ id: 'genomics', enclave: 'e1' }],
  enclaves: [{ id: 'e1', site: 's', reachableFrom: [] }],
  tenants: [{ id: 'acme', homeEnclave: 'e1', agreement: { expires: '2099-12-31' } }],
  grants,
});
const artifacts = (statements: unknown[], grants: unknown[], extraDeny: unknown[] = []) => ({
  aws: { 'Site-s': { Resources: site(extraDeny) }, 'Tenant-acme': { Resources: tenant(statements) } },
  k8s: {},
  intent: intent(grants),
});
const GRANT = { tenant: 'acme', dataset: 'genomics', access: 'read', expires: '2099-06-30' };

/** Where a difference is reported: the resource its key names, else the file. */
function refOfKey(ctx: RuleContext, at: { file: string; resource: string; line?: number }): ResourceRef {
  const m = /^aws:([^/]+)\/(.+)$/.exec(at.resource);
  const stack = m ? ctx.artifacts.aws?.stacks.find((s) => s.stackName === m[1]) : undefined;
  if (stack && m && stack.template.Resources?.[m[2]]) return { target: 'aws', stack, logicalId: m[2] };
  const doc = at.resource.startsWith('k8s:')
    ? k8sDocs(ctx).find(
        (d) =>
          `k8s:${d.site}/${d.cluster}/${d.object.kind}/${d.object.metadata.namespace ?? '-'}/${d.object.metadata.name}` ===
          at.resource,
      )
    : undefined;
  if (doc) return refOf(doc);
  return { target: 'file', file: at.file, key: at.resource, line: at.line };
}

export default defineRule({
  id: 'GEN-X-005',
  title: 'Effective access to data is exactly what platform.json grants',
  pack: 'cross-target',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'AC-2(3)', 'AC-4', 'CM-3'],
  rationale:
    'Rules that judge how policies look pass an edit that keeps the familiar shape but changes who can read data (a tag, a copied statement with a later end, a removed deny, an access entry, a volume). The access analysis evaluates IAM, KMS, S3 and VPC endpoint policies, EKS access entries, RBAC and volumes as AWS and Kubernetes would, and holds the result to the grants of platform.json: each effective cell no grant declares, each layer that alone would let in someone no grant names, and each declared grant that is not effective is an error naming the principal, the data, the action and the statements that allow it.',
  remediation:
    'Regenerate the artifacts from the spec (`genesis synth`) rather than editing them; to change access, change the grants in the spec. If a difference is intended, it belongs in the spec, not in an exception. Run `genesis access DIR` to see the whole matrix.',
  *check(ctx) {
    const now = Date.parse(`${ctx.now ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const m = accessMatrix(ctx, now);
    if (!m.intent) return;
    for (const d of differences(m))
      yield {
        resource: refOfKey(ctx, d.at),
        status: d.kind === 'undecided' ? 'unknown' : 'fail',
        message: d.message,
      };
    for (const o of closedWorld(ctx)) yield { resource: o.resource, status: 'unknown', message: o.message };
  },
  examples: [
    {
      name: 'a declared read grant, effective through the enclave endpoint until its end',
      artifacts: artifacts([read('2099-07-01T00:00:00Z')], [GRANT]),
      expect: { fires: false },
    },
    {
      name: 'read access that no grant declares',
      artifacts: artifacts([read('2099-07-01T00:00:00Z')], []),
      expect: {
        fires: true,
        message:
          /role\/genesis-acme-data \(tenant acme\) (can read dataset genomics through the e1 endpoint; no grant declares it; witness: aws\/Tenant-acme.template.json aws:Tenant-acme\/Grants|for (list|read))/,
      },
    },
    {
      name: 'a copied statement that runs past the grant',
      artifacts: artifacts([read('2099-08-01T00:00:00Z'), read('2099-07-01T00:00:00Z')], [GRANT]),
      expect: { fires: true, message: /from 2099-07-01T00:00:00Z, after the grant's last day 2099-06-30/ },
    },
    {
      name: 'the bucket policy no longer keeps out other principals',
      artifacts: {
        ...artifacts([read('2099-07-01T00:00:00Z')], [GRANT]),
        aws: {
          'Site-s': {
            Resources: {
              ...site(),
              Policy: {
                ...site().Policy,
                Properties: {
                  ...site().Policy.Properties,
                  PolicyDocument: { Statement: [site().Policy.Properties.PolicyDocument.Statement[0]] },
                },
              },
            },
          },
          'Tenant-acme': { Resources: tenant([read('2099-07-01T00:00:00Z')]) },
        },
      },
      expect: {
        fires: true,
        message: /(root|other-principals):111122223333|genesis-acme-data \(tenant acme\) for (write|delete)/,
      },
    },
  ],
});
