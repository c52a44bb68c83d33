import { defineRule } from '../../engine/rule-kit';
import {
  containersOf,
  isRec,
  k8sDocs,
  podSpecs,
  refOf,
  tenantNamespaceIndex,
  workloadJudged,
} from '../../engine/k8s';
import { exJob, exNamespace, k8s, plainNamespace, restrictedContainer } from '../../examples/builders';

/** Volume types the restricted profile allows (hostPath is judged by GEN-K8S-TEN-009). */
const ALLOWED_VOLUMES = new Set([
  'name',
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'hostPath',
]);
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);
/** Sysctls the baseline profile allows (namespaced and isolated); any other is unsafe. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
/** SELinux types the baseline profile allows ('' = unset). */
const SELINUX_TYPES_OK = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Baseline checks of a securityContext shared by pod and container: SELinux, Windows host process, AppArmor. */
function contextViolations(sc: Record<string, unknown>, who: string): string[] {
  const v: string[] = [];
  const se = isRec(sc.seLinuxOptions) ? sc.seLinuxOptions : {};
  if (!SELINUX_TYPES_OK.has(String(se.type ?? ''))) v.push(`${who}seLinuxOptions.type is ${String(se.type)}`);
  if (se.user !== undefined && se.user !== '') v.push(`${who}seLinuxOptions.user is set`);
  if (se.role !== undefined && se.role !== '') v.push(`${who}seLinuxOptions.role is set`);
  if (isRec(sc.windowsOptions) && sc.windowsOptions.hostProcess === true)
    v.push(`${who}windowsOptions.hostProcess is true`);
  if (
    isRec(sc.appArmorProfile) &&
    sc.appArmorProfile.type !== undefined &&
    sc.appArmorProfile.type !== 'RuntimeDefault' &&
    sc.appArmorProfile.type !== 'Localhost'
  )
    v.push(`${who}appArmorProfile is ${String(sc.appArmorProfile.type)}`);
  return v;
}

/** AppArmor annotations of the pod template holding `spec` (only Unconfined is refused). */
export function appArmorAnnotationViolations(meta: unknown): string[] {
  const ann = isRec(meta) && isRec(meta.annotations) ? meta.annotations : {};
  return Object.entries(ann)
    .filter(
      ([k, x]) =>
        k.startsWith(APPARMOR_ANNOTATION) && x !== 'runtime/default' && !String(x).startsWith('localhost/'),
    )
    .map(([k, x]) => `AppArmor ${k.slice(APPARMOR_ANNOTATION.length)} is ${String(x)}`);
}

export function restrictedViolations(spec: Record<string, unknown>, templateMetadata?: unknown): string[] {
  const v: string[] = [];
  const pod = isRec(spec.securityContext) ? spec.securityContext : {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (spec[f] === true) v.push(`${f} is true`);
  for (const vol of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isRec(vol)) continue;
    const bad = Object.keys(vol).filter((k) => !ALLOWED_VOLUMES.has(k));
    if (bad.length) v.push(`volume ${String(vol.name)} is of type ${bad.join(', ')}`);
  }
  v.push(...appArmorAnnotationViolations(templateMetadata));
  const podSeccomp = isRec(pod.seccompProfile) ? pod.seccompProfile.type : undefined;
  if (podSeccomp !== undefined && !SECCOMP_OK.has(String(podSeccomp)))
    v.push(`pod seccompProfile is ${String(podSeccomp)}`);
  if (pod.runAsNonRoot === false) v.push('pod runAsNonRoot is false');
  if (pod.runAsUser === 0) v.push('pod runs as user 0');
  v.push(...contextViolations(pod, 'pod '));
  for (const sysctl of Array.isArray(pod.sysctls) ? pod.sysctls : [])
    if (isRec(sysctl) && !SAFE_SYSCTLS.has(String(sysctl.name)))
      v.push(`pod sets unsafe sysctl ${String(sysctl.name)}`);
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
    if (!SECCOMP_OK.has(String(seccomp)))
      v.push(`${name}: seccompProfile is not RuntimeDefault or Localhost`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default')
      v.push(`${name}: procMount is ${String(sc.procMount)}`);
    v.push(...contextViolations(sc, `${name}: `));
    for (const p of Array.isArray(c.ports) ? c.ports : [])
      if (isRec(p) && p.hostPort !== undefined && p.hostPort !== 0)
        v.push(`${name}: hostPort ${String(p.hostPort)}`);
  }
  return v;
}

/** The metadata beside a pod spec found at `path` (spec -> the object's, a.b.spec -> a.b.metadata). */
function templateMetadata(o: Record<string, unknown>, path: string): unknown {
  if (path === 'spec') return o.metadata;
  if (!path.endsWith('.spec')) return undefined;
  let at: unknown = o;
  for (const part of path.slice(0, -'.spec'.length).split(/\.|(?=\[)/)) {
    const i = /^\[(\d+)\]$/.exec(part);
    at = i ? (Array.isArray(at) ? at[Number(i[1])] : undefined) : isRec(at) ? at[part] : undefined;
  }
  return isRec(at) ? at.metadata : undefined;
}

export default defineRule({
  id: 'GEN-K8S-TEN-002',
  title: 'Workloads outside the platform system namespaces meet Pod Security "restricted"',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-6', 'CM-7', 'SC-39'],
  rationale:
    'Admission enforces the profile only when objects reach the API server; manifests checked in must already meet it, or the rollout fails (or, with enforcement lifted, a tenant container runs with root, added capabilities or host namespaces). Every pod template is checked, whatever kind holds it, in every namespace except the platform system namespaces (kube-system, gpu-operator, kueue-system...): a privileged pod in `default` or in a namespace nobody labelled takes over a GPU node as well as one in a tenant namespace.',
  remediation:
    'Set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop [ALL], seccompProfile RuntimeDefault; no privileged, host namespaces or hostPorts, unsafe sysctls, procMount Unmasked, custom SELinux types, users or roles, Windows host processes or unconfined AppArmor. Platform agents that need host access belong in a platform system namespace.',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    for (const d of k8sDocs(ctx)) {
      if (!workloadJudged(index, d)) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        const v = restrictedViolations(spec, templateMetadata(d.object, path));
        if (v.length) yield { resource: refOf(d), status: 'fail', message: `${path}: ${v.join('; ')}` };
      }
    }
  },
  examples: [
    {
      name: 'a job with a restricted container',
      artifacts: k8s([exNamespace('acme'), exJob('tenant-acme', { containers: [restrictedContainer()] })]),
      expect: { fires: false },
    },
    {
      name: 'a pod with a safe sysctl',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          securityContext: { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }] },
          containers: [restrictedContainer()],
        }),
      ]),
      expect: { fires: false },
    },
    // node agents of the platform run in its system namespaces, outside this rule
    {
      name: 'a privileged node agent in a system namespace',
      artifacts: k8s([
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'agent', namespace: 'gpu-operator' },
          spec: {
            template: {
              spec: {
                hostPID: true,
                containers: [restrictedContainer({ securityContext: { privileged: true } })],
              },
            },
          },
        },
      ]),
      expect: { fires: false },
    },
    {
      name: 'a privileged container',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [restrictedContainer({ securityContext: { privileged: true } })],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: main: privileged/ },
    },
    {
      name: 'a pod on the host network',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', { hostNetwork: true, containers: [restrictedContainer()] }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: hostNetwork is true/ },
    },
    // unsafe sysctl, SELinux spc_t, procMount Unmasked, Windows host process, AppArmor unconfined
    {
      name: 'an unsafe sysctl',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          securityContext: { sysctls: [{ name: 'kernel.core_pattern', value: '|/x' }] },
          containers: [restrictedContainer()],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: pod sets unsafe sysctl kernel\.core_pattern/ },
    },
    {
      name: 'SELinux type spc_t',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          securityContext: { seLinuxOptions: { type: 'spc_t' } },
          containers: [restrictedContainer()],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: pod seLinuxOptions\.type is spc_t/ },
    },
    {
      name: 'procMount Unmasked',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [
            restrictedContainer({
              securityContext: {
                ...(restrictedContainer().securityContext as object),
                procMount: 'Unmasked',
              },
            }),
          ],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: main: procMount is Unmasked/ },
    },
    {
      name: 'a Windows host process',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [
            restrictedContainer({
              securityContext: {
                ...(restrictedContainer().securityContext as object),
                windowsOptions: { hostProcess: true },
              },
            }),
          ],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: main: windowsOptions\.hostProcess is true/ },
    },
    {
      name: 'an unconfined AppArmor profile',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [
            restrictedContainer({
              securityContext: {
                ...(restrictedContainer().securityContext as object),
                appArmorProfile: { type: 'Unconfined' },
              },
            }),
          ],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: main: appArmorProfile is Unconfined/ },
    },
    {
      name: 'an unconfined AppArmor annotation',
      artifacts: k8s([
        exNamespace('acme'),
        {
          ...exJob('tenant-acme', {}),
          spec: {
            template: {
              metadata: {
                annotations: { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' },
              },
              spec: { containers: [restrictedContainer()] },
            },
          },
        },
      ]),
      expect: { fires: true, message: /spec\.template\.spec: AppArmor main is unconfined/ },
    },
    // a PodTemplate keeps its pod spec at template.spec
    {
      name: 'a PodTemplate on the host network',
      artifacts: k8s([
        exNamespace('acme'),
        {
          apiVersion: 'v1',
          kind: 'PodTemplate',
          metadata: { name: 'pt', namespace: 'tenant-acme' },
          template: { spec: { hostNetwork: true, containers: [restrictedContainer()] } },
        },
      ]),
      expect: { fires: true, message: /template\.spec: hostNetwork is true/ },
    },
    // a privileged workload outside any tenant namespace (default, or a namespace nobody labelled)
    {
      name: 'a privileged pod in the default namespace',
      artifacts: k8s([
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'default' },
          spec: { containers: [restrictedContainer({ securityContext: { privileged: true } })] },
        },
      ]),
      expect: { fires: true, message: /spec: main: privileged/ },
    },
    {
      name: 'a job on the host network in a namespace that is neither tenant nor system',
      artifacts: k8s([
        plainNamespace('scratch'),
        exJob('scratch', { hostNetwork: true, containers: [restrictedContainer()] }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec: hostNetwork is true/ },
    },
    {
      name: 'a CronJob whose container adds SYS_ADMIN',
      artifacts: k8s([
        exNamespace('acme'),
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'nightly', namespace: 'tenant-acme' },
          spec: {
            schedule: '0 0 * * *',
            jobTemplate: {
              spec: {
                template: {
                  spec: {
                    containers: [
                      restrictedContainer({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }),
                    ],
                  },
                },
              },
            },
          },
        },
      ]),
      expect: {
        fires: true,
        message: /spec\.jobTemplate\.spec\.template\.spec: .*main: adds capabilities SYS_ADMIN/,
      },
    },
  ],
});
