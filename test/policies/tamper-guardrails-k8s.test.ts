/**
 * Hand edits of the default Kubernetes output that only guardrails judged by effect catch: admission
 * policies run on the corpus, quota scopes, priorities, Kueue quotas and GPU sharing against the
 * intent, the cluster-scoped inventory, volume sources and the closed world of kinds.
 */
import * as path from 'node:path';
import { editYaml } from './support/default-output';
import { baselineFindings, expectCaught } from './support/tamper-run';

const GW = 'k8s/govcloud-west/gw-gpu';
const CLUSTER = `${GW}/cluster.yaml`;
const TENANT = `${GW}/tenant-aurora-ai.yaml`;
const NS = 'tenant-aurora-ai';
const key = (kind: string, ns: string, name: string) => `k8s:govcloud-west/gw-gpu/${kind}/${ns}/${name}`;
type Obj = Parameters<Parameters<typeof editYaml>[1]>[0][number];
const edit = (dir: string, file: string, fn: (objects: Obj[]) => Obj[] | void) =>
  editYaml(path.join(dir, file), (os) => fn(os) ?? os);
const named = (os: Obj[], kind: string, name: string): Obj => {
  const o = os.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};
const vap = (name: string) => ({
  rule: 'GEN-K8S-ADM-001',
  resource: key('ValidatingAdmissionPolicy', '-', name),
  file: CLUSTER,
});

beforeAll(() => baselineFindings(), 180_000);

describe('admission policies judged by what they do', () => {
  test('a GPU-variable validation made `true || ...`', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        const v = named(os, 'ValidatingAdmissionPolicy', 'genesis-deny-gpu-visibility-env').spec
          .validations[0];
        v.expression = `true || (${v.expression})`;
      });
      return vap('genesis-deny-gpu-visibility-env');
    }));

  test('the queue binding narrowed by an objectSelector', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(
          os,
          'ValidatingAdmissionPolicyBinding',
          'genesis-require-queue-name',
        ).spec.matchResources.objectSelector = { matchLabels: { 'genesis.platform/guarded': 'true' } };
      });
      return vap('genesis-require-queue-name');
    }));

  test('the unsuspend binding switched to Audit', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(os, 'ValidatingAdmissionPolicyBinding', 'genesis-kueue-unsuspend').spec.validationActions = [
          'Audit',
        ];
      });
      return vap('genesis-kueue-unsuspend');
    }));

  test('the Kueue gate policy matching CREATE instead of UPDATE', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(
          os,
          'ValidatingAdmissionPolicy',
          'genesis-kueue-admission-gate',
        ).spec.matchConstraints.resourceRules[0].operations = ['CREATE'];
      });
      return vap('genesis-kueue-admission-gate');
    }));

  test('the pod-owner policy trusting every service account of kube-system', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        const v = named(os, 'ValidatingAdmissionPolicy', 'genesis-pod-owner-from-controller').spec
          .validations[0];
        v.expression = `request.userInfo.groups.exists(g, g == 'system:serviceaccounts:kube-system') || ${v.expression}`;
        named(os, 'ValidatingAdmissionPolicy', 'genesis-pod-owner-from-controller').spec.matchConditions = [
          { name: 'tenant-only', expression: "!request.userInfo.username.startsWith('researcher')" },
        ];
      });
      return vap('genesis-pod-owner-from-controller');
    }));

  test('the tenant volume policy and its binding removed', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => os.filter((o) => o.metadata.name !== 'genesis-tenant-volumes'));
      return { rule: 'GEN-K8S-ADM-001', resource: 'k8s:govcloud-west/gw-gpu', file: GW };
    }));

  test('an added admission policy that refuses every tenant Job', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => [
        ...os,
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: 'freeze-jobs' },
          spec: {
            failurePolicy: 'Fail',
            matchConstraints: {
              resourceRules: [
                { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['jobs'] },
              ],
            },
            validations: [{ expression: 'false', message: 'frozen' }],
          },
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name: 'freeze-jobs' },
          spec: { policyName: 'freeze-jobs', validationActions: ['Deny'] },
        },
      ]);
      return vap('freeze-jobs');
    }));

  test('a validation written with the optional-field syntax the evaluator cannot compile', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(
          os,
          'ValidatingAdmissionPolicy',
          'genesis-tenant-priority-classes',
        ).spec.validations[0].expression =
          "object.spec.?priorityClassName.orValue('') != 'system-node-critical'";
      });
      return {
        rule: 'GEN-K8S-ADM-002',
        resource: key('ValidatingAdmissionPolicy', '-', 'genesis-tenant-priority-classes'),
        file: CLUSTER,
      };
    }));
});

describe('quotas and scheduling by effect', () => {
  test('the GPU ResourceQuota scoped to Terminating pods', () =>
    expectCaught((dir) => {
      edit(dir, TENANT, (os) => {
        named(os, 'ResourceQuota', 'genesis-compute-storage').spec.scopes = ['Terminating'];
      });
      return {
        rule: 'GEN-K8S-SCH-001',
        resource: key('ResourceQuota', NS, 'genesis-compute-storage'),
        file: TENANT,
      };
    }));

  test('a PriorityClass a tenant may use to preempt everyone (the class)', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => [
        ...os,
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'urgent' },
          value: 1000000000,
          preemptionPolicy: 'PreemptLowerPriority',
        },
      ]);
      edit(dir, TENANT, (os) => {
        named(
          os,
          'ResourceQuota',
          'genesis-priority-classes',
        ).spec.scopeSelector.matchExpressions[0].values.push('urgent');
      });
      return { rule: 'GEN-K8S-INV-001', resource: key('PriorityClass', '-', 'urgent'), file: CLUSTER };
    }));

  test('a PriorityClass a tenant may use to preempt everyone (the tenant quota lets it)', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => [
        ...os,
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'urgent' },
          value: 1000000000,
          preemptionPolicy: 'PreemptLowerPriority',
        },
      ]);
      edit(dir, TENANT, (os) => {
        named(
          os,
          'ResourceQuota',
          'genesis-priority-classes',
        ).spec.scopeSelector.matchExpressions[0].values.push('urgent');
      });
      return {
        rule: 'GEN-K8S-SCH-002',
        resource: key('ResourceQuota', NS, 'genesis-priority-classes'),
        file: TENANT,
      };
    }));

  test("genesis-high raised above every tenant's work", () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(os, 'PriorityClass', 'genesis-high').value = 1000000000;
      });
      return { rule: 'GEN-K8S-INV-001', resource: key('PriorityClass', '-', 'genesis-high'), file: CLUSTER };
    }));

  test("a tenant ClusterQueue's H100 quota raised above the spec", () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        const q = named(os, 'ClusterQueue', 'tenant-noaa-psl');
        const gpu = q.spec.resourceGroups[0].flavors
          .find((f: { name: string }) => f.name === 'h100')
          .resources.find((r: { name: string }) => r.name === 'nvidia.com/gpu');
        gpu.nominalQuota = 12;
      });
      return {
        rule: 'GEN-K8S-SCH-003',
        resource: key('ClusterQueue', '-', 'tenant-noaa-psl'),
        file: CLUSTER,
      };
    }));

  test('a tenant ClusterQueue moved to a declared cohort of its own', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => {
        named(os, 'ClusterQueue', 'tenant-aurora-ai').spec.cohortName = 'vip';
        return [
          ...os,
          {
            apiVersion: 'kueue.x-k8s.io/v1beta2',
            kind: 'Cohort',
            metadata: { name: 'vip' },
            spec: { fairSharing: { weight: 100 } },
          },
        ];
      });
      return {
        rule: 'GEN-K8S-SCH-003',
        resource: key('ClusterQueue', '-', 'tenant-aurora-ai'),
        file: CLUSTER,
      };
    }));

  test('time-slicing turned on for the exclusive H100 pool', () =>
    expectCaught((dir) => {
      const file = `${GW}/gpu-operator.yaml`;
      edit(dir, file, (os) => {
        const cm = named(os, 'ConfigMap', 'genesis-device-plugin-config');
        cm.data.h100 =
          'version: v1\nflags:\n  migStrategy: none\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 8\n';
      });
      return {
        rule: 'GEN-K8S-SCH-004',
        resource: key('ConfigMap', 'gpu-operator', 'genesis-device-plugin-config'),
        file,
      };
    }));

  test('a larger MIG profile than the spec declares on the MIG pool', () =>
    expectCaught((dir) => {
      const file = `${GW}/gpu-operator.yaml`;
      edit(dir, file, (os) => {
        const cm = named(os, 'ConfigMap', 'genesis-mig-config');
        cm.data['config.yaml'] = String(cm.data['config.yaml']).replace('1g.10gb: 7', '3g.40gb: 2');
      });
      return {
        rule: 'GEN-K8S-SCH-004',
        resource: key('ConfigMap', 'gpu-operator', 'genesis-device-plugin-config'),
        file,
      };
    }));
});
