import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  clusterRef,
  clusters,
  isRec,
  k8sDocs,
  refOf,
  specOf,
  tenantNamespaces,
} from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { exNamespace, k8s } from '../../examples/builders';

/** What the ClusterPolicy must set, per component: variable -> value. */
const REQUIRED: Record<'toolkit' | 'devicePlugin', Record<string, string>> = {
  toolkit: {
    ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED: 'false',
    ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS: 'true',
  },
  devicePlugin: { DEVICE_LIST_STRATEGY: 'volume-mounts' },
};

function violations(o: K8sObject): string[] {
  const out: string[] = [];
  const spec = specOf(o);
  for (const [component, vars] of Object.entries(REQUIRED)) {
    const c = isRec(spec[component]) ? spec[component] : {};
    if (c.enabled === false) {
      out.push(
        `${component} is disabled (the node's own configuration, which the manifests do not show, would decide)`,
      );
      continue;
    }
    const env = Array.isArray(c.env) ? c.env.filter(isRec) : [];
    for (const [name, value] of Object.entries(vars)) {
      const set = env.filter((e) => e.name === name);
      if (set.length === 0) out.push(`${component}.env does not set ${name}=${value}`);
      else if (set.some((e) => e.valueFrom !== undefined || String(e.value).toLowerCase() !== value))
        out.push(
          `${component}.env sets ${name} to ${set.map((e) => (e.valueFrom !== undefined ? 'a valueFrom' : JSON.stringify(e.value))).join(', ')}, not ${value}`,
        );
    }
  }
  return out;
}

const clusterPolicy = (toolkitEnv: unknown[], pluginEnv: unknown[]): K8sObject => ({
  apiVersion: 'nvidia.com/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'cluster-policy' },
  spec: { toolkit: { enabled: true, env: toolkitEnv }, devicePlugin: { enabled: true, env: pluginEnv } },
});
const goodToolkit = [
  { name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED', value: 'false' },
  { name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS', value: 'true' },
];
const goodPlugin = [{ name: 'DEVICE_LIST_STRATEGY', value: 'volume-mounts' }];
const gpuQueue: K8sObject = {
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'tenant-acme' },
  spec: {
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8 }] }],
      },
    ],
  },
};

export default defineRule({
  id: 'GEN-K8S-TEN-017',
  title: 'The NVIDIA GPU Operator hands GPUs to containers only through the device plugin',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'SC-4', 'SC-6'],
  rationale:
    "With the NVIDIA container toolkit defaults, any unprivileged container that sets NVIDIA_VISIBLE_DEVICES=all (itself, or through its image, as CUDA base images do) gets every GPU of the node, whatever it requested: other tenants' GPUs and memory, outside every quota. The ClusterPolicy closes that path at the runtime: the toolkit ignores the variable from unprivileged containers (ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED=false) and accepts the device list only as volume mounts (ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS=true), which only the device plugin writes (DEVICE_LIST_STRATEGY=volume-mounts). Admission policies (GEN-K8S-TEN-012) refuse the variable as well, but not what an image sets.",
  remediation:
    'In the ClusterPolicy set toolkit.env ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED=false and ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS=true, devicePlugin.env DEVICE_LIST_STRATEGY=volume-mounts, and keep toolkit and devicePlugin enabled. A cluster with tenants and NVIDIA GPU quotas needs a ClusterPolicy.',
  *check(ctx) {
    const policies = k8sDocs(ctx, 'ClusterPolicy').filter((d) =>
      d.object.apiVersion.startsWith('nvidia.com/'),
    );
    for (const p of policies) {
      const v = violations(p.object);
      if (v.length) yield { resource: refOf(p), status: 'fail', message: v.join('; ') };
    }
    const tenants = new Set(tenantNamespaces(ctx).map((t) => clusterOf(t.doc)));
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      if (!tenants.has(key) || policies.some((p) => clusterOf(p) === key)) continue;
      const nvidia = k8sDocs(ctx, ['ClusterQueue', 'ResourceQuota']).some(
        (d) => clusterOf(d) === key && /nvidia\.com\//.test(JSON.stringify(specOf(d.object))),
      );
      if (nvidia)
        yield {
          resource: clusterRef(site, cluster),
          status: 'fail',
          message:
            'the cluster has tenants and NVIDIA GPU quotas but no GPU Operator ClusterPolicy setting the isolation of NVIDIA_VISIBLE_DEVICES',
        };
    }
  },
  examples: [
    {
      name: 'a ClusterPolicy that passes devices as volume mounts only',
      artifacts: k8s([exNamespace('acme'), gpuQueue, clusterPolicy(goodToolkit, goodPlugin)]),
      expect: { fires: false },
    },
    // a cluster without NVIDIA GPUs needs no ClusterPolicy
    {
      name: 'a cluster without GPU queues and no ClusterPolicy',
      artifacts: k8s([exNamespace('acme')]),
      expect: { fires: false },
    },
    {
      name: 'a toolkit that accepts NVIDIA_VISIBLE_DEVICES from unprivileged containers',
      artifacts: k8s([
        exNamespace('acme'),
        gpuQueue,
        clusterPolicy(
          [{ name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED', value: 'true' }],
          [],
        ),
      ]),
      expect: {
        fires: true,
        message: /toolkit\.env sets ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED to "true", not/,
      },
    },
    {
      name: 'a device plugin without the volume-mounts list strategy',
      artifacts: k8s([exNamespace('acme'), gpuQueue, clusterPolicy(goodToolkit, [])]),
      expect: { fires: true, message: /devicePlugin\.env does not set DEVICE_LIST_STRATEGY=volume-mounts/ },
    },
    {
      name: 'a toolkit that does not accept devices as volume mounts',
      artifacts: k8s([exNamespace('acme'), gpuQueue, clusterPolicy(goodToolkit.slice(0, 1), goodPlugin)]),
      expect: {
        fires: true,
        message: /toolkit\.env does not set ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS=true/,
      },
    },
    {
      name: 'a disabled toolkit',
      artifacts: k8s([
        exNamespace('acme'),
        gpuQueue,
        {
          ...clusterPolicy(goodToolkit, goodPlugin),
          spec: { toolkit: { enabled: false }, devicePlugin: { enabled: true, env: goodPlugin } },
        },
      ]),
      expect: {
        fires: true,
        message: /toolkit is disabled \(the node's own configuration, which the manifests do not show, would/,
      },
    },
    {
      name: 'tenants and GPU quotas without ClusterPolicy',
      artifacts: k8s([exNamespace('acme'), gpuQueue]),
      expect: {
        fires: true,
        message: /the cluster has tenants and NVIDIA GPU quotas but no GPU Operator ClusterPolicy setting/,
      },
    },
  ],
});
