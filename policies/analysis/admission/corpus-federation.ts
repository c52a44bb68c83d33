/**
 * Corpus cases: what a federation manager's MultiKueue creates on a worker on a tenant's behalf (a
 * copy of the tenant's Job, pod or StatefulSet, with the namespace's queue label and Kueue's
 * prebuilt-workload and origin labels) is admitted; and the manager's group may do nothing there a
 * tenant member could not. The policies bind every tenant namespace whoever asks, so these cases
 * hold on every cluster; on a worker they name the group its RoleBindings bind.
 *
 * Pod Security `restricted` (the namespace's labels, with no user exempted) refuses privileged
 * pods to the manager as to any user; it is not a ValidatingAdmissionPolicy, so it is not run here.
 */
import { KUEUE_ADMISSION_GATE } from '../../../infra/contract/identities';
import { admit, create, deny, GUARD, update, type CorpusCase, type CorpusFacts } from './corpus-kit';
import { apps, container, job, pod, podSpec, QUEUE_LABEL, type Obj } from './objects';
import type { AdmissionRequest } from './request';

/** The user of a federation manager's credentials on a worker (a client certificate's common name). */
export const MANAGER_USER = 'multikueue@manager.example';

/** Labels MultiKueue adds to the copies it creates on a worker (Kueue 0.19). */
const MIRROR_LABELS = {
  'kueue.x-k8s.io/prebuilt-workload-name': 'job-train-3f2a1',
  'kueue.x-k8s.io/multikueue-origin': 'multikueue',
};

/** A request as the manager's credentials make it. */
function asManager(f: CorpusFacts, r: AdmissionRequest): AdmissionRequest {
  return { ...r, userInfo: { username: MANAGER_USER, groups: [f.managerGroup, 'system:authenticated'] } };
}

export function federationCases(f: CorpusFacts): CorpusCase[] {
  return [...mirrors(f), ...managerLimits(f)];
}

/** What MultiKueue creates on a worker for a tenant: admitted. */
function mirrors(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const labels = { [QUEUE_LABEL]: f.localQueue, ...MIRROR_LABELS };
  const gated = podSpec({ schedulingGates: [{ name: KUEUE_ADMISSION_GATE }] });
  return [
    admit(
      'MultiKueue mirrors a tenant Job onto the worker (manager group, queue and mirror labels, suspended)',
      asManager(f, create(job({ ns, labels }, podSpec(), true))),
    ),
    admit(
      'MultiKueue mirrors a tenant pod onto the worker, gated by Kueue',
      asManager(f, create(pod({ ns, labels }, gated))),
    ),
    admit(
      'MultiKueue mirrors a tenant StatefulSet onto the worker',
      asManager(f, create(apps('StatefulSet', { ns, labels }))),
    ),
  ];
}

/** What a tenant member may not do, the manager's group may not do either. */
function managerLimits(f: CorpusFacts): CorpusCase[] {
  const ns = f.namespace;
  const q = { [QUEUE_LABEL]: f.localQueue };
  const mirrored = { ...q, ...MIRROR_LABELS };
  const gated = podSpec({ schedulingGates: [{ name: KUEUE_ADMISSION_GATE }] });
  const suspended = job({ ns, labels: mirrored }, podSpec(), true);
  const withVolume = (v: Obj) => job({ ns, labels: mirrored }, podSpec({ volumes: [v] }), true);
  const gpuEnv = container({ env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }] });
  const owner = { kind: 'Job', name: 'train', apiVersion: 'batch/v1' };
  const claim = { name: 'data', persistentVolumeClaim: { claimName: 'dataset-not-on-this-site' } };
  return [
    deny(
      'the manager group creates a Job without the queue label',
      GUARD.queue,
      asManager(f, create(job({ ns, labels: MIRROR_LABELS }))),
    ),
    deny(
      'the manager group unsuspends a mirrored Job',
      GUARD.unsuspend,
      asManager(f, update(suspended, job({ ns, labels: mirrored }, podSpec(), false))),
    ),
    deny(
      'the manager group creates a pod naming a Job as controller owner',
      GUARD.owner,
      asManager(f, create(pod({ ns, labels: q, owner }))),
    ),
    deny(
      'the manager group removes the Kueue admission gate from a mirrored pod',
      GUARD.gate,
      asManager(f, update(pod({ ns, labels: mirrored }, gated), pod({ ns, labels: mirrored }))),
    ),
    deny(
      'the manager group mirrors a pod that sets NVIDIA_VISIBLE_DEVICES',
      GUARD.gpuEnv,
      asManager(f, create(pod({ ns, labels: mirrored }, podSpec({ containers: [gpuEnv] })))),
    ),
    deny(
      'the manager group mirrors a Job mounting the dataset share inline through CSI',
      GUARD.volumes,
      asManager(f, create(withVolume({ name: 'data', csi: { driver: f.dataset.driver, readOnly: true } }))),
    ),
    deny(
      'the manager group mirrors a Job mounting a claim the platform did not make here (data stays on its site)',
      GUARD.volumes,
      asManager(f, create(withVolume(claim))),
    ),
    deny(
      'the manager group mirrors a pod at a system priority class',
      GUARD.priority,
      asManager(
        f,
        create(pod({ ns, labels: mirrored }, podSpec({ priorityClassName: 'system-node-critical' }))),
      ),
    ),
  ];
}
