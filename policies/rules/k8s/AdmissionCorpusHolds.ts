import { exNamespace, k8s } from '../../examples/builders';
import { clusterPolicies, corpusFacts, runCorpus } from '../../analysis/admission/cluster';
import { clusterRef, clusters, refOf } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject, ResourceRef } from '../../engine/types';
import { LABEL } from '../../../infra/contract';

const localQueue = (ns: string): K8sObject => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'LocalQueue',
  metadata: { name: 'default', namespace: ns },
  spec: { clusterQueue: ns },
});
const tenantSelector = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };
const priorityPolicy = (expression: string): K8sObject[] => [
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'genesis-tenant-priority-classes' },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        namespaceSelector: tenantSelector,
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
      },
      validations: [{ expression }],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: 'genesis-tenant-priority-classes' },
    spec: {
      policyName: 'genesis-tenant-priority-classes',
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: tenantSelector },
    },
  },
];

export default defineRule({
  id: 'GEN-K8S-ADM-001',
  title:
    'Admission policies, run on the admission corpus, refuse every attack and admit every legitimate request',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['AC-3', 'AC-6', 'CM-7', 'SC-6'],
  rationale:
    "A guardrail is what it does: each cluster's ValidatingAdmissionPolicies and bindings are executed with a CEL evaluator, as the API server runs them (match constraints and selectors, matchConditions, variables, validations, validationActions, failurePolicy), on a corpus of requests built from the cluster's own namespaces, queues and claims: GPU visibility variables in env, envFrom and ConfigMap or Secret keys, queue and Kueue bypasses, inline CSI and ephemeral volumes, system priorities must be refused; tenant Jobs, the controllers' pods and Kueue's own updates must be admitted. An expression made `true || ...`, a binding moved to Audit or narrowed by an object selector, or a removed policy lets an attack through.",
  remediation:
    "Restore the platform's admission policies and Deny bindings (regenerate with `genesis synth`); if a legitimate request is refused, fix the policy that refuses it. The corpus is policies/analysis/admission/corpus.ts.",
  *check(ctx) {
    for (const [site, cluster] of clusters(ctx)) {
      const key = `${site}/${cluster}`;
      const facts = corpusFacts(ctx, key);
      if (!facts) continue;
      const policies = clusterPolicies(ctx, key);
      const byResource = new Map<string, { ref: ResourceRef; problems: string[] }>();
      const note = (policy: string | undefined, problem: string) => {
        const doc = policies.docs.find((d) => d.object.metadata.name === policy);
        const ref = doc ? refOf(doc) : clusterRef(site, cluster);
        const k = doc ? String(policy) : '';
        const entry = byResource.get(k) ?? { ref, problems: [] };
        entry.problems.push(problem);
        byResource.set(k, entry);
      };
      for (const o of runCorpus(policies, facts)) {
        if (o.ok) continue;
        if (o.case.expect === 'deny')
          note(
            o.case.guard,
            `attack "${o.case.name}" is admitted (${o.case.guard ?? 'no policy'} should refuse it)`,
          );
        else
          for (const d of o.decision.deniedBy)
            note(
              d.policy,
              `legitimate request "${o.case.name}" is refused by ${d.policy} (binding ${d.binding}): ${d.message}`,
            );
      }
      for (const [, { ref, problems }] of [...byResource].sort(([a], [b]) => a.localeCompare(b)))
        yield { resource: ref, status: 'fail', message: problems.join('; ') };
    }
  },
  examples: [
    {
      name: 'a tenant namespace and no admission policy: every attack is admitted',
      artifacts: k8s([exNamespace('acme'), localQueue('tenant-acme')]),
      expect: { fires: true, message: /attack "a pod sets NVIDIA_VISIBLE_DEVICES=all in env" is admitted/ },
    },
    {
      name: "the priority policy's expression made `true || ...`",
      artifacts: k8s([
        exNamespace('acme'),
        localQueue('tenant-acme'),
        ...priorityPolicy("true || object.spec.priorityClassName in ['genesis-standard']"),
      ]),
      expect: {
        fires: true,
        message:
          /attack "a tenant pod at system-node-critical" is admitted \(genesis-tenant-priority-classes should refuse it\)|attack "a bare pod without the queue label" is admitted/,
      },
    },
    {
      name: 'a priority policy that refuses the platform priority too',
      artifacts: k8s([
        exNamespace('acme'),
        localQueue('tenant-acme'),
        ...priorityPolicy('!has(object.spec.priorityClassName)'),
      ]),
      expect: {
        fires: true,
        message:
          /legitimate request "a tenant pod at the platform priority genesis-standard" is refused by genesis-tenant-priority-classes|attack "a bare pod without the queue label" is admitted/,
      },
    },
    {
      name: 'a cluster without tenant namespaces has nothing to guard',
      artifacts: k8s([localQueue('kube-system')]),
      expect: { fires: false },
    },
  ],
});
