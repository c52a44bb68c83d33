import { defineRule } from '../../engine/rule-kit';
import { tagsOf } from '../../engine/cfn/template';
import { awsGrants, k8sGrants } from '../../engine/grants';
import { refOf, tenantNamespaces } from '../../engine/k8s';
import { tenantDataRoles } from '../../engine/tenants';
import type { K8sDocument, K8sObject } from '../../engine/types';
import {
  cfn,
  exNamespace,
  k8s,
  managedPolicy,
  merge,
  readGrant,
  tags,
  tenantRole,
} from '../../examples/builders';
import { ANNOTATION, LABEL, TAG } from '../../../infra/contract';

const bucket = (dataset: string) => ({
  Type: 'AWS::S3::Bucket',
  Properties: { BucketName: `genesis-111122223333-${dataset}`, Tags: tags({ [TAG.dataset]: dataset }) },
});
const pv = (tenant: string, dataset: string, access = 'read', expires = '2027-06-30'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: {
    name: `${tenant}-${dataset}`,
    labels: { [LABEL.tenant]: tenant, [LABEL.dataset]: dataset },
    annotations: { [ANNOTATION.access]: access, [ANNOTATION.grantExpires]: expires },
  },
  spec: {
    capacity: { storage: '1Gi' },
    accessModes: ['ReadOnlyMany'],
    csi: { driver: 's3.csi.aws.com', volumeHandle: dataset },
  },
});
const site = (role: Record<string, unknown>) => ({
  ...role,
  Properties: { ...(role.Properties as object), Tags: tags({ [TAG.tenant]: 'acme', [TAG.site]: 'gw' }) },
});
const aws = (grants: unknown[]) =>
  merge(
    cfn({ Noaa: bucket('noaa'), Nasa: bucket('nasa') }, 'Site-gw'),
    cfn({ Role: site(tenantRole('acme')), Grants: managedPolicy('Role', grants) }, 'Tenant-acme'),
  );

export default defineRule({
  id: 'GEN-X-002',
  title: 'A tenant has the same dataset grants on AWS and on Kubernetes',
  pack: 'cross-target',
  severity: 'error',
  controls: ['AC-3', 'AC-2(3)', 'CM-3'],
  rationale:
    "A grant exists twice: as IAM statements on the tenant's data role and as a dataset volume in the tenant's namespace. If they drift, a revoked grant survives on one side, a write grant becomes read on the other, or an expiry is later on one side.",
  remediation:
    "Regenerate both targets from one spec; never edit a grant on one side only. The IAM statement end (aws:CurrentTime DateLessThan) must be the day after the volume's genesis.platform/grant-expires.",
  *check(ctx) {
    // the first tenant namespace of each tenant on each site, looked up per role
    const namespaces = new Map<string, { doc: K8sDocument }>();
    for (const n of tenantNamespaces(ctx))
      if (!namespaces.has(JSON.stringify([n.tenant, n.doc.site])))
        namespaces.set(JSON.stringify([n.tenant, n.doc.site]), n);
    for (const { role, tenant } of tenantDataRoles(ctx)) {
      const site = tagsOf(role.props).get(TAG.site);
      if (typeof site !== 'string') continue;
      const ns = namespaces.get(JSON.stringify([tenant, site]));
      if (!ns) continue;
      const a = awsGrants(ctx, role);
      for (const u of a.unknown)
        yield { resource: role.ref, status: 'unknown', message: `could not decide the AWS grants: ${u}` };
      for (const u of a.unbounded)
        yield {
          resource: role.ref,
          status: 'fail',
          message: `AWS reaches buckets beyond the tenant's datasets: ${u}`,
        };
      const k = k8sGrants(ctx, site, tenant);
      for (const [dataset, g] of [...a.grants].sort()) {
        const other = k.get(dataset);
        if (!other)
          yield {
            resource: refOf(ns.doc),
            status: 'fail',
            message: `AWS grants tenant ${tenant} ${g.access} on ${dataset}; no dataset volume on site ${site}`,
          };
        else if (other.access !== g.access)
          yield {
            resource: refOf(other.doc),
            status: 'fail',
            message: `${dataset}: ${g.access} on AWS, ${other.access} on Kubernetes`,
          };
        else if (g.until && other.until && g.until !== other.until)
          yield {
            resource: refOf(other.doc),
            status: 'fail',
            message: `${dataset}: AWS access ends ${g.until}, the volume's grant ends ${other.until}`,
          };
      }
      for (const [dataset, g] of [...k].sort())
        if (!a.grants.has(dataset))
          yield {
            resource: refOf(g.doc),
            status: 'fail',
            message: `volume gives tenant ${tenant} ${dataset}, which its AWS role is not granted`,
          };
    }
  },
  examples: [
    {
      name: 'the same read grant on AWS and on a volume',
      artifacts: merge(
        aws([readGrant('noaa')]),
        k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml'),
      ),
      expect: { fires: false },
    },
    {
      name: 'a volume of a dataset AWS does not grant',
      artifacts: merge(
        aws([readGrant('noaa')]),
        k8s([exNamespace('acme'), pv('acme', 'noaa'), pv('acme', 'nasa')], 'gw/c/tenants.yaml'),
      ),
      expect: { fires: true, message: /volume gives tenant acme nasa, which its AWS role is not granted/ },
    },
    {
      name: 'an AWS grant with no volume on the site',
      artifacts: merge(
        aws([readGrant('noaa'), readGrant('nasa')]),
        k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml'),
      ),
      expect: { fires: true, message: /AWS grants tenant acme read on nasa; no dataset volume on site gw/ },
    },
    {
      name: 'a volume grant that ends later than on AWS',
      artifacts: merge(
        aws([readGrant('noaa')]),
        k8s([exNamespace('acme'), pv('acme', 'noaa', 'read', '2029-01-01')], 'gw/c/tenants.yaml'),
      ),
      expect: {
        fires: true,
        message: /noaa: AWS access ends 2027-07-01T00:00:00Z, the volume's grant ends 2029-01-02T00:00:00Z/,
      },
    },
    {
      name: 'write on Kubernetes, read on AWS',
      artifacts: merge(
        aws([readGrant('noaa')]),
        k8s([exNamespace('acme'), pv('acme', 'noaa', 'write')], 'gw/c/tenants.yaml'),
      ),
      expect: { fires: true, message: /noaa: read on AWS, write on Kubernetes/ },
    },
    {
      name: 'an AWS grant on every bucket of the account',
      artifacts: merge(
        aws([
          readGrant('noaa'),
          { ...readGrant('noaa'), Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-*/*' },
        ]),
        k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml'),
      ),
      expect: {
        fires: true,
        message: /AWS reaches buckets beyond the tenant's datasets: policy Grants allows s3:GetObject on/,
      },
    },
  ],
});
