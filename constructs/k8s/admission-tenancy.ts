/**
 * Admission guardrails that keep tenant work inside Kueue, on the platform's volumes and on the
 * platform's priorities (ValidatingAdmissionPolicies bound with Deny to tenant namespaces):
 *
 *   genesis-pod-owner-from-controller  a pod that names a controller owner (Job, ReplicaSet,
 *       StatefulSet, DaemonSet) is created by that controller. Kueue leaves a pod owned by a queued
 *       Job to the Job and does not gate it, so a tenant pod naming its own suspended Job as owner
 *       would otherwise run at once, outside Kueue.
 *   genesis-kueue-admission-gate  only Kueue removes its `kueue.x-k8s.io/admission` scheduling gate
 *       (Kueue does not re-check a gate removed on pod UPDATE).
 *   genesis-kueue-unsuspend  only Kueue unsuspends a Job (Kueue suspends it again, but only after a
 *       window in which the Job runs unqueued).
 *   genesis-tenant-volumes  pods and pod templates mount only the claims the platform made for the
 *       namespace and configMap, secret, emptyDir, projected and downwardAPI volumes: Pod Security
 *       `restricted` allows inline CSI and generic ephemeral volumes, which could name a dataset's
 *       driver and share directly.
 *   genesis-tenant-priority-classes  pods name only the platform's PriorityClasses (the quota
 *       genesis-priority-classes says the same by counting; this says it with a clear error).
 */
import type { Construct } from 'constructs';
import {
  KUBE_CONTROLLER_MANAGER_USER,
  KUEUE_ADMISSION_GATE,
  KUEUE_USER,
  POD_CONTROLLER_USERS,
} from '../../infra/contract/identities';
import { tenantNamespace } from '../../infra/contract/names';
import { addPolicy } from './admission';
import { datasetGrants, type ClusterContext } from './context';
import { PRIORITY_LEVELS } from './priority';
import { datasetVolumeSource, type K8sOptions } from './storage';
import { datasetClaimName } from './tenant-volumes';
import { LABEL } from '../../infra/contract';

export const OWNER_POLICY = 'genesis-pod-owner-from-controller';
export const GATE_POLICY = 'genesis-kueue-admission-gate';
export const UNSUSPEND_POLICY = 'genesis-kueue-unsuspend';
export const VOLUME_POLICY = 'genesis-tenant-volumes';
export const PRIORITY_POLICY = 'genesis-tenant-priority-classes';

/** Volume sources a tenant pod may use besides its platform claims. */
export const HARMLESS_VOLUME_SOURCES = [
  'configMap',
  'secret',
  'emptyDir',
  'projected',
  'downwardAPI',
] as const;

const str = (s: string): string => `'${s}'`;
const celList = (items: readonly string[]): string => `[${items.map(str).join(', ')}]`;
const celMap = (m: ReadonlyArray<readonly [string, string]>): string =>
  `{${m.map(([k, v]) => `${str(k)}: ${v}`).join(', ')}}`;
const tenantOnly = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };
const rule = (apiGroup: string, operations: string[], resources: string[]) => ({
  apiGroups: [apiGroup],
  apiVersions: ['v1'],
  operations,
  resources,
});
const hasGate = (o: string): string =>
  `has(${o}.spec.schedulingGates) && ${o}.spec.schedulingGates.exists(g, g.name == ${str(KUEUE_ADMISSION_GATE)})`;
/** Controller owner references of `object`, or of `oldObject` on UPDATE (on CREATE it is null). */
const controllerRefs = (o: 'object' | 'oldObject'): string =>
  `${o === 'oldObject' ? "request.operation == 'UPDATE' && " : ''}has(${o}.metadata.ownerReferences) ? ${o}.metadata.ownerReferences.filter(r, has(r.controller) && r.controller) : []`;

function addOwnerPolicy(scope: Construct, ctx: ClusterContext): void {
  const byKind = Object.entries(POD_CONTROLLER_USERS).map(
    ([kind, user]) => [kind, celList([KUBE_CONTROLLER_MANAGER_USER, user])] as const,
  );
  addPolicy(scope, ctx, 'pod-owner', OWNER_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantOnly,
      resourceRules: [rule('', ['CREATE', 'UPDATE'], ['pods'])],
    },
    variables: [
      { name: 'owners', expression: controllerRefs('object') },
      { name: 'oldOwners', expression: controllerRefs('oldObject') },
      { name: 'controllers', expression: celMap(byKind) },
    ],
    validations: [
      {
        expression:
          "(request.operation == 'UPDATE' && variables.owners == variables.oldOwners) || variables.owners.all(r, r.kind in variables.controllers && request.userInfo.username in variables.controllers[r.kind])",
        message:
          'a pod that names a controller owner must be created by that controller (submit the Job, Deployment or StatefulSet, not its pods)',
        reason: 'Forbidden',
      },
    ],
  });
}

function addKueuePolicies(scope: Construct, ctx: ClusterContext): void {
  addPolicy(scope, ctx, 'kueue-gate', GATE_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: { namespaceSelector: tenantOnly, resourceRules: [rule('', ['UPDATE'], ['pods'])] },
    validations: [
      {
        expression: `!(${hasGate('oldObject')}) || (${hasGate('object')}) || request.userInfo.username == ${str(KUEUE_USER)}`,
        message: `only Kueue removes the ${KUEUE_ADMISSION_GATE} scheduling gate`,
        reason: 'Forbidden',
      },
    ],
  });
  addPolicy(scope, ctx, 'kueue-unsuspend', UNSUSPEND_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: { namespaceSelector: tenantOnly, resourceRules: [rule('batch', ['UPDATE'], ['jobs'])] },
    validations: [
      {
        expression: `!(has(oldObject.spec.suspend) && oldObject.spec.suspend) || (has(object.spec.suspend) && object.spec.suspend) || request.userInfo.username == ${str(KUEUE_USER)}`,
        message: 'only Kueue unsuspends a queued Job (it does so when the workload is admitted)',
        reason: 'Forbidden',
      },
    ],
  });
}

/** Claim names the platform creates in each tenant namespace of the cluster. */
export function platformClaims(
  ctx: ClusterContext,
  options: K8sOptions,
): Array<readonly [string, readonly string[]]> {
  return ctx.tenants.map((t) => {
    const claims = datasetGrants(ctx, t.id)
      .filter(
        ({ grant, dataset, tier }) => datasetVolumeSource(ctx, tier, dataset, grant, options) !== undefined,
      )
      .map(({ dataset }) => datasetClaimName(dataset.id))
      .sort();
    return [tenantNamespace(t.id), claims] as const;
  });
}

function addVolumePolicy(scope: Construct, ctx: ClusterContext, options: K8sOptions): void {
  const claims = celMap(platformClaims(ctx, options).map(([ns, c]) => [ns, celList(c)] as const));
  const harmless = HARMLESS_VOLUME_SOURCES.map((s) => `has(v.${s})`).join(' || ');
  addPolicy(scope, ctx, 'tenant-volumes', VOLUME_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantOnly,
      resourceRules: [
        rule('', ['CREATE'], ['pods']),
        rule('batch', ['CREATE', 'UPDATE'], ['jobs', 'cronjobs']),
        rule('apps', ['CREATE', 'UPDATE'], ['deployments', 'statefulsets', 'replicasets']),
      ],
    },
    variables: [
      {
        name: 'podSpec',
        expression:
          "request.kind.kind == 'Pod' ? object.spec : request.kind.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
      },
      { name: 'claims', expression: `request.namespace in ${claims} ? ${claims}[request.namespace] : []` },
    ],
    validations: [
      {
        expression: `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, ${harmless} || (has(v.persistentVolumeClaim) && v.persistentVolumeClaim.claimName in variables.claims))`,
        message: `volumes may be ${HARMLESS_VOLUME_SOURCES.join(', ')} or a claim the platform created in this namespace (no inline csi, ephemeral or other sources)`,
        reason: 'Forbidden',
      },
    ],
  });
}

function addPriorityPolicy(scope: Construct, ctx: ClusterContext): void {
  const names = PRIORITY_LEVELS.map((l) => l.name);
  addPolicy(scope, ctx, 'tenant-priority', PRIORITY_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: { namespaceSelector: tenantOnly, resourceRules: [rule('', ['CREATE'], ['pods'])] },
    validations: [
      {
        expression: `!has(object.spec.priorityClassName) || object.spec.priorityClassName in ${celList(names)}`,
        message: `pods may name only the platform's priority classes (${names.join(', ')})`,
        reason: 'Forbidden',
      },
    ],
  });
}

export function addTenancyGuardrails(scope: Construct, ctx: ClusterContext, options: K8sOptions = {}): void {
  addOwnerPolicy(scope, ctx);
  addKueuePolicies(scope, ctx);
  addVolumePolicy(scope, ctx, options);
  addPriorityPolicy(scope, ctx);
}
