/**
 * The admission evaluator and corpus on the default platform's output: every case behaves as
 * promised on every cluster, and every validation expression is load-bearing (made `true`, some
 * corpus outcome changes).
 */
import { clusterPolicies, corpusFacts, runCorpus } from '../../policies/analysis/admission/cluster';
import { corpus } from '../../policies/analysis/admission/corpus';
import { decide, type ClusterPolicies } from '../../policies/analysis/admission/evaluate';
import { pod, podSpec } from '../../policies/analysis/admission/objects';
import { requestFor } from '../../policies/analysis/admission/request';
import { loadArtifacts } from '../../policies/engine/load';
import type { K8sObject, RuleContext } from '../../policies/engine/types';
import { defaultOutput } from './support/default-output';
import { managerGroupName } from '../../infra/contract';

// aurora-gpu is a federation worker: the corpus runs there as the manager's group it binds.
const CLUSTERS = ['aurora-dc/aurora-gpu', 'govcloud-west/gw-gpu', 'lab-east/le-gpu'];
let ctx: RuleContext;

beforeAll(async () => {
  ctx = { artifacts: loadArtifacts(await defaultOutput()) };
}, 120_000);

test('the corpus holds at least 40 requests, each with an expected outcome, attacks and legitimate ones', () => {
  const cases = corpus(corpusFacts(ctx, CLUSTERS[0])!);
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  expect(cases.filter((c) => c.expect === 'deny').length).toBeGreaterThanOrEqual(25);
  expect(cases.filter((c) => c.expect === 'admit').length).toBeGreaterThanOrEqual(15);
  for (const c of cases) if (c.expect === 'deny') expect(c.guard).toMatch(/^genesis-/);
});

test("on a federation worker, the manager's requests carry the group its RoleBindings name", () => {
  expect(corpusFacts(ctx, 'aurora-dc/aurora-gpu')!.managerGroup).toBe(managerGroupName('national'));
  const cases = corpus(corpusFacts(ctx, 'aurora-dc/aurora-gpu')!).filter((c) =>
    c.request.userInfo.groups.includes(managerGroupName('national')),
  );
  expect(cases.filter((c) => c.expect === 'admit').length).toBeGreaterThanOrEqual(3);
  expect(cases.filter((c) => c.expect === 'deny').length).toBeGreaterThanOrEqual(7);
});

describe.each(CLUSTERS)('default platform, %s', (cluster) => {
  test('every corpus case behaves as expected', () => {
    const failures = runCorpus(clusterPolicies(ctx, cluster), corpusFacts(ctx, cluster)!).filter(
      (o) => !o.ok,
    );
    expect(
      failures.map((o) => `${o.case.expect} ${o.case.name}: ${JSON.stringify(o.decision.deniedBy)}`),
    ).toEqual([]);
  });

  test('each attack is refused by the policy it names', () => {
    for (const o of runCorpus(clusterPolicies(ctx, cluster), corpusFacts(ctx, cluster)!)) {
      if (o.case.expect === 'deny') expect(o.decision.deniedBy.map((d) => d.policy)).toContain(o.case.guard);
    }
  });

  test('every validation expression is load-bearing: made `true`, some outcome changes', () => {
    const policies = clusterPolicies(ctx, cluster);
    const facts = corpusFacts(ctx, cluster)!;
    const baseline = runCorpus(policies, facts).map((o) => o.decision.allowed);
    const inert: string[] = [];
    let count = 0;
    for (const p of policies.policies) {
      const validations = (p.spec as { validations: Array<Record<string, unknown>> }).validations;
      validations.forEach((_, i) => {
        count++;
        const replaced: K8sObject = {
          ...p,
          spec: {
            ...(p.spec as object),
            validations: validations.map((v, j) => (j === i ? { ...v, expression: 'true' } : v)),
          },
        };
        const set: ClusterPolicies = {
          ...policies,
          policies: policies.policies.map((x) => (x === p ? replaced : x)),
        };
        const after = runCorpus(set, facts).map((o) => o.decision.allowed);
        if (after.every((a, k) => a === baseline[k]))
          inert.push(`${String(p.metadata.name)} validations[${i}]`);
      });
    }
    expect(count).toBeGreaterThanOrEqual(12);
    expect(inert).toEqual([]);
  });
});

describe('evaluator semantics', () => {
  const ns: K8sObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 't', labels: { tenant: 'a' } },
  };
  const policy = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'p' },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
      },
      ...spec,
    },
  });
  const binding = (spec: Record<string, unknown> = {}): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: 'b' },
    spec: { policyName: 'p', validationActions: ['Deny'], ...spec },
  });
  const set = (p: K8sObject, b: K8sObject): ClusterPolicies => ({
    policies: [p],
    bindings: [b],
    namespaces: new Map([['t', ns]]),
  });
  const req = (labels?: Record<string, string>) =>
    requestFor('CREATE', 'u', pod({ ns: 't', labels }, podSpec()));
  const denyAll = policy({ validations: [{ expression: 'false', message: 'no' }] });

  test('Deny refuses, Audit and Warn do not', () => {
    expect(decide(set(denyAll, binding()), req()).allowed).toBe(false);
    expect(decide(set(denyAll, binding({ validationActions: ['Audit'] })), req()).allowed).toBe(true);
    expect(decide(set(denyAll, binding({ validationActions: ['Warn'] })), req()).allowed).toBe(true);
  });
  test('an object selector on the binding lets unlabelled objects through', () => {
    const b = binding({ matchResources: { objectSelector: { matchLabels: { guarded: 'yes' } } } });
    expect(decide(set(denyAll, b), req()).allowed).toBe(true);
    expect(decide(set(denyAll, b), req({ guarded: 'yes' })).allowed).toBe(false);
  });
  test('namespace selectors read the namespace labels', () => {
    expect(
      decide(
        set(denyAll, binding({ matchResources: { namespaceSelector: { matchLabels: { tenant: 'b' } } } })),
        req(),
      ).allowed,
    ).toBe(true);
    expect(
      decide(
        set(denyAll, binding({ matchResources: { namespaceSelector: { matchLabels: { tenant: 'a' } } } })),
        req(),
      ).allowed,
    ).toBe(false);
  });
  test('an evaluation error fails closed with failurePolicy Fail, open with Ignore', () => {
    const broken = { validations: [{ expression: 'object.spec.nothing.here == 1' }] };
    expect(decide(set(policy({ ...broken, failurePolicy: 'Fail' }), binding()), req()).allowed).toBe(false);
    expect(decide(set(policy({ ...broken, failurePolicy: 'Ignore' }), binding()), req()).allowed).toBe(true);
  });
  test('a false match condition skips the policy; variables are bound for validations', () => {
    expect(
      decide(
        set(
          policy({
            matchConditions: [{ name: 'c', expression: "request.userInfo.username != 'u'" }],
            validations: [{ expression: 'false' }],
          }),
          binding(),
        ),
        req(),
      ).allowed,
    ).toBe(true);
    const withVar = policy({
      variables: [{ name: 'n', expression: 'size(object.spec.containers)' }],
      validations: [{ expression: 'variables.n == 2' }],
    });
    expect(decide(set(withVar, binding()), req()).allowed).toBe(false);
  });
  test('operations and subresources must match the rule', () => {
    const r = requestFor('UPDATE', 'u', pod({ ns: 't' }), pod({ ns: 't' }), 'ephemeralcontainers');
    expect(decide(set(denyAll, binding()), r).allowed).toBe(true);
    const sub = policy({
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['pods/*'] }],
      },
      validations: [{ expression: 'false' }],
    });
    expect(decide(set(sub, binding()), r).allowed).toBe(false);
  });
});
