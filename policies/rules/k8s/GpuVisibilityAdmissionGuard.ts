import { defineRule } from '../../engine/rule-kit';
import {
  clusterOf,
  clusterRef,
  clusters,
  isRec,
  k8sDocs,
  namespaceLabels,
  selectorMatches,
  specOf,
  tenantNamespaces,
} from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { exNamespace, k8s } from '../../examples/builders';
import { LABEL } from '../../../infra/contract';

/**
 * A policy that forbids the variable on creation of `resources` and fails closed; on pods it must
 * judge envFrom as well (a prefix can complete the name).
 */
function guards(o: K8sObject, resources: readonly string[], mentions: readonly string[]): boolean {
  const s = specOf(o);
  const text = JSON.stringify(s.validations ?? []);
  if ((s.failurePolicy ?? 'Fail') !== 'Fail' || !mentions.every((m) => text.includes(m))) return false;
  const rules =
    isRec(s.matchConstraints) && Array.isArray(s.matchConstraints.resourceRules)
      ? s.matchConstraints.resourceRules
      : [];
  return resources.every((res) =>
    rules.some(
      (r) =>
        isRec(r) &&
        Array.isArray(r.resources) &&
        (r.resources.includes(res) || r.resources.includes('*')) &&
        Array.isArray(r.operations) &&
        (r.operations.includes('CREATE') || r.operations.includes('*')),
    ),
  );
}
const GUARDS = [
  {
    what: 'pods (env and envFrom)',
    ok: (o: K8sObject) => guards(o, ['pods'], ['NVIDIA_VISIBLE_DEVICES', 'envFrom']),
  },
  {
    what: 'ConfigMaps and Secrets (keys read by envFrom)',
    ok: (o: K8sObject) => guards(o, ['configmaps', 'secrets'], ['NVIDIA_VISIBLE_DEVICES']),
  },
];

const policy: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'deny-gpu-env' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
      ],
    },
    validations: [
      {
        expression:
          "object.spec.containers.all(c, (!has(c.env) || c.env.all(e, e.name != 'NVIDIA_VISIBLE_DEVICES')) && (!has(c.envFrom) || c.envFrom.all(f, !has(f.prefix) || !'NVIDIA_VISIBLE_DEVICES'.startsWith(f.prefix))))",
      },
    ],
  },
};
const sourcesPolicy: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'deny-gpu-env-sources' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['configmaps', 'secrets'],
        },
      ],
    },
    validations: [
      { expression: "!has(object.data) || !object.data.exists(k, k == 'NVIDIA_VISIBLE_DEVICES')" },
    ],
  },
};
const sourcesBinding: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: 'deny-gpu-env-sources' },
  spec: { policyName: 'deny-gpu-env-sources', validationActions: ['Deny'] },
};
const podOnly = (o: K8sObject): K8sObject => ({
  ...o,
  spec: {
    ...(o.spec as object),
    validations: [
      {
        expression:
          "object.spec.containers.all(c, !has(c.env) || c.env.all(e, e.name != 'NVIDIA_VISIBLE_DEVICES'))",
      },
    ],
  },
});
const binding = (actions: string[]): K8sObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: 'deny-gpu-env' },
  spec: { policyName: 'deny-gpu-env', validationActions: actions },
});

export default defineRule({
  id: 'GEN-K8S-TEN-012',
  title: 'Each cluster with tenants denies NVIDIA_VISIBLE_DEVICES at admission',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'SC-4', 'SC-6'],
  rationale:
    "The NVIDIA device plugin exposes every GPU of a node to a container that requests none and sets NVIDIA_VISIBLE_DEVICES=all, bypassing quotas and reading other tenants' GPU memory. A ValidatingAdmissionPolicy (failurePolicy Fail) and a Binding with the Deny action close that path; as envFrom sets variables from the keys of a ConfigMap or Secret that pod admission cannot see, the pod policy judges envFrom prefixes and a second policy refuses such keys in ConfigMaps and Secrets.",
  remediation:
    'Add ValidatingAdmissionPolicies (failurePolicy Fail) forbidding NVIDIA_VISIBLE_DEVICES in pod env and envFrom prefixes, and as a key of ConfigMaps and Secrets, each with a ValidatingAdmissionPolicyBinding with validationActions [Deny] that covers tenant namespaces.',
  *check(ctx) {
    const tenants = tenantNamespaces(ctx);
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      const namespaces = tenants.filter((t) => clusterOf(t.doc) === key).map((t) => t.doc.object);
      if (namespaces.length === 0) continue;
      const bindings = k8sDocs(ctx, 'ValidatingAdmissionPolicyBinding').filter((b) => clusterOf(b) === key);
      const policies = k8sDocs(ctx, 'ValidatingAdmissionPolicy').filter((p) => clusterOf(p) === key);
      const problems: string[] = [];
      for (const g of GUARDS) {
        const guardsHere = policies.filter((p) => g.ok(p.object));
        // A tenant namespace is covered when some guard policy and a Deny binding of it both select it.
        const uncovered = namespaces.filter(
          (ns) =>
            !guardsHere.some((p) => {
              const constraints = isRec(specOf(p.object).matchConstraints)
                ? (specOf(p.object).matchConstraints as Record<string, unknown>)
                : {};
              if (!selectorMatches(constraints.namespaceSelector, namespaceLabels(ns))) return false;
              return bindings.some((b) => {
                const s = specOf(b.object);
                const match = isRec(s.matchResources) ? s.matchResources : {};
                return (
                  s.policyName === p.object.metadata.name &&
                  Array.isArray(s.validationActions) &&
                  s.validationActions.includes('Deny') &&
                  selectorMatches(match.namespaceSelector, namespaceLabels(ns))
                );
              });
            }),
        );
        if (uncovered.length === 0) continue;
        problems.push(
          guardsHere.length === 0
            ? `no ValidatingAdmissionPolicy (failurePolicy Fail, on CREATE) forbids NVIDIA_VISIBLE_DEVICES in ${g.what}`
            : `no Deny-bound NVIDIA_VISIBLE_DEVICES policy on ${g.what} selects ${uncovered.map((n) => String(n.metadata.name)).join(', ')}`,
        );
      }
      if (problems.length)
        yield { resource: clusterRef(site, cluster), status: 'fail', message: problems.join('; ') };
    }
  },
  examples: [
    {
      name: 'a Deny-bound policy on pods and one on ConfigMaps and Secrets',
      artifacts: k8s([exNamespace('acme'), policy, binding(['Deny']), sourcesPolicy, sourcesBinding]),
      expect: { fires: false },
    },
    {
      name: 'a binding that selects tenant namespaces by label',
      artifacts: k8s([
        exNamespace('acme'),
        sourcesPolicy,
        sourcesBinding,
        policy,
        {
          ...binding(['Deny']),
          spec: {
            policyName: 'deny-gpu-env',
            validationActions: ['Deny'],
            matchResources: {
              namespaceSelector: {
                matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }],
              },
            },
          },
        },
      ]),
      expect: { fires: false },
    },
    {
      name: 'a tenant cluster without admission policy',
      artifacts: k8s([exNamespace('acme')]),
      expect: {
        fires: true,
        message:
          /no ValidatingAdmissionPolicy \(failurePolicy Fail, on CREATE\) forbids NVIDIA_VISIBLE_DEVICES in pods/,
      },
    },
    {
      name: 'a pod policy bound in Audit mode only',
      artifacts: k8s([exNamespace('acme'), policy, binding(['Audit'])]),
      expect: {
        fires: true,
        message:
          /no Deny-bound NVIDIA_VISIBLE_DEVICES policy on pods \(env and envFrom\) selects tenant-acme/,
      },
    },
    {
      name: 'a pod policy without binding',
      artifacts: k8s([exNamespace('acme'), policy]),
      expect: {
        fires: true,
        message:
          /no Deny-bound NVIDIA_VISIBLE_DEVICES policy on pods \(env and envFrom\) selects tenant-acme/,
      },
    },
    {
      name: "a binding whose selector misses the tenant's namespace",
      artifacts: k8s([
        exNamespace('acme'),
        policy,
        {
          ...binding(['Deny']),
          spec: {
            policyName: 'deny-gpu-env',
            validationActions: ['Deny'],
            matchResources: { namespaceSelector: { matchLabels: { team: 'x' } } },
          },
        },
      ]),
      expect: {
        fires: true,
        message:
          /no Deny-bound NVIDIA_VISIBLE_DEVICES policy on pods \(env and envFrom\) selects tenant-acme/,
      },
    },
    {
      name: 'a pod policy with failurePolicy Ignore',
      artifacts: k8s([
        exNamespace('acme'),
        { ...policy, spec: { ...(policy.spec as object), failurePolicy: 'Ignore' } },
        binding(['Deny']),
      ]),
      expect: {
        fires: true,
        message:
          /no ValidatingAdmissionPolicy \(failurePolicy Fail, on CREATE\) forbids NVIDIA_VISIBLE_DEVICES in pods/,
      },
    },
    // envFrom not judged: the pod policy looks at env only, or nothing refuses the ConfigMap and Secret keys
    {
      name: 'a pod policy that looks at env but not envFrom',
      artifacts: k8s([
        exNamespace('acme'),
        podOnly(policy),
        binding(['Deny']),
        sourcesPolicy,
        sourcesBinding,
      ]),
      expect: {
        fires: true,
        message:
          /no ValidatingAdmissionPolicy \(failurePolicy Fail, on CREATE\) forbids NVIDIA_VISIBLE_DEVICES in pods/,
      },
    },
    {
      name: 'nothing refuses the key in ConfigMaps and Secrets',
      artifacts: k8s([exNamespace('acme'), policy, binding(['Deny'])]),
      expect: { fires: true, message: /forbids NVIDIA_VISIBLE_DEVICES in ConfigMaps and Secrets/ },
    },
    {
      name: 'the ConfigMap and Secret policy bound in Warn mode only',
      artifacts: k8s([
        exNamespace('acme'),
        policy,
        binding(['Deny']),
        sourcesPolicy,
        { ...sourcesBinding, spec: { policyName: 'deny-gpu-env-sources', validationActions: ['Warn'] } },
      ]),
      expect: {
        fires: true,
        message: /no Deny-bound NVIDIA_VISIBLE_DEVICES policy on ConfigMaps and Secrets/,
      },
    },
  ],
});
