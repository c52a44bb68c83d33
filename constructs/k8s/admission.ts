/**
 * Admission guardrail: a ValidatingAdmissionPolicy (CEL, in the API server; no webhook to run)
 * that refuses pods in tenant namespaces whose containers set NVIDIA_VISIBLE_DEVICES or
 * NVIDIA_DRIVER_CAPABILITIES, by env or through envFrom (a prefix that completes one, or a key of a
 * ConfigMap or Secret, refused by a second policy on those objects). Without it a container that requests no GPU could ask the runtime
 * for all of them. The ClusterPolicy also stops the runtime from honouring the variable
 * (defence in depth: this policy gives the tenant a clear error).
 *
 * GPU requests equal to limits needs no policy: the API server rejects extended resources whose
 * request differs from the limit, or that have a request without a limit.
 *
 * `admissionregistration.k8s.io/v1` is served from Kubernetes 1.30. On 1.28 and 1.29 the policy is
 * written as v1beta1, which those versions serve only with the ValidatingAdmissionPolicy feature
 * gate and the v1beta1 runtime-config enabled (the cdk8s-plus-28 L1 classes stop at v1beta1,
 * so the objects are built as ApiObjects with the v1beta1 props types, identical in v1).
 */
import { ApiObject } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { LABEL, WELL_KNOWN_LABEL } from '../../infra/contract';
import type { ClusterContext } from './context';

export const GPU_ENV_POLICY = 'genesis-deny-gpu-visibility-env';
export const FORBIDDEN_GPU_ENV = ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES'] as const;

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

const forbiddenList = (): string => `[${FORBIDDEN_GPU_ENV.map((n) => `'${n}'`).join(', ')}]`;

/**
 * One CEL expression per container list (lists differ in type, so they are not concatenated): no
 * env entry named like a forbidden variable, and no envFrom prefix that could complete one from a
 * ConfigMap or Secret key (a key without prefix is judged on the ConfigMap or Secret itself, see
 * sourceRule, as the pod's admission cannot see the referenced object).
 */
export function envRule(list: (typeof CONTAINER_LISTS)[number]): string {
  const names = forbiddenList();
  const env = `(!has(c.env) || c.env.all(e, !(e.name in ${names})))`;
  const envFrom = `(!has(c.envFrom) || c.envFrom.all(f, !has(f.prefix) || f.prefix == '' || !${names}.exists(n, n.startsWith(f.prefix))))`;
  const all = `object.spec.${list}.all(c, ${env} && ${envFrom})`;
  return list === 'containers' ? all : `!has(object.spec.${list}) || ${all}`;
}

/** ConfigMaps and Secrets of tenant namespaces carry no key named like a forbidden variable (envFrom would set it). */
export function sourceRule(field: 'data' | 'binaryData'): string {
  return `!has(object.${field}) || !object.${field}.exists(k, k in ${forbiddenList()})`;
}

export const GPU_ENV_SOURCES_POLICY = 'genesis-deny-gpu-visibility-env-sources';

const tenantNamespaces = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };

export function admissionApiVersion(ctx: ClusterContext): string {
  const minor = Number(ctx.cluster.kubernetesVersion.split('.')[1]);
  return minor >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}

export const QUEUE_LABEL = WELL_KNOWN_LABEL.queueName;
export const QUEUE_POLICY = 'genesis-require-queue-name';
export const CRONJOB_QUEUE_POLICY = 'genesis-require-queue-name-cronjobs';

/**
 * Work in a tenant namespace goes through its LocalQueue: Jobs, Deployments, StatefulSets and pods
 * that no controller owns must carry `kueue.x-k8s.io/queue-name: <LocalQueue>` (CronJobs on their
 * job template). Otherwise a pod that tolerates the GPU taint runs outside Kueue, up to the
 * ResourceQuota (nominal plus borrowing), and Kueue cannot reclaim what others lent.
 */
/**
 * The users the kube-controller-manager creates pods as: one service account per controller
 * (`--use-service-account-credentials`, the default of kubeadm and EKS), or its own identity.
 */
export const CONTROLLER_USERS: readonly string[] = [
  'system:kube-controller-manager',
  'system:serviceaccount:kube-system:job-controller',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:serviceaccount:kube-system:statefulset-controller',
];

const celList = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(', ')}]`;

export function queueRule(localQueue: string, labelsOf: string): string {
  return `has(${labelsOf}.labels) && '${QUEUE_LABEL}' in ${labelsOf}.labels && ${labelsOf}.labels['${QUEUE_LABEL}'] == '${localQueue}'`;
}

export function addPolicy(
  scope: Construct,
  ctx: ClusterContext,
  id: string,
  name: string,
  spec: k8s.ValidatingAdmissionPolicySpecV1Beta1,
): void {
  const apiVersion = admissionApiVersion(ctx);
  const binding: k8s.ValidatingAdmissionPolicyBindingSpecV1Beta1 = {
    policyName: name,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector: tenantNamespaces },
  };
  new ApiObject(scope, `${id}-policy`, {
    apiVersion,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels: ctx.labels() },
    spec,
  });
  new ApiObject(scope, `${id}-binding`, {
    apiVersion,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, labels: ctx.labels() },
    spec: binding,
  });
}

export function addQueueGuardrail(scope: Construct, ctx: ClusterContext, localQueue: string): void {
  const message = `must carry the label ${QUEUE_LABEL}: ${localQueue} (submit through the namespace's LocalQueue)`;
  addPolicy(scope, ctx, 'queue', QUEUE_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantNamespaces,
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs'] },
        {
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['deployments', 'statefulsets'],
        },
      ],
    },
    // Pods of Jobs, ReplicaSets and StatefulSets are queued through their owner, so pods that the
    // built-in controllers create are exempt. The exemption goes by who makes the request, not by
    // ownerReferences: a tenant can write any ownerReference into a pod of its own.
    matchConditions: [
      {
        name: 'not-controller-pod',
        expression: `request.kind.kind != 'Pod' || !(request.userInfo.username in ${celList(CONTROLLER_USERS)})`,
      },
    ],
    validations: [{ expression: queueRule(localQueue, 'object.metadata'), message, reason: 'Forbidden' }],
  });
  addPolicy(scope, ctx, 'queue-cronjobs', CRONJOB_QUEUE_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantNamespaces,
      resourceRules: [
        {
          apiGroups: ['batch'],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['cronjobs'],
        },
      ],
    },
    validations: [
      {
        expression: queueRule(localQueue, 'object.spec.jobTemplate.metadata'),
        message: `spec.jobTemplate ${message}`,
        reason: 'Forbidden',
      },
    ],
  });
}

export function addAdmissionGuardrail(scope: Construct, ctx: ClusterContext): void {
  const apiVersion = admissionApiVersion(ctx);
  const policy: k8s.ValidatingAdmissionPolicySpecV1Beta1 = {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantNamespaces,
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['pods', 'pods/ephemeralcontainers'],
        },
      ],
    },
    validations: CONTAINER_LISTS.map((list) => ({
      expression: envRule(list),
      message: `${list} may not set ${FORBIDDEN_GPU_ENV.join(' or ')}; request GPUs through resources.limits`,
      reason: 'Forbidden',
    })),
  };
  const binding: k8s.ValidatingAdmissionPolicyBindingSpecV1Beta1 = {
    policyName: GPU_ENV_POLICY,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector: tenantNamespaces },
  };
  new ApiObject(scope, 'gpu-env-policy', {
    apiVersion,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: GPU_ENV_POLICY, labels: ctx.labels() },
    spec: policy,
  });
  new ApiObject(scope, 'gpu-env-binding', {
    apiVersion,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: GPU_ENV_POLICY, labels: ctx.labels() },
    spec: binding,
  });
  // envFrom without prefix sets a variable per key of the ConfigMap or Secret: refuse the keys there.
  addPolicy(scope, ctx, 'gpu-env-sources', GPU_ENV_SOURCES_POLICY, {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantNamespaces,
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['configmaps', 'secrets'],
        },
      ],
    },
    validations: (['data', 'binaryData'] as const).map((field) => ({
      expression: sourceRule(field),
      message: `ConfigMaps and Secrets of tenant namespaces may not hold a key named ${FORBIDDEN_GPU_ENV.join(' or ')} (envFrom would set it); request GPUs through resources.limits`,
      reason: 'Forbidden',
    })),
  });
}
