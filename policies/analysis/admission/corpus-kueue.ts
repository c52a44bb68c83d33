/** Corpus cases: ways around Kueue (queue labels, controller owners, the admission gate, unsuspending). */
import { KUEUE_ADMISSION_GATE } from '../../../infra/contract/identities';
import { create, deny, GUARD, JOB_CONTROLLER, update, type CorpusCase, type CorpusFacts } from './corpus-kit';
import { apps, cronJob, job, pod, podSpec, QUEUE_LABEL } from './objects';

/** Work submitted around the namespace's LocalQueue. */
export function queueBypasses(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const queued = job({ ns, labels: q }, podSpec(), true);
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
  ];
}

/** Pods that claim an owner, gates removed, Jobs unsuspended: what only the controllers and Kueue may do. */
export function kueueBypasses(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const queued = job({ ns, labels: q }, podSpec(), true);
  const gated = podSpec({ schedulingGates: [{ name: KUEUE_ADMISSION_GATE }] });
  const ownedBy = (kind: string, apiVersion: string, labels?: Record<string, string>) =>
    pod({ ns, name: 'sneak', labels, owner: { kind, name: 'train', apiVersion } });
  return [
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
