/**
 * Admission guardrail: a ValidatingAdmissionPolicy (CEL, in the API server; no webhook to run)
 * that refuses pods in tenant namespaces whose containers set NVIDIA_VISIBLE_DEVICES or
 * NVIDIA_DRIVER_CAPABILITIES. Without it a container that requests no GPU could ask the runtime
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
import { LABEL } from '../common/names';
import type { ClusterContext } from './context';

export const GPU_ENV_POLICY = 'genesis-deny-gpu-visibility-env';
export const FORBIDDEN_GPU_ENV = ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES'] as const;

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** One CEL expression per container list (lists differ in type, so they are not concatenated). */
export function envRule(list: (typeof CONTAINER_LISTS)[number]): string {
  const names = `[${FORBIDDEN_GPU_ENV.map((n) => `'${n}'`).join(', ')}]`;
  const all = `object.spec.${list}.all(c, !has(c.env) || c.env.all(e, !(e.name in ${names})))`;
  return list === 'containers' ? all : `!has(object.spec.${list}) || ${all}`;
}

const tenantNamespaces = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };

export function admissionApiVersion(ctx: ClusterContext): string {
  const minor = Number(ctx.cluster.kubernetesVersion.split('.')[1]);
  return minor >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}

export function addAdmissionGuardrail(scope: Construct, ctx: ClusterContext): void {
  const apiVersion = admissionApiVersion(ctx);
  const policy: k8s.ValidatingAdmissionPolicySpecV1Beta1 = {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: tenantNamespaces,
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers'] }],
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
  new ApiObject(scope, 'gpu-env-policy', { apiVersion, kind: 'ValidatingAdmissionPolicy', metadata: { name: GPU_ENV_POLICY, labels: ctx.labels() }, spec: policy });
  new ApiObject(scope, 'gpu-env-binding', { apiVersion, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: GPU_ENV_POLICY, labels: ctx.labels() }, spec: binding });
}
