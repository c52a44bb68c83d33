import { k8s } from '../../examples/builders';
import { DEFAULT_PRIORITY, PRIORITY_LEVELS } from '../../../infra/contract/priorities';
import { GUARD } from '../../analysis/admission/corpus-kit';
import { intentOf, type Intent } from '../../analysis/intent';
import { isRec, k8sDocs, labels, refOf, specOf } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sDocument, K8sObject } from '../../engine/types';
import { LABEL, MULTIKUEUE_WORKER_ROLE } from '../../../infra/contract';
import { asRule } from '../../analysis/access/rbac';
import { beyondMultiKueue } from '../../analysis/federation/rights';

const WRITE_VERBS = new Set([
  '*',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'escalate',
  'bind',
  'impersonate',
  'approve',
  'sign',
]);
const NETWORK_POLICY = 'genesis-enclave-guardrails';
const TENANT_SELECTOR = { matchExpressions: [{ key: LABEL.tenant, operator: 'Exists' }] };
const PLATFORM_POLICIES: ReadonlySet<string> = new Set(Object.values(GUARD));
/** CSI driver of each storage backend (on-prem) or tier kind (AWS). */
const PROVISIONER: Readonly<Record<string, string>> = {
  lustre: 'exa.csi.ddn.com',
  nfs: 'nfs.csi.k8s.io',
  cephfs: 'cephfs.csi.ceph.com',
  s3: 'ru.yandex.s3.csi',
  'parallel-fs': 'fsx.csi.aws.com',
  file: 'efs.csi.aws.com',
};

const workerRole = (rules: unknown[]): K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: MULTIKUEUE_WORKER_ROLE, labels: { [LABEL.managedBy]: 'genesis' } },
  rules,
});

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const managed = (o: K8sObject): boolean => labels(o)[LABEL.managedBy] === 'genesis';

function priorityClass(o: K8sObject): string | undefined {
  const level = PRIORITY_LEVELS.find((l) => l.name === o.metadata.name);
  if (!level) return 'not a platform priority class';
  const want = {
    value: level.value,
    preemptionPolicy: level.preempts ? 'PreemptLowerPriority' : 'Never',
    globalDefault: level.name === DEFAULT_PRIORITY,
  };
  const got = {
    value: o.value,
    preemptionPolicy: o.preemptionPolicy ?? 'PreemptLowerPriority',
    globalDefault: o.globalDefault ?? false,
  };
  return same(want, got)
    ? undefined
    : `differs from the platform's ${level.name}: ${JSON.stringify(got)}, the platform writes ${JSON.stringify(want)}`;
}

function storageClass(d: K8sDocument, intent: Intent | undefined): string | undefined {
  const o = d.object;
  const site = intent?.clusters.find((c) => c.id === d.cluster)?.site;
  const tier = intent?.storageTiers.find(
    (t) => `genesis-${t.id}` === o.metadata.name && (t.sites ?? []).some((s) => s.site === site),
  );
  if (!tier || !managed(o)) return 'not a StorageClass of a storage tier declared on this site';
  const backend = (tier.sites ?? []).find((s) => s.site === site)?.backend ?? tier.kind;
  if (o.provisioner !== PROVISIONER[backend])
    return `provisioner ${String(o.provisioner)}, the tier's ${backend} backend uses ${PROVISIONER[backend] ?? 'no StorageClass'}`;
  if (o.reclaimPolicy !== 'Retain')
    return `reclaimPolicy ${String(o.reclaimPolicy ?? 'Delete')}, the platform writes Retain`;
  return undefined;
}

function networkPolicy(o: K8sObject): string | undefined {
  if (o.metadata.name !== NETWORK_POLICY || !managed(o))
    return "not the platform's cluster-wide network policy";
  const s = specOf(o);
  if (o.kind === 'CiliumClusterwideNetworkPolicy')
    return s.egress !== undefined || s.ingress !== undefined
      ? 'holds allow rules; the platform writes only egressDeny and ingressDeny'
      : undefined;
  const rules = [
    ...(Array.isArray(s.egress) ? s.egress : []),
    ...(Array.isArray(s.ingress) ? s.ingress : []),
  ];
  return rules.every((r) => isRec(r) && r.action === 'Deny')
    ? undefined
    : 'holds rules that are not Deny; the platform writes only Deny rules';
}

function admission(o: K8sObject): string | undefined {
  if (!PLATFORM_POLICIES.has(String(o.metadata.name))) return 'not a platform admission policy';
  const s = specOf(o);
  if (o.kind === 'ValidatingAdmissionPolicyBinding') {
    const want = {
      policyName: o.metadata.name,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: TENANT_SELECTOR },
    };
    return same(
      { policyName: s.policyName, validationActions: s.validationActions, matchResources: s.matchResources },
      want,
    ) && Object.keys(s).length === 3
      ? undefined
      : `differs from the platform's binding: ${JSON.stringify(s)}`;
  }
  const constraints = isRec(s.matchConstraints) ? s.matchConstraints : {};
  if (s.failurePolicy !== 'Fail')
    return `failurePolicy ${String(s.failurePolicy ?? 'Fail (default)')}; the platform writes Fail explicitly`;
  return same(constraints.namespaceSelector, TENANT_SELECTOR) && constraints.objectSelector === undefined
    ? undefined
    : "selects other namespaces or objects than the platform's policy";
}

/** Why an object is not one the platform generates, or undefined when it is (or its kind is not inventoried). */
function verdict(d: K8sDocument, intent: Intent | undefined): string | undefined {
  const o = d.object;
  switch (o.kind) {
    case 'MutatingWebhookConfiguration':
    case 'ValidatingWebhookConfiguration':
    case 'CustomResourceDefinition':
    case 'APIService':
    case 'MutatingAdmissionPolicy':
    case 'MutatingAdmissionPolicyBinding':
      return `the platform generates no ${o.kind}`;
    case 'ClusterRole': {
      const rules = Array.isArray(o.rules) ? o.rules : [];
      if (o.metadata.name === MULTIKUEUE_WORKER_ROLE && managed(o) && o.aggregationRule === undefined) {
        const beyond = beyondMultiKueue(rules.filter(isRec).map(asRule));
        return beyond.length
          ? `holds more than MultiKueue needs: ${beyond.slice(0, 6).join(', ')}`
          : undefined;
      }
      const writes = rules.some(
        (r) => isRec(r) && Array.isArray(r.verbs) && r.verbs.some((v) => WRITE_VERBS.has(String(v))),
      );
      return writes || o.aggregationRule !== undefined
        ? 'the platform generates no ClusterRole with write rights'
        : undefined;
    }
    case 'PriorityClass':
      return priorityClass(o);
    case 'StorageClass':
      return storageClass(d, intent);
    case 'ClusterNetworkPolicy':
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return networkPolicy(o);
    case 'ValidatingAdmissionPolicy':
    case 'ValidatingAdmissionPolicyBinding':
      return admission(o);
    default:
      return undefined;
  }
}

const webhook: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'sidecar' },
  webhooks: [
    {
      name: 'x.example.com',
      clientConfig: { url: 'https://collector.example.com/mutate' },
      rules: [
        { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'secrets'] },
      ],
    },
  ],
} as K8sObject;
const pc = (name: string, value: number, preemptionPolicy = 'PreemptLowerPriority'): K8sObject =>
  ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    preemptionPolicy,
    globalDefault: name === DEFAULT_PRIORITY,
  }) as K8sObject;

export default defineRule({
  id: 'GEN-K8S-INV-001',
  title:
    'Every powerful cluster-scoped object is one the platform generates, or carries a reviewed exception',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['CM-8', 'CM-7', 'AC-6'],
  rationale:
    'Webhook configurations see (and may rewrite) every object they match, Secrets included; ClusterRoles with write rights, CRDs, PriorityClasses, StorageClasses, cluster-wide network policies and admission policies change what every tenant may do. Such objects are an inventory: each must be one the platform writes, by name and content (PriorityClasses as the contract states, StorageClasses for a declared tier with its driver, network policies with Deny rules only, admission policies and Deny bindings over tenant namespaces), or carry a reviewed exception in policies/exceptions.yaml.',
  remediation:
    "Remove the object, restore the platform's version (`genesis synth`), or add a reviewed exception (rule, resource, reason, owner, expiry) to policies/exceptions.yaml.",
  *check(ctx) {
    const intent = intentOf(ctx);
    for (const d of k8sDocs(ctx)) {
      if (d.object.metadata.namespace !== undefined) continue;
      // A StorageClass is judged against the declared tiers: without platform.json (a cdk8s
      // output folder checked on its own) that cannot be decided, which is said, never passed.
      if (!intent && d.object.kind === 'StorageClass') {
        yield {
          resource: refOf(d),
          status: 'unknown',
          message: `StorageClass ${String(d.object.metadata.name)}: no platform.json to hold it to the declared storage tiers`,
        };
        continue;
      }
      const why = verdict(d, intent);
      if (why)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `${d.object.kind} ${String(d.object.metadata.name)}: ${why}`,
        };
    }
  },
  examples: [
    {
      name: "the platform's priority classes",
      artifacts: k8s([
        pc('genesis-low', 1000, 'Never'),
        pc('genesis-standard', 10000),
        pc('genesis-high', 100000),
      ]),
      expect: { fires: false },
    },
    {
      name: 'a MutatingWebhookConfiguration sending Pods and Secrets elsewhere',
      artifacts: k8s([webhook]),
      expect: { fires: true, message: /generates no MutatingWebhookConfiguration/ },
    },
    {
      name: 'a PriorityClass above every tenant',
      artifacts: k8s([pc('urgent', 1000000000)]),
      expect: { fires: true, message: /urgent: not a platform priority class/ },
    },
    {
      name: 'genesis-high raised to preempt everyone',
      artifacts: k8s([pc('genesis-high', 1000000000)]),
      expect: { fires: true, message: /differs from the platform's genesis-high/ },
    },
    {
      name: 'a ClusterRole that may write Secrets',
      artifacts: k8s([
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'x' },
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'] }],
        } as K8sObject,
      ]),
      expect: { fires: true, message: /no ClusterRole with write rights/ },
    },
    {
      name: "the federation worker's role with MultiKueue's rules",
      artifacts: k8s([
        workerRole([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete'] }]),
      ]),
      expect: { fires: false },
    },
    {
      name: "the federation worker's role widened to create Secrets",
      artifacts: k8s([
        workerRole([
          { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        ]),
      ]),
      expect: { fires: true, message: /holds more than MultiKueue needs: create secrets/ },
    },
    {
      name: 'a read-only ClusterRole',
      artifacts: k8s([
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'view-x' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        } as K8sObject,
      ]),
      expect: { fires: false },
    },
  ],
});
