import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  containersOf,
  isRec,
  k8sDocs,
  podSpecs,
  refOf,
  tenantNamespaceIndex,
  tenantOfDoc,
} from '../../engine/k8s';
import type { K8sDocument, K8sObject } from '../../engine/types';
import { exJob, exNamespace, k8s, restrictedContainer } from '../../examples/builders';

const FORBIDDEN = new Set([
  'NVIDIA_VISIBLE_DEVICES',
  'NVIDIA_DRIVER_CAPABILITIES',
  'CUDA_VISIBLE_DEVICES_OVERRIDE',
]);

/** Keys of a ConfigMap or Secret (data, binaryData, stringData). */
const keysOf = (o: Record<string, unknown>): string[] =>
  ['data', 'binaryData', 'stringData'].flatMap((f) => (isRec(o[f]) ? Object.keys(o[f] as object) : []));

const cm = (data: Record<string, string>, name = 'settings'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'tenant-acme' },
  data,
});

export default defineRule({
  id: 'GEN-K8S-TEN-013',
  title: 'Tenant workloads do not set NVIDIA_VISIBLE_DEVICES',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'SC-4'],
  rationale:
    'Setting NVIDIA_VISIBLE_DEVICES (e.g. to "all") in a container that requests no GPU exposes every GPU of the node; the manifest is refused at admission, and must be caught before it is shipped. envFrom sets it just as well, from a ConfigMap or Secret key of that name or from a prefix that completes one; a ConfigMap or Secret of a tenant namespace holding such a key is refused at admission too. An envFrom source the manifests do not define cannot be judged.',
  remediation:
    'Remove the variable (from env, from the ConfigMaps and Secrets that envFrom reads, and any envFrom prefix such as NVIDIA_) and request GPUs through resources.limits (nvidia.com/gpu or the MIG resource).',
  *check(ctx) {
    const index = tenantNamespaceIndex(ctx);
    const sources = new Map<string, K8sDocument>();
    for (const d of k8sDocs(ctx, ['ConfigMap', 'Secret'])) {
      sources.set(
        `${clusterOf(d)}|${String(d.object.metadata.namespace)}|${d.object.kind}|${String(d.object.metadata.name)}`,
        d,
      );
      if (tenantOfDoc(index, d) === undefined) continue;
      const bad = keysOf(d.object).filter((k) => FORBIDDEN.has(k));
      if (bad.length)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `${d.object.kind} of a tenant namespace holds ${bad.join(', ')} (envFrom would set it)`,
        };
    }
    for (const d of k8sDocs(ctx)) {
      if (tenantOfDoc(index, d) === undefined) continue;
      for (const { spec, path } of podSpecs(d.object)) {
        for (const { container, name } of containersOf(spec)) {
          const found = (Array.isArray(container.env) ? container.env : [])
            .filter((e) => isRec(e) && FORBIDDEN.has(String(e.name)))
            .map((e) => String((e as Record<string, unknown>).name));
          const undecided: string[] = [];
          for (const f of Array.isArray(container.envFrom) ? container.envFrom : []) {
            if (!isRec(f)) continue;
            const prefix = typeof f.prefix === 'string' ? f.prefix : '';
            const [kind, ref] = isRec(f.configMapRef)
              ? ['ConfigMap', f.configMapRef]
              : isRec(f.secretRef)
                ? ['Secret', f.secretRef]
                : [undefined, undefined];
            if (kind === undefined || !isRec(ref)) continue;
            const source = sources.get(
              `${clusterOf(d)}|${String(d.object.metadata.namespace)}|${kind}|${String(ref.name)}`,
            );
            if (source)
              found.push(
                ...keysOf(source.object)
                  .filter((k) => FORBIDDEN.has(prefix + k))
                  .map((k) => `${prefix + k} (envFrom ${kind} ${String(ref.name)})`),
              );
            else if (prefix !== '' && [...FORBIDDEN].some((n) => n.startsWith(prefix)))
              found.push(
                `an envFrom prefix ${prefix} that completes ${[...FORBIDDEN].filter((n) => n.startsWith(prefix)).join(', ')}`,
              );
            else undecided.push(`${kind} ${String(ref.name)}`);
          }
          if (found.length)
            yield {
              resource: refOf(d),
              status: 'fail',
              message: `${path} container ${name} sets ${found.join(', ')}`,
            };
          else if (undecided.length)
            yield {
              resource: refOf(d),
              status: 'unknown',
              message: `${path} container ${name} reads envFrom ${undecided.join(', ')}, which the manifests do not define`,
            };
        }
      }
    }
  },
  examples: [
    {
      name: 'a job with an unrelated env variable',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [restrictedContainer({ env: [{ name: 'OMP_NUM_THREADS', value: '8' }] })],
        }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a job with envFrom of a ConfigMap without NVIDIA keys',
      artifacts: k8s([
        exNamespace('acme'),
        cm({ OMP_NUM_THREADS: '8' }),
        exJob('tenant-acme', {
          containers: [restrictedContainer({ envFrom: [{ configMapRef: { name: 'settings' } }] })],
        }),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a container that sets NVIDIA_VISIBLE_DEVICES in env',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [restrictedContainer({ env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] })],
        }),
      ]),
      expect: { fires: true, message: /spec\.template\.spec container main sets NVIDIA_VISIBLE_DEVICES/ },
    },
    // through envFrom: a ConfigMap key, a Secret key completed by a prefix, a prefix on an unknown source
    {
      name: 'a container that reads NVIDIA_VISIBLE_DEVICES from a ConfigMap',
      artifacts: k8s([
        exNamespace('acme'),
        cm({ NVIDIA_VISIBLE_DEVICES: 'all' }),
        exJob('tenant-acme', {
          containers: [restrictedContainer({ envFrom: [{ configMapRef: { name: 'settings' } }] })],
        }),
      ]),
      expect: {
        fires: true,
        message:
          /(ConfigMap of a tenant namespace holds NVIDIA_VISIBLE_DEVICES|container main sets NVIDIA_VISIBLE_DEVICES \(envFrom ConfigMap settings\))/,
      },
    },
    {
      name: 'a Secret key completed by an envFrom prefix',
      artifacts: k8s([
        exNamespace('acme'),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'default' },
          stringData: { VISIBLE_DEVICES: 'all' },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'tenant-acme' },
          stringData: { VISIBLE_DEVICES: 'all' },
        },
        exJob('tenant-acme', {
          containers: [restrictedContainer({ envFrom: [{ prefix: 'NVIDIA_', secretRef: { name: 's' } }] })],
        }),
      ]),
      expect: {
        fires: true,
        message: /spec\.template\.spec container main sets NVIDIA_VISIBLE_DEVICES \(envFrom Secret s\)/,
      },
    },
    {
      name: 'an envFrom prefix on a ConfigMap the manifests do not hold',
      artifacts: k8s([
        exNamespace('acme'),
        exJob('tenant-acme', {
          containers: [
            restrictedContainer({ envFrom: [{ prefix: 'NVIDIA_', configMapRef: { name: 'elsewhere' } }] }),
          ],
        }),
      ]),
      expect: {
        fires: true,
        message: /spec\.template\.spec container main sets an envFrom prefix NVIDIA_ that completes/,
      },
    },
    // the ConfigMap alone, before anything reads it
    {
      name: 'a ConfigMap of a tenant namespace that holds the key',
      artifacts: k8s([exNamespace('acme'), cm({ NVIDIA_VISIBLE_DEVICES: 'all' })]),
      expect: {
        fires: true,
        message: /ConfigMap of a tenant namespace holds NVIDIA_VISIBLE_DEVICES \(envFrom would set it\)/,
      },
    },
  ],
});
