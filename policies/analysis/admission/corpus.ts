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
  admit,
  create,
  deny,
  GUARD,
  JOB_CONTROLLER,
  TENANT_USER,
  update,
  type CorpusCase,
  type CorpusFacts,
} from './corpus-kit';
import { federationCases } from './corpus-federation';
import { kueueBypasses, queueBypasses } from './corpus-kueue';
import { priorities, volumes } from './corpus-volumes';
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
import { LABEL } from '../../../infra/contract';

export { GUARD, type CorpusCase, type CorpusFacts } from './corpus-kit';

/** Every case of the corpus for one cluster. */
export function corpus(f: CorpusFacts): CorpusCase[] {
  return [
    ...legitimate(f),
    ...legitimateOthers(f),
    ...gpuVisibility(f),
    ...queueBypasses(f),
    ...kueueBypasses(f),
    ...volumes(f),
    ...priorities(f),
    ...federationCases(f),
  ];
}

/** A pod spec using every volume source and setting a tenant may use. */
function fullSpec(f: CorpusFacts): Obj {
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
  return podSpec({
    volumes,
    priorityClassName: f.priorityClass,
    containers: [
      container({
        env: [{ name: 'NVIDIA_TF32_OVERRIDE', value: '0' }],
        envFrom: [{ prefix: 'APP_', configMapRef: { name: 'settings' } }],
      }),
    ],
  });
}

function legitimate(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const full = fullSpec(f);
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
      update(bare(gated), bare(podSpec({ nodeSelector: { [LABEL.pool]: 'a' } })), KUEUE_USER),
    ),
    admit(
      'Kueue unsuspends an admitted Job',
      update(queued, job({ ns, labels: q }, full, false), KUEUE_USER),
    ),
  ];
}

function legitimateOthers(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  return [
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
