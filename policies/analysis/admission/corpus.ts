/**
 * The admission corpus: requests a tenant, the cluster's controllers and Kueue make, each with the
 * outcome the platform promises. Attacks must be refused (GPU visibility variables wherever a pod
 * can carry them, queue bypasses, volumes outside the platform's claims, system priorities);
 * legitimate requests must be admitted. Built per cluster from facts read in its artifacts (a
 * tenant namespace, its LocalQueue and claims, a dataset volume's CSI source).
 *
 * `guard` names the platform policy an attack is meant to meet: where it is admitted, the finding
 * points at that policy (or at the cluster, if the policy is gone).
 */
import { KUEUE_ADMISSION_GATE, KUEUE_USER, POD_CONTROLLER_USERS } from '../../../infra/contract/identities';
import {
  apps,
  configMap,
  container,
  cronJob,
  job,
  pod,
  podSpec,
  QUEUE_LABEL,
  secret,
  type Obj,
} from './objects';
import { requestFor, type AdmissionRequest } from './request';

export interface CorpusFacts {
  /** A tenant namespace of the cluster. */
  readonly namespace: string;
  readonly localQueue: string;
  /** Claims the platform created in that namespace. */
  readonly claims: readonly string[];
  /** A PriorityClass of the platform. */
  readonly priorityClass: string;
  /** The CSI source of a dataset volume of the cluster (what an inline volume would copy). */
  readonly dataset: {
    readonly driver: string;
    readonly volumeHandle: string;
    readonly volumeAttributes: Readonly<Record<string, string>>;
  };
}

export interface CorpusCase {
  readonly name: string;
  readonly expect: 'admit' | 'deny';
  readonly guard?: string;
  readonly request: AdmissionRequest;
}

export const GUARD = {
  gpuEnv: 'genesis-deny-gpu-visibility-env',
  gpuEnvSources: 'genesis-deny-gpu-visibility-env-sources',
  queue: 'genesis-require-queue-name',
  cronQueue: 'genesis-require-queue-name-cronjobs',
  owner: 'genesis-pod-owner-from-controller',
  gate: 'genesis-kueue-admission-gate',
  unsuspend: 'genesis-kueue-unsuspend',
  volumes: 'genesis-tenant-volumes',
  priority: 'genesis-tenant-priority-classes',
} as const;

export const TENANT_USER = 'researcher@partner.example';
const JOB_CONTROLLER = POD_CONTROLLER_USERS.Job;

const admit = (name: string, request: AdmissionRequest): CorpusCase => ({ name, expect: 'admit', request });
const deny = (name: string, guard: string, request: AdmissionRequest): CorpusCase => ({
  name,
  expect: 'deny',
  guard,
  request,
});
const create = (o: Obj, user = TENANT_USER): AdmissionRequest => requestFor('CREATE', user, o);
const update = (old: Obj, o: Obj, user = TENANT_USER): AdmissionRequest => requestFor('UPDATE', user, o, old);

/** Every case of the corpus for one cluster. */
export function corpus(f: CorpusFacts): CorpusCase[] {
  return [...legitimate(f), ...gpuVisibility(f), ...queueBypasses(f), ...volumes(f), ...priorities(f)];
}

function legitimate(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const claimVolumes = f.claims.map((c, i) => ({
    name: `data-${i}`,
    persistentVolumeClaim: { claimName: c, readOnly: true },
  }));
  const volumes = [
    ...claimVolumes,
    { name: 'cfg', configMap: { name: 'settings' } },
    { name: 'creds', secret: { secretName: 'creds' } },
    { name: 'tmp', emptyDir: {} },
    {
      name: 'token',
      projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] },
    },
    {
      name: 'info',
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
    },
  ];
  const full = podSpec({
    volumes,
    priorityClassName: f.priorityClass,
    containers: [
      container({
        env: [{ name: 'NVIDIA_TF32_OVERRIDE', value: '0' }],
        envFrom: [{ prefix: 'APP_', configMapRef: { name: 'settings' } }],
      }),
    ],
  });
  const queued = job({ ns, labels: q }, full, true);
  const gated = podSpec({ schedulingGates: [{ name: KUEUE_ADMISSION_GATE }] });
  const bare = (spec: Obj) => pod({ ns, labels: q }, spec);
  const owned = (kind: string, apiVersion: string, spec: Obj = full) =>
    pod({ ns, name: `${kind.toLowerCase()}-x1`, owner: { kind, name: 'w', apiVersion } }, spec);
  return [
    admit(
      'a tenant Job on its LocalQueue with the platform claims, configMap, secret, emptyDir, projected and downwardAPI volumes',
      create(queued),
    ),
    admit('a tenant Deployment on its LocalQueue', create(apps('Deployment', { ns, labels: q }))),
    admit('a tenant StatefulSet on its LocalQueue', create(apps('StatefulSet', { ns, labels: q }))),
    admit('a tenant CronJob whose job template names the LocalQueue', create(cronJob({ ns }, q, full))),
    admit('a tenant pod on its LocalQueue, gated by Kueue', create(bare(gated))),
    admit('a tenant suspends its own Job', update(job({ ns, labels: q }, full, false), queued)),
    admit(
      'a tenant relabels its Job (still suspended, same queue)',
      update(queued, job({ ns, labels: { ...q, team: 'a' } }, full, true)),
    ),
    admit(
      'a tenant relabels its gated pod (the gate stays)',
      update(bare(gated), pod({ ns, labels: { ...q, team: 'a' } }, gated)),
    ),
    admit('the job controller creates a pod of a Job', create(owned('Job', 'batch/v1'), JOB_CONTROLLER)),
    admit(
      'the replicaset controller creates a pod of a ReplicaSet',
      create(owned('ReplicaSet', 'apps/v1'), POD_CONTROLLER_USERS.ReplicaSet),
    ),
    admit(
      'the statefulset controller creates a pod of a StatefulSet',
      create(owned('StatefulSet', 'apps/v1'), POD_CONTROLLER_USERS.StatefulSet),
    ),
    admit(
      'Kueue removes its scheduling gate from an admitted pod',
      update(bare(gated), bare(podSpec({ nodeSelector: { 'genesis.platform/pool': 'a' } })), KUEUE_USER),
    ),
    admit(
      'Kueue unsuspends an admitted Job',
      update(queued, job({ ns, labels: q }, full, false), KUEUE_USER),
    ),
    admit('a tenant ConfigMap and its ordinary keys', create(configMap(ns, { LEARNING_RATE: '0.01' }))),
    admit('a tenant Secret and its ordinary keys', create(secret(ns, { TOKEN: 'c2VjcmV0' }))),
    admit('a tenant adds a debug ephemeral container without GPU variables', ephemeral(ns, q, [])),
    admit(
      'the GPU Operator sets NVIDIA_VISIBLE_DEVICES in its own namespace',
      create(
        pod(
          { ns: 'gpu-operator', name: 'device-plugin' },
          podSpec({ containers: [container({ env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] })] }),
        ),
        'system:serviceaccount:kube-system:daemon-set-controller',
      ),
    ),
  ];
}

function ephemeral(ns: string, q: Record<string, string>, env: Obj[]): AdmissionRequest {
  const before = pod({ ns, labels: q });
  const after = pod(
    { ns, labels: q },
    podSpec({
      ephemeralContainers: [
        { name: 'debug', image: 'busybox', targetContainerName: 'main', ...(env.length ? { env } : {}) },
      ],
    }),
  );
  return requestFor('UPDATE', TENANT_USER, after, before, 'ephemeralcontainers');
}

function gpuVisibility(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const all = [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }];
  const withContainer = (c: Obj, extra: Obj = {}) =>
    pod({ ns, labels: q }, podSpec({ containers: [container(c)], ...extra }));
  const from = (prefix: string) =>
    withContainer({ envFrom: [{ prefix, configMapRef: { name: 'settings' } }] });
  return [
    deny('a pod sets NVIDIA_VISIBLE_DEVICES=all in env', GUARD.gpuEnv, create(withContainer({ env: all }))),
    deny(
      'a pod sets NVIDIA_DRIVER_CAPABILITIES in env',
      GUARD.gpuEnv,
      create(withContainer({ env: [{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'all' }] })),
    ),
    deny(
      'an init container sets NVIDIA_VISIBLE_DEVICES',
      GUARD.gpuEnv,
      create(withContainer({}, { initContainers: [container({ name: 'init', env: all })] })),
    ),
    deny('an ephemeral container sets NVIDIA_VISIBLE_DEVICES', GUARD.gpuEnv, ephemeral(ns, q, all)),
    deny(
      'envFrom with prefix NVIDIA_ completes NVIDIA_VISIBLE_DEVICES from a ConfigMap key',
      GUARD.gpuEnv,
      create(from('NVIDIA_')),
    ),
    deny(
      'envFrom with prefix NVIDIA_VISIBLE_DEVICES and an empty key',
      GUARD.gpuEnv,
      create(from('NVIDIA_VISIBLE_DEVICES')),
    ),
    deny(
      'the job controller creates a pod whose template sets NVIDIA_VISIBLE_DEVICES',
      GUARD.gpuEnv,
      create(
        pod(
          { ns, name: 'train-x1', owner: { kind: 'Job', name: 'train', apiVersion: 'batch/v1' } },
          podSpec({ containers: [container({ env: all })] }),
        ),
        JOB_CONTROLLER,
      ),
    ),
    deny(
      'a ConfigMap holds the key NVIDIA_VISIBLE_DEVICES (envFrom without prefix)',
      GUARD.gpuEnvSources,
      create(configMap(ns, { NVIDIA_VISIBLE_DEVICES: 'all' })),
    ),
    deny(
      'a ConfigMap holds the key NVIDIA_VISIBLE_DEVICES in binaryData',
      GUARD.gpuEnvSources,
      create(configMap(ns, { NVIDIA_VISIBLE_DEVICES: 'YWxs' }, true)),
    ),
    deny(
      'a Secret holds the key NVIDIA_DRIVER_CAPABILITIES',
      GUARD.gpuEnvSources,
      create(secret(ns, { NVIDIA_DRIVER_CAPABILITIES: 'YWxs' })),
    ),
    deny(
      'a Secret update adds the key NVIDIA_VISIBLE_DEVICES',
      GUARD.gpuEnvSources,
      update(secret(ns, { TOKEN: 'eA==' }), secret(ns, { TOKEN: 'eA==', NVIDIA_VISIBLE_DEVICES: 'YWxs' })),
    ),
  ];
}

function queueBypasses(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const queued = job({ ns, labels: q }, podSpec(), true);
  const gated = podSpec({ schedulingGates: [{ name: KUEUE_ADMISSION_GATE }] });
  const ownedBy = (kind: string, apiVersion: string, labels?: Record<string, string>) =>
    pod({ ns, name: 'sneak', labels, owner: { kind, name: 'train', apiVersion } });
  return [
    deny('a bare pod without the queue label', GUARD.queue, create(pod({ ns }))),
    deny('a Job without the queue label', GUARD.queue, create(job({ ns }))),
    deny(
      'a Job naming another LocalQueue',
      GUARD.queue,
      create(job({ ns, labels: { [QUEUE_LABEL]: `${f.localQueue}-other` } })),
    ),
    deny('a Deployment without the queue label', GUARD.queue, create(apps('Deployment', { ns }))),
    deny('a StatefulSet without the queue label', GUARD.queue, create(apps('StatefulSet', { ns }))),
    deny(
      'a CronJob whose job template has no queue label',
      GUARD.cronQueue,
      create(cronJob({ ns }, undefined)),
    ),
    deny(
      'a tenant removes the queue label from its Job',
      GUARD.queue,
      update(queued, job({ ns }, podSpec(), true)),
    ),
    deny(
      'a tenant pod names its own queued Job as controller owner (Kueue leaves it ungated)',
      GUARD.owner,
      create(ownedBy('Job', 'batch/v1')),
    ),
    deny(
      'a tenant pod with the queue label names its queued Job as controller owner',
      GUARD.owner,
      create(ownedBy('Job', 'batch/v1', q)),
    ),
    deny(
      'a tenant pod names a ReplicaSet as controller owner',
      GUARD.owner,
      create(ownedBy('ReplicaSet', 'apps/v1')),
    ),
    deny(
      'a tenant adds a controller owner to its running pod',
      GUARD.owner,
      update(pod({ ns, name: 'sneak', labels: q }), ownedBy('Job', 'batch/v1', q)),
    ),
    deny(
      'the job controller creates a pod claiming a StatefulSet owner',
      GUARD.owner,
      create(ownedBy('StatefulSet', 'apps/v1'), JOB_CONTROLLER),
    ),
    deny(
      'a tenant removes the Kueue admission gate from its pod',
      GUARD.gate,
      update(pod({ ns, labels: q }, gated), pod({ ns, labels: q })),
    ),
    deny(
      'a tenant replaces the Kueue admission gate with its own',
      GUARD.gate,
      update(
        pod({ ns, labels: q }, gated),
        pod({ ns, labels: q }, podSpec({ schedulingGates: [{ name: 'example.com/mine' }] })),
      ),
    ),
    deny(
      'the job controller removes the Kueue admission gate',
      GUARD.gate,
      update(pod({ ns, labels: q }, gated), pod({ ns, labels: q }), JOB_CONTROLLER),
    ),
    deny(
      'a tenant unsuspends its queued Job',
      GUARD.unsuspend,
      update(queued, job({ ns, labels: q }, podSpec(), false)),
    ),
    deny(
      'a tenant unsuspends its queued Job by dropping spec.suspend',
      GUARD.unsuspend,
      update(queued, job({ ns, labels: q })),
    ),
  ];
}

function volumes(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const csi = {
    name: 'data',
    csi: { driver: f.dataset.driver, readOnly: true, volumeAttributes: { ...f.dataset.volumeAttributes } },
  };
  const eph = {
    name: 'data',
    ephemeral: {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadOnlyMany'],
          storageClassName: '',
          volumeName: f.dataset.volumeHandle,
          resources: { requests: { storage: '1Gi' } },
        },
      },
    },
  };
  const spec = (v: Obj) => podSpec({ volumes: [v] });
  return [
    deny(
      `a pod mounts the dataset share inline through CSI driver ${f.dataset.driver}`,
      GUARD.volumes,
      create(pod({ ns, labels: q }, spec(csi))),
    ),
    deny(
      'a pod mounts a generic ephemeral volume naming a dataset volume',
      GUARD.volumes,
      create(pod({ ns, labels: q }, spec(eph))),
    ),
    deny(
      'a Job template mounts the dataset share inline through CSI',
      GUARD.volumes,
      create(job({ ns, labels: q }, spec(csi))),
    ),
    deny(
      'a CronJob template mounts a generic ephemeral volume',
      GUARD.volumes,
      create(cronJob({ ns }, q, spec(eph))),
    ),
    deny(
      'a Deployment template mounts the dataset share inline through CSI',
      GUARD.volumes,
      create(apps('Deployment', { ns, labels: q }, spec(csi))),
    ),
    deny(
      'a StatefulSet update adds an inline CSI volume',
      GUARD.volumes,
      update(apps('StatefulSet', { ns, labels: q }), apps('StatefulSet', { ns, labels: q }, spec(csi))),
    ),
    deny(
      'the job controller creates a pod with an inline CSI volume',
      GUARD.volumes,
      create(
        pod(
          { ns, name: 'train-x2', owner: { kind: 'Job', name: 'train', apiVersion: 'batch/v1' } },
          spec(csi),
        ),
        JOB_CONTROLLER,
      ),
    ),
    deny(
      'a pod mounts a claim the platform did not create',
      GUARD.volumes,
      create(
        pod({ ns, labels: q }, spec({ name: 'x', persistentVolumeClaim: { claimName: 'borrowed-data' } })),
      ),
    ),
    deny(
      'a pod mounts an NFS share',
      GUARD.volumes,
      create(pod({ ns, labels: q }, spec({ name: 'x', nfs: { server: 'nfs.internal', path: '/datasets' } }))),
    ),
  ];
}

function priorities(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const at = (priorityClassName: string) => podSpec({ priorityClassName });
  return [
    admit(
      `a tenant pod at the platform priority ${f.priorityClass}`,
      create(pod({ ns, labels: q }, at(f.priorityClass))),
    ),
    deny(
      'a tenant pod at system-node-critical',
      GUARD.priority,
      create(pod({ ns, labels: q }, at('system-node-critical'))),
    ),
    deny(
      'a tenant pod at system-cluster-critical',
      GUARD.priority,
      create(pod({ ns, labels: q }, at('system-cluster-critical'))),
    ),
    deny(
      'a tenant pod at a priority class the platform does not define',
      GUARD.priority,
      create(pod({ ns, labels: q }, at('urgent'))),
    ),
    deny(
      'the job controller creates a pod at system-node-critical',
      GUARD.priority,
      create(
        pod(
          { ns, name: 'train-x3', owner: { kind: 'Job', name: 'train', apiVersion: 'batch/v1' } },
          at('system-node-critical'),
        ),
        JOB_CONTROLLER,
      ),
    ),
  ];
}
