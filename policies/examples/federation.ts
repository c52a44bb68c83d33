/**
 * Builders of federation fragments (Kueue MultiKueue, a manager and its workers) for the examples
 * of the federation rules. Example code only: no engine module imports this one.
 */
import {
  federatedQueueCheckName,
  LABEL,
  managerGroupName,
  managerRoleBindingName,
  MULTIKUEUE_CONTROLLER,
  MULTIKUEUE_WORKER_ROLE,
  multiKueueClusterName,
  workerKubeconfigSecret,
} from '../../infra/contract';
import type { ExampleArtifacts, K8sObject } from '../engine/types';
import { exClusterQueue, exLocalQueue, exNamespace } from './builders';

export interface ExFederationOptions {
  /** Worker cluster id -> its enclave classification, as its manifests label it and the intent declares it. */
  readonly workers: Readonly<Record<string, string>>;
  /** The datasets tenant `a` holds grants on, with their classification. */
  readonly grants?: Readonly<Record<string, string>>;
  /** Which workers the manager's MultiKueueConfig lists (default: every worker). */
  readonly lists?: readonly string[];
  /** Objects added to (or replacing by kind and name) those of the worker files. */
  readonly workerObjects?: (worker: string) => K8sObject[];
  /** The intent: partner sites (cluster id -> tenants it serves). */
  readonly partner?: Readonly<Record<string, readonly string[]>>;
}

const kueue = 'kueue.x-k8s.io/v1beta2';

/** The worker's side of federation `f` for tenant `a`: namespace, same-named queues, the manager's binding. */
export const exWorkerObjects = (classification: string): K8sObject[] => [
  exNamespace('a', { [LABEL.classification]: classification }),
  {
    ...exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }),
    metadata: { name: 'tenant-a', labels: { [LABEL.tenant]: 'a', [LABEL.classification]: classification } },
  },
  exLocalQueue('tenant-a'),
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: MULTIKUEUE_WORKER_ROLE },
    rules: [
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['get'] },
      {
        apiGroups: ['kueue.x-k8s.io'],
        resources: ['workloads'],
        verbs: ['create', 'delete', 'get', 'list', 'watch'],
      },
      { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads/status'], verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: managerRoleBindingName('f'), namespace: 'tenant-a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: MULTIKUEUE_WORKER_ROLE },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: managerGroupName('f') }],
  },
];

/** Federation `f`: manager `mgr` (site-a) dispatching tenant `a`'s queue to workers on site-w. */
export function exFederation(o: ExFederationOptions): ExampleArtifacts {
  const lists = o.lists ?? Object.keys(o.workers);
  const manager: K8sObject[] = [
    exNamespace('a', { [LABEL.classification]: 'cui' }),
    {
      ...exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }),
      spec: {
        ...(exClusterQueue('a', { h100: { 'nvidia.com/gpu': 8 } }).spec as object),
        admissionChecksStrategy: { admissionChecks: [{ name: federatedQueueCheckName('f', 'a') }] },
      },
    },
    exLocalQueue('tenant-a'),
    {
      apiVersion: kueue,
      kind: 'AdmissionCheck',
      metadata: { name: federatedQueueCheckName('f', 'a') },
      spec: {
        controllerName: MULTIKUEUE_CONTROLLER,
        parameters: {
          apiGroup: 'kueue.x-k8s.io',
          kind: 'MultiKueueConfig',
          name: federatedQueueCheckName('f', 'a'),
        },
      },
    },
    {
      apiVersion: kueue,
      kind: 'MultiKueueConfig',
      metadata: {
        name: federatedQueueCheckName('f', 'a'),
        labels: { [LABEL.federation]: 'f', [LABEL.tenant]: 'a' },
      },
      spec: { clusters: lists.map((w) => multiKueueClusterName('f', w)) },
    },
    ...Object.keys(o.workers).map((w) => ({
      apiVersion: kueue,
      kind: 'MultiKueueCluster',
      metadata: {
        name: multiKueueClusterName('f', w),
        labels: { [LABEL.federation]: 'f', [LABEL.worker]: w },
      },
      spec: {
        clusterSource: { kubeConfig: { locationType: 'Secret', location: workerKubeconfigSecret('f', w) } },
      },
    })),
  ];
  const k: Record<string, K8sObject[]> = { 'site-a/mgr/cluster.yaml': manager };
  for (const [w, c] of Object.entries(o.workers))
    k[`site-w/${w}/cluster.yaml`] = [...exWorkerObjects(c), ...(o.workerObjects?.(w) ?? [])];
  const grants = o.grants ?? { d1: 'cui' };
  return {
    k8s: k,
    intent: {
      sites: Object.entries(o.partner ?? {}).map(([w, serves]) => ({
        id: `site-${w}`,
        kind: 'partner',
        partner: 'p',
        serves,
      })),
      enclaves: [
        { id: 'e-mgr', classification: 'cui' },
        ...Object.entries(o.workers).map(([w, c]) => ({ id: `e-${w}`, classification: c })),
      ],
      clusters: [
        { id: 'mgr', site: 'site-a', enclave: 'e-mgr' },
        ...Object.keys(o.workers).map((w) => ({ id: w, site: `site-${w}`, enclave: `e-${w}` })),
      ],
      datasets: Object.entries(grants).map(([id, classification]) => ({ id, classification })),
      grants: Object.keys(grants).map((dataset) => ({
        tenant: 'a',
        dataset,
        access: 'read',
        expires: '2099-01-01',
      })),
      tenants: [{ id: 'a', federations: ['f'] }],
      federations: [{ id: 'f', manager: 'mgr', workers: Object.keys(o.workers) }],
    },
  };
}
