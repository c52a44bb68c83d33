import { cfn, defineRule, k8s, merge, tags } from '../../engine/rule-kit';
import { tagsOf } from '../../engine/cfn/template';
import { awsGrants, k8sGrants } from '../../engine/grants';
import { exNamespace, refOf, tenantNamespaces } from '../../engine/k8s';
import { managedPolicy, readGrant, tenantDataRoles, tenantRole } from '../../engine/tenants';
import type { K8sDocument, K8sObject } from '../../engine/types';

const bucket = (dataset: string) => ({ Type: 'AWS::S3::Bucket', Properties: { BucketName: `genesis-111122223333-${dataset}`, Tags: tags({ 'genesis:dataset': dataset }) } });
const pv = (tenant: string, dataset: string, access = 'read', expires = '2027-06-30'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: {
    name: `${tenant}-${dataset}`,
    labels: { 'genesis.platform/tenant': tenant, 'genesis.platform/dataset': dataset },
    annotations: { 'genesis.platform/access': access, 'genesis.platform/grant-expires': expires },
  },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadOnlyMany'], csi: { driver: 's3.csi.aws.com', volumeHandle: dataset } },
});
const site = (role: Record<string, unknown>) => ({ ...role, Properties: { ...(role.Properties as object), Tags: tags({ 'genesis:tenant': 'acme', 'genesis:site': 'gw' }) } });
const aws = (grants: unknown[]) =>
  merge(cfn({ Noaa: bucket('noaa'), Nasa: bucket('nasa') }, 'Site-gw'), cfn({ Role: site(tenantRole('acme')), Grants: managedPolicy('Role', grants) }, 'Tenant-acme'));

export default defineRule({
  id: 'GEN-X-002',
  title: 'A tenant has the same dataset grants on AWS and on Kubernetes',
  pack: 'cross-target',
  severity: 'error',
  controls: ['AC-3', 'AC-2(3)', 'CM-3'],
  target: 'both',
  rationale:
    "A grant exists twice: as IAM statements on the tenant's data role and as a dataset volume in the tenant's namespace. If they drift, a revoked grant survives on one side, a write grant becomes read on the other, or an expiry is later on one side.",
  remediation: 'Regenerate both targets from one spec; never edit a grant on one side only. The IAM statement end (aws:CurrentTime DateLessThan) must be the day after the volume\'s genesis.platform/grant-expires.',
  *check(ctx) {
    // the first tenant namespace of each tenant on each site, looked up per role
    const namespaces = new Map<string, { doc: K8sDocument }>();
    for (const n of tenantNamespaces(ctx)) if (!namespaces.has(JSON.stringify([n.tenant, n.doc.site]))) namespaces.set(JSON.stringify([n.tenant, n.doc.site]), n);
    for (const { role, tenant } of tenantDataRoles(ctx)) {
      const site = tagsOf(role.props).get('genesis:site');
      if (typeof site !== 'string') continue;
      const ns = namespaces.get(JSON.stringify([tenant, site]));
      if (!ns) continue;
      const a = awsGrants(ctx, role);
      for (const u of a.unknown) yield { resource: role.ref, status: 'unknown', message: `could not decide the AWS grants: ${u}` };
      for (const u of a.unbounded) yield { resource: role.ref, status: 'fail', message: `AWS reaches buckets beyond the tenant's datasets: ${u}` };
      const k = k8sGrants(ctx, site, tenant);
      for (const [dataset, g] of [...a.grants].sort()) {
        const other = k.get(dataset);
        if (!other) yield { resource: refOf(ns.doc), status: 'fail', message: `AWS grants tenant ${tenant} ${g.access} on ${dataset}; no dataset volume on site ${site}` };
        else if (other.access !== g.access) yield { resource: refOf(other.doc), status: 'fail', message: `${dataset}: ${g.access} on AWS, ${other.access} on Kubernetes` };
        else if (g.until && other.until && g.until !== other.until) yield { resource: refOf(other.doc), status: 'fail', message: `${dataset}: AWS access ends ${g.until}, the volume's grant ends ${other.until}` };
      }
      for (const [dataset, g] of [...k].sort()) if (!a.grants.has(dataset)) yield { resource: refOf(g.doc), status: 'fail', message: `volume gives tenant ${tenant} ${dataset}, which its AWS role is not granted` };
    }
  },
  examples: {
    pass: [merge(aws([readGrant('noaa')]), k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml'))],
    fail: [
      merge(aws([readGrant('noaa')]), k8s([exNamespace('acme'), pv('acme', 'noaa'), pv('acme', 'nasa')], 'gw/c/tenants.yaml')),
      merge(aws([readGrant('noaa'), readGrant('nasa')]), k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml')),
      merge(aws([readGrant('noaa')]), k8s([exNamespace('acme'), pv('acme', 'noaa', 'read', '2029-01-01')], 'gw/c/tenants.yaml')),
      merge(aws([readGrant('noaa')]), k8s([exNamespace('acme'), pv('acme', 'noaa', 'write')], 'gw/c/tenants.yaml')),
      merge(aws([readGrant('noaa'), { ...readGrant('noaa'), Resource: 'arn:aws-us-gov:s3:::genesis-111122223333-*/*' }]), k8s([exNamespace('acme'), pv('acme', 'noaa')], 'gw/c/tenants.yaml')),
    ],
  },
});
