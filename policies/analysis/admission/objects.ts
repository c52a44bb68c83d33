/** Builders of the objects the admission corpus submits: restricted pods and the workloads that carry them. */
import { WELL_KNOWN_LABEL } from '../../../infra/contract';
export type Obj = Record<string, unknown>;

export const QUEUE_LABEL = WELL_KNOWN_LABEL.queueName;

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const container = (extra: Obj = {}): Obj => ({
  name: 'main',
  image: 'registry.example/train:1.0',
  securityContext: restricted,
  ...extra,
});

/** A pod spec that Pod Security `restricted` admits, with the given containers and volumes. */
export function podSpec(extra: Obj = {}): Obj {
  return {
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    ...extra,
  };
}

export interface Meta {
  readonly ns: string;
  readonly name?: string;
  readonly labels?: Record<string, string>;
  readonly owner?: { kind: string; name: string; apiVersion: string };
}

function metadata(m: Meta, fallback: string): Obj {
  return {
    name: m.name ?? fallback,
    namespace: m.ns,
    ...(m.labels ? { labels: m.labels } : {}),
    ...(m.owner
      ? {
          ownerReferences: [
            {
              ...m.owner,
              uid: '00000000-0000-0000-0000-000000000001',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        }
      : {}),
  };
}

export const pod = (m: Meta, spec: Obj = podSpec()): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: metadata(m, 'p'),
  spec,
});

export const job = (m: Meta, spec: Obj = podSpec(), suspend?: boolean): Obj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: metadata(m, 'train'),
  spec: { ...(suspend === undefined ? {} : { suspend }), template: { spec } },
});

export const cronJob = (
  m: Meta,
  templateLabels: Record<string, string> | undefined,
  spec: Obj = podSpec(),
): Obj => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: metadata(m, 'nightly'),
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: {
      ...(templateLabels ? { metadata: { labels: templateLabels } } : {}),
      spec: { template: { spec } },
    },
  },
});

export function apps(
  kind: 'Deployment' | 'StatefulSet',
  m: Meta,
  spec: Obj = podSpec({ restartPolicy: 'Always' }),
): Obj {
  const selector = { matchLabels: { app: 'svc' } };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: metadata(m, kind === 'Deployment' ? 'serve' : 'db'),
    spec: {
      replicas: 1,
      selector,
      ...(kind === 'StatefulSet' ? { serviceName: 'db' } : {}),
      template: { metadata: { labels: { app: 'svc' } }, spec },
    },
  };
}

export const configMap = (ns: string, data: Record<string, string>, binary = false): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: ns },
  [binary ? 'binaryData' : 'data']: data,
});

export const secret = (ns: string, data: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: ns },
  type: 'Opaque',
  data,
});
