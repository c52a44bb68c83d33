/** Corpus cases: volumes outside the platform's claims, and priorities outside the platform's classes. */
import {
  admit,
  create,
  deny,
  GUARD,
  JOB_CONTROLLER,
  update,
  type CorpusCase,
  type CorpusFacts,
} from './corpus-kit';
import { apps, cronJob, job, pod, podSpec, QUEUE_LABEL, type Obj } from './objects';

export function volumes(f: CorpusFacts): CorpusCase[] {
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
          storageClassName: f.dataset.storageClass,
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
      `a pod mounts a generic ephemeral volume naming a dataset volume${f.dataset.storageClass ? ` through StorageClass ${f.dataset.storageClass}` : ''}`,
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

export function priorities(f: CorpusFacts): CorpusCase[] {
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
