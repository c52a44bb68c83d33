import { exJob, exNamespace, k8s } from '../../examples/builders';
import {
  clusterOf,
  isRec,
  k8sDocs,
  labels,
  podSpecs,
  refOf,
  tenantNamespaceIndex,
  tenantOfDoc,
} from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject } from '../../engine/types';
import { LABEL } from '../../../infra/contract';

/** Volume sources a tenant pod may use besides the platform's claims (the admission policy genesis-tenant-volumes allows the same). */
const HARMLESS = ['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI'];

const claim = (name: string, managedBy?: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name,
    namespace: 'tenant-acme',
    ...(managedBy ? { labels: { [LABEL.managedBy]: managedBy } } : {}),
  },
  spec: { accessModes: ['ReadOnlyMany'], volumeName: 'pv', resources: { requests: { storage: '1Gi' } } },
});

export default defineRule({
  id: 'GEN-K8S-ADM-003',
  title: 'Tenant pods and pod templates mount only platform claims and harmless volume sources',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'SC-4'],
  rationale:
    "Pod Security `restricted` allows inline CSI and generic ephemeral volumes: a tenant pod can name a dataset's CSI driver and share directly and mount data it holds no grant for, bypassing the platform's pre-bound volumes. In tenant namespaces every pod spec (pods, Jobs, CronJobs, Deployments, StatefulSets, PodTemplates...) may mount only configMap, secret, emptyDir, projected and downwardAPI volumes and the claims the platform created in that namespace; the admission policy genesis-tenant-volumes enforces the same on the cluster (GEN-K8S-ADM-001).",
  remediation:
    "Mount data through the namespace's dataset claims (dataset-<id>); remove inline csi, ephemeral, nfs and other volume sources and claims the platform did not create.",
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const claims = new Set(
      k8sDocs(ctx, 'PersistentVolumeClaim')
        .filter((d) => labels(d.object)[LABEL.managedBy] === 'genesis')
        .map(
          (d) => `${clusterOf(d)}|${String(d.object.metadata.namespace)}|${String(d.object.metadata.name)}`,
        ),
    );
    for (const d of ctx.artifacts.k8s?.documents ?? []) {
      if (tenantOfDoc(index, d) === undefined) continue;
      const problems: string[] = [];
      for (const { spec, path } of podSpecs(d.object)) {
        for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
          if (!isRec(v)) continue;
          const sources = Object.keys(v).filter((k) => k !== 'name');
          if (sources.length === 1 && HARMLESS.includes(sources[0])) continue;
          const pvc = isRec(v.persistentVolumeClaim) ? v.persistentVolumeClaim.claimName : undefined;
          if (
            sources.length === 1 &&
            claims.has(`${clusterOf(d)}|${String(d.object.metadata.namespace)}|${String(pvc)}`)
          )
            continue;
          problems.push(
            `${path}.volumes ${String(v.name)}: ${sources.join('+') || 'no source'}${pvc !== undefined ? ` ${String(pvc)} (not a claim the platform created here)` : ''}`,
          );
        }
      }
      if (problems.length) yield { resource: refOf(d), status: 'fail', message: problems.join('; ') };
    }
  },
  examples: [
    {
      name: 'a Job mounting its dataset claim, a ConfigMap and an emptyDir',
      artifacts: k8s([
        exNamespace('acme'),
        claim('dataset-x', 'genesis'),
        exJob('tenant-acme', {
          containers: [{ name: 'm', image: 'x' }],
          volumes: [
            { name: 'd', persistentVolumeClaim: { claimName: 'dataset-x' } },
            { name: 'c', configMap: { name: 'c' } },
            { name: 't', emptyDir: {} },
          ],
        }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'an inline CSI volume naming the S3 driver',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [{ name: 'm', image: 'x' }],
          volumes: [
            {
              name: 'd',
              csi: { driver: 's3.csi.aws.com', volumeAttributes: { bucketName: 'genesis-dataset' } },
            },
          ],
        }),
      ]),
      expect: { fires: true, message: /volumes d: csi/ },
    },
    {
      name: 'a claim the tenant made itself',
      artifacts: k8s([
        exNamespace('acme'),
        claim('mine'),
        exJob('tenant-acme', {
          containers: [{ name: 'm', image: 'x' }],
          volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'mine' } }],
        }),
      ]),
      expect: { fires: true, message: /mine \(not a claim the platform created here\)/ },
    },
  ],
});
