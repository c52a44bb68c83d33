/** The vocabulary of the admission corpus: its facts, its cases and how they are written. */
import { POD_CONTROLLER_USERS } from '../../../infra/contract/identities';
import type { Obj } from './objects';
import { requestFor, type AdmissionRequest } from './request';

export interface CorpusFacts {
  /** A tenant namespace of the cluster. */
  readonly namespace: string;
  readonly localQueue: string;
  /** Claims the platform created in that namespace. */
  readonly claims: readonly string[];
  /** A PriorityClass of the platform. */
  readonly priorityClass: string;
  /**
   * The group a federation manager's requests carry: the one bound in the namespace on a worker,
   * an example group elsewhere (the policies must hold it to a tenant member's limits either way).
   */
  readonly managerGroup: string;
  /** The CSI source of a dataset volume of the cluster (what an inline volume would copy). */
  readonly dataset: {
    readonly driver: string;
    readonly volumeHandle: string;
    readonly volumeAttributes: Readonly<Record<string, string>>;
    /** A StorageClass of the cluster with the same driver, if any ('' otherwise). */
    readonly storageClass: string;
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
export const JOB_CONTROLLER = POD_CONTROLLER_USERS.Job;

export const admit = (name: string, request: AdmissionRequest): CorpusCase => ({
  name,
  expect: 'admit',
  request,
});
export const deny = (name: string, guard: string, request: AdmissionRequest): CorpusCase => ({
  name,
  expect: 'deny',
  guard,
  request,
});
export const create = (o: Obj, user = TENANT_USER): AdmissionRequest => requestFor('CREATE', user, o);
export const update = (old: Obj, o: Obj, user = TENANT_USER): AdmissionRequest =>
  requestFor('UPDATE', user, o, old);
