/**
 * Hand edits of a federation in the default output (manager gw-gpu, worker aurora-gpu on partner
 * site aurora-dc) that keep every object's shape: each changes where work goes or what the
 * manager may do on the worker, and each is caught by what the federation rules compute.
 */
import * as path from 'node:path';
import { MANAGER_GROUP_PREFIX, MULTIKUEUE_WATCH_ROLE, MULTIKUEUE_WORKER_ROLE } from '../../infra/contract';
import { editJson, editYaml } from './support/default-output';
import { baselineFindings, expectCaught } from './support/tamper-run';

const MANAGER = 'k8s/govcloud-west/gw-gpu/cluster.yaml';
const WORKER = 'k8s/aurora-dc/aurora-gpu/cluster.yaml';
const WORKER_TENANT = 'k8s/aurora-dc/aurora-gpu/tenant-aurora-ai.yaml';
const key = (cluster: string, kind: string, ns: string, name: string) =>
  `k8s:${cluster}/${kind}/${ns}/${name}`;
const MK_CLUSTER = key('govcloud-west/gw-gpu', 'MultiKueueCluster', '-', 'national-aurora-gpu');
const MANAGER_QUEUE = key('govcloud-west/gw-gpu', 'ClusterQueue', '-', 'tenant-aurora-ai');
type Obj = Parameters<Parameters<typeof editYaml>[1]>[0][number];
const edit = (dir: string, file: string, fn: (objects: Obj[]) => Obj[] | void) =>
  editYaml(path.join(dir, file), (os) => fn(os) ?? os);
const named = (os: Obj[], kind: string, name: string, ns?: string): Obj => {
  const o = os.find((x) => x.kind === kind && x.metadata.name === name && x.metadata.namespace === ns);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', role: string, ns?: string): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'multikueue-national-extra', ...(ns ? { namespace: ns } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${MANAGER_GROUP_PREFIX}national` },
  ],
});

beforeAll(() => baselineFindings(), 180_000);

describe('where federated work goes', () => {
  test("the worker's kubeconfig Secret swapped for another cluster's", () =>
    expectCaught((dir) => {
      edit(dir, MANAGER, (os) => {
        named(os, 'MultiKueueCluster', 'national-aurora-gpu').spec.clusterSource.kubeConfig.location =
          'multikueue-national-le-gpu';
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));

  test('the worker relabelled as a cluster the output does not hold', () =>
    expectCaught((dir) => {
      edit(dir, MANAGER, (os) => {
        const c = named(os, 'MultiKueueCluster', 'national-aurora-gpu');
        c.metadata.labels['genesis.platform/worker-cluster'] = 'cloud-burst';
        c.spec.clusterSource.kubeConfig.location = 'multikueue-national-cloud-burst';
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));

  test("the worker's enclave declared public while aurora-ai holds CUI data", () =>
    expectCaught((dir) => {
      editJson(path.join(dir, 'platform.json'), (p) => {
        p.enclaves.find((e: { id: string }) => e.id === 'aurora-cui').classification = 'public';
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));

  test("the worker's manifests relabelled public (the lower classification counts)", () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => {
        for (const o of os)
          if (o.metadata.labels?.['genesis.platform/classification'])
            o.metadata.labels['genesis.platform/classification'] = 'public';
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));

  test("noaa-psl's opt-in taken out of the intent while its queue still dispatches", () =>
    expectCaught((dir) => {
      editJson(path.join(dir, 'platform.json'), (p) => {
        p.tenants.find((t: { id: string }) => t.id === 'noaa-psl').federations = [];
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));

  test('the partner site no longer serving noaa-psl, whose queue still dispatches there', () =>
    expectCaught((dir) => {
      editJson(path.join(dir, 'platform.json'), (p) => {
        p.sites.find((s: { id: string }) => s.id === 'aurora-dc').serves = [];
      });
      return { rule: 'GEN-K8S-FED-001', resource: MK_CLUSTER, file: MANAGER };
    }));
});

describe("the worker's mirror of the queue", () => {
  test("the worker's ClusterQueue opened to every namespace", () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => {
        named(os, 'ClusterQueue', 'tenant-aurora-ai').spec.namespaceSelector = {};
      });
      return { rule: 'GEN-K8S-FED-002', resource: MANAGER_QUEUE, file: MANAGER };
    }));

  test("the worker's LocalQueue pointed at another queue", () =>
    expectCaught((dir) => {
      edit(dir, WORKER_TENANT, (os) => {
        named(os, 'LocalQueue', 'default', 'tenant-aurora-ai').spec.clusterQueue = 'tenant-noaa-psl';
      });
      return { rule: 'GEN-K8S-FED-002', resource: MANAGER_QUEUE, file: MANAGER };
    }));
});

describe("the manager's rights on the worker", () => {
  test("the manager's group bound cluster-wide", () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => [...os, binding('ClusterRoleBinding', MULTIKUEUE_WORKER_ROLE)]);
      return {
        rule: 'GEN-K8S-FED-003',
        resource: key('aurora-dc/aurora-gpu', 'ClusterRoleBinding', '-', 'multikueue-national-extra'),
        file: WORKER,
      };
    }));

  test("the manager's group given the built-in edit role in a federated tenant's namespace", () =>
    expectCaught((dir) => {
      edit(dir, WORKER_TENANT, (os) => [...os, binding('RoleBinding', 'edit', 'tenant-aurora-ai')]);
      return {
        rule: 'GEN-K8S-FED-003',
        resource: key('aurora-dc/aurora-gpu', 'RoleBinding', 'tenant-aurora-ai', 'multikueue-national-extra'),
        file: WORKER_TENANT,
      };
    }));

  test('the worker role widened to read Secrets', () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => {
        named(os, 'ClusterRole', MULTIKUEUE_WORKER_ROLE).rules.push({
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get', 'list'],
        });
      });
      return {
        rule: 'GEN-K8S-FED-003',
        resource: key('aurora-dc/aurora-gpu', 'RoleBinding', 'tenant-aurora-ai', 'multikueue-national'),
        file: WORKER_TENANT,
      };
    }));

  test('the cluster-wide watch role widened to read Secrets in every namespace', () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => {
        named(os, 'ClusterRole', MULTIKUEUE_WATCH_ROLE).rules.push({
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['list', 'watch'],
        });
      });
      return {
        rule: 'GEN-K8S-FED-003',
        resource: key('aurora-dc/aurora-gpu', 'ClusterRoleBinding', '-', 'multikueue-national-watch'),
        file: WORKER,
      };
    }));

  test('the worker role widened to create pods/exec, caught by the cluster-scoped inventory too', () =>
    expectCaught((dir) => {
      edit(dir, WORKER, (os) => {
        named(os, 'ClusterRole', MULTIKUEUE_WORKER_ROLE).rules.push({
          apiGroups: [''],
          resources: ['pods/exec'],
          verbs: ['create'],
        });
      });
      return {
        rule: 'GEN-K8S-INV-001',
        resource: key('aurora-dc/aurora-gpu', 'ClusterRole', '-', MULTIKUEUE_WORKER_ROLE),
        file: WORKER,
      };
    }));
});
