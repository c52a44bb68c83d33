import { defineRule, k8s } from '../../engine/rule-kit';
import { exJob, exNamespace, isRec, k8sDocs, labels, podSpecs, refOf, restrictedContainer, specOf, tenantNamespaceIndex, tenantOfDoc, TENANT_LABEL } from '../../engine/k8s';

export default defineRule({
  id: 'GEN-K8S-TEN-009',
  title: 'Tenant workloads and volumes mount no host path',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'SC-4', 'SC-39'],
  target: 'k8s',
  rationale: 'A hostPath volume exposes the node file system (container runtime socket, kubelet credentials, other tenants\' scratch data) to the pod; a hostPath PersistentVolume does the same through a claim.',
  remediation: 'Use persistentVolumeClaim, emptyDir or CSI volumes; never hostPath in tenant namespaces or on PersistentVolumes labelled for a tenant.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx)) {
      if (d.object.kind === 'PersistentVolume') {
        if (isRec(specOf(d.object).hostPath) && labels(d.object)[TENANT_LABEL] !== undefined)
          yield { resource: refOf(d), status: 'fail', message: `PersistentVolume of tenant ${labels(d.object)[TENANT_LABEL]} is a hostPath` };
        continue;
      }
      if (tenantOfDoc(index, d) === undefined) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).filter((v) => isRec(v) && v.hostPath !== undefined);
        if (volumes.length) yield { resource: refOf(d), status: 'fail', message: `${path}: hostPath volume ${volumes.map((v) => String((v as Record<string, unknown>).name)).join(', ')}` };
      }
    }
  },
  examples: {
    pass: [k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer()], volumes: [{ name: 'scratch', emptyDir: {} }] })])],
    fail: [
      k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer()], volumes: [{ name: 'host', hostPath: { path: '/var/run' } }] })]),
      k8s([{ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv', labels: { [TENANT_LABEL]: 'acme' } }, spec: { hostPath: { path: '/data' }, capacity: { storage: '1Gi' } } }]),
    ],
  },
});
