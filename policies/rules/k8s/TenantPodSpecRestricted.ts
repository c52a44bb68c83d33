import { defineRule, k8s } from '../../engine/rule-kit';
import { containersOf, exJob, exNamespace, isRec, k8sDocs, podSpecs, refOf, restrictedContainer, tenantNamespaceIndex, tenantOfDoc } from '../../engine/k8s';

/** Volume types the restricted profile allows (hostPath is judged by GEN-K8S-TEN-009). */
const ALLOWED_VOLUMES = new Set(['name', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'hostPath']);
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);

export function restrictedViolations(spec: Record<string, unknown>): string[] {
  const v: string[] = [];
  const pod = isRec(spec.securityContext) ? spec.securityContext : {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[f] === true) v.push(`${f} is true`);
  for (const vol of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isRec(vol)) continue;
    const bad = Object.keys(vol).filter((k) => !ALLOWED_VOLUMES.has(k));
    if (bad.length) v.push(`volume ${String(vol.name)} is of type ${bad.join(', ')}`);
  }
  const podSeccomp = isRec(pod.seccompProfile) ? pod.seccompProfile.type : undefined;
  if (podSeccomp !== undefined && !SECCOMP_OK.has(String(podSeccomp))) v.push(`pod seccompProfile is ${String(podSeccomp)}`);
  if (pod.runAsNonRoot === false) v.push('pod runAsNonRoot is false');
  if (pod.runAsUser === 0) v.push('pod runs as user 0');
  for (const { container: c, name } of containersOf(spec)) {
    const sc = isRec(c.securityContext) ? c.securityContext : {};
    if (sc.privileged === true) v.push(`${name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${name}: allowPrivilegeEscalation is not false`);
    const caps = isRec(sc.capabilities) ? sc.capabilities : {};
    const drop = Array.isArray(caps.drop) ? caps.drop : [];
    if (!drop.includes('ALL')) v.push(`${name}: capabilities do not drop ALL`);
    const add = (Array.isArray(caps.add) ? caps.add : []).filter((x) => x !== 'NET_BIND_SERVICE');
    if (add.length) v.push(`${name}: adds capabilities ${add.join(', ')}`);
    const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (runAsNonRoot !== true) v.push(`${name}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) v.push(`${name}: runs as user 0`);
    const seccomp = isRec(sc.seccompProfile) ? sc.seccompProfile.type : podSeccomp;
    if (!SECCOMP_OK.has(String(seccomp))) v.push(`${name}: seccompProfile is not RuntimeDefault or Localhost`);
    for (const p of Array.isArray(c.ports) ? c.ports : []) if (isRec(p) && p.hostPort !== undefined && p.hostPort !== 0) v.push(`${name}: hostPort ${String(p.hostPort)}`);
  }
  return v;
}

export default defineRule({
  id: 'GEN-K8S-TEN-002',
  title: 'Workloads in tenant namespaces meet Pod Security "restricted"',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'CM-7', 'SC-39'],
  target: 'k8s',
  rationale:
    'Admission enforces the profile only when objects reach the API server; manifests checked in must already meet it, or the rollout fails (or, with enforcement lifted, a tenant container runs with root, added capabilities or host namespaces). Every pod template is checked, whatever kind holds it.',
  remediation: 'Set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop [ALL], seccompProfile RuntimeDefault; no privileged, host namespaces or hostPorts.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx)) {
      if (tenantOfDoc(index, d) === undefined) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        const v = restrictedViolations(spec);
        if (v.length) yield { resource: refOf(d), status: 'fail', message: `${path}: ${v.join('; ')}` };
      }
    }
  },
  examples: {
    pass: [k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer()] })])],
    fail: [
      k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer({ securityContext: { privileged: true } })] })]),
      k8s([exNamespace('acme'), exJob('tenant-acme', { hostNetwork: true, containers: [restrictedContainer()] })]),
      k8s([
        exNamespace('acme'),
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'nightly', namespace: 'tenant-acme' },
          spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: { containers: [restrictedContainer({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })] } } } } },
        },
      ]),
    ],
  },
});
