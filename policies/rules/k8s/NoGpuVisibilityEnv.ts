import { defineRule, k8s } from '../../engine/rule-kit';
import { containersOf, exJob, exNamespace, isRec, k8sDocs, podSpecs, refOf, restrictedContainer, tenantNamespaceIndex, tenantOfDoc } from '../../engine/k8s';

const FORBIDDEN = new Set(['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES', 'CUDA_VISIBLE_DEVICES_OVERRIDE']);

export default defineRule({
  id: 'GEN-K8S-TEN-013',
  title: 'Tenant workloads do not set NVIDIA_VISIBLE_DEVICES',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'SC-4'],
  target: 'k8s',
  rationale: 'Setting NVIDIA_VISIBLE_DEVICES (e.g. to "all") in a container that requests no GPU exposes every GPU of the node; the manifest is refused at admission, and must be caught before it is shipped.',
  remediation: 'Remove the variable and request GPUs through resources.limits (nvidia.com/gpu or the MIG resource).',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx)) {
      if (tenantOfDoc(index, d) === undefined) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        for (const { container, name } of containersOf(spec)) {
          const env = (Array.isArray(container.env) ? container.env : []).filter((e) => isRec(e) && FORBIDDEN.has(String(e.name)));
          if (env.length) yield { resource: refOf(d), status: 'fail', message: `${path} container ${name} sets ${env.map((e) => String((e as Record<string, unknown>).name)).join(', ')}` };
        }
      }
    }
  },
  examples: {
    pass: [k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer({ env: [{ name: 'OMP_NUM_THREADS', value: '8' }] })] })])],
    fail: [k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer({ env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] })] })])],
  },
});
