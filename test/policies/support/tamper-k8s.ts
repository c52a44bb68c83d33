/**
 * Hand edits of the Kubernetes output of the default platform (tenancy, RBAC, GPU isolation,
 * capacity), run by tamper.test.ts like its other cases: each must make `genesis check` exit 1
 * naming rule, resource key and file, with a finding absent from the unedited output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editYaml } from './default-output';

export interface TamperCase {
  readonly name: string;
  readonly edit: (dir: string) => { rule: string; resource: string; file: string };
}

const GW = 'k8s/govcloud-west/gw-gpu';
const T = `${GW}/tenant-aurora-ai.yaml`;
const NS = 'tenant-aurora-ai';
const key = (kind: string, ns: string, name: string) => `k8s:govcloud-west/gw-gpu/${kind}/${ns}/${name}`;
const append = (dir: string, file: string, ...objects: Array<Record<string, any>>) =>
  editYaml(path.join(dir, file), (os) => [...os, ...objects]);
const rb = (ns: string, name: string, roleRef: { kind: string; name: string }, subjects: unknown[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});
const tenantGroup = (t: string) => ({
  kind: 'Group',
  name: `genesis:tenant:${t}`,
  apiGroup: 'rbac.authorization.k8s.io',
});
const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const K8S_CASES: TamperCase[] = [
  {
    name: 'bind a tenant group to the built-in cluster-admin in its namespace',
    edit: (dir) => {
      append(
        dir,
        T,
        rb(NS, 'oops', { kind: 'ClusterRole', name: 'cluster-admin' }, [tenantGroup('aurora-ai')]),
      );
      return { rule: 'GEN-K8S-TEN-008', resource: key('RoleBinding', NS, 'oops'), file: T };
    },
  },
  {
    name: 'bind a tenant ServiceAccount to the built-in admin in its namespace',
    edit: (dir) => {
      append(
        dir,
        T,
        rb(NS, 'oops', { kind: 'ClusterRole', name: 'admin' }, [
          { kind: 'ServiceAccount', name: 'workload', namespace: NS },
        ]),
      );
      return { rule: 'GEN-K8S-TEN-008', resource: key('RoleBinding', NS, 'oops'), file: T };
    },
  },
  {
    name: 'give a tenant an unlabelled namespace of its own with a privileged hostPath Job (binding)',
    edit: (dir) => {
      hiddenNamespace(dir);
      return { rule: 'GEN-K8S-TEN-016', resource: key('RoleBinding', 'aurora-scratch', 'm'), file: T };
    },
  },
  {
    name: 'give a tenant an unlabelled namespace of its own with a privileged hostPath Job (workload)',
    edit: (dir) => {
      hiddenNamespace(dir);
      return { rule: 'GEN-K8S-TEN-002', resource: key('Job', 'aurora-scratch', 'j'), file: T };
    },
  },
  {
    name: 'give a tenant an unlabelled namespace of its own with a privileged hostPath Job (namespace)',
    edit: (dir) => {
      hiddenNamespace(dir);
      return { rule: 'GEN-K8S-TEN-014', resource: key('Namespace', '-', 'aurora-scratch'), file: T };
    },
  },
  {
    name: "bind another tenant's ServiceAccount in a tenant namespace",
    edit: (dir) => {
      append(
        dir,
        T,
        rb(NS, 'x', { kind: 'Role', name: 'genesis-tenant-member' }, [
          { kind: 'ServiceAccount', name: 'workload', namespace: 'tenant-nih-nci' },
        ]),
      );
      return { rule: 'GEN-K8S-TEN-016', resource: key('RoleBinding', NS, 'x'), file: T };
    },
  },
  {
    name: "bind another tenant's group in a tenant namespace",
    edit: (dir) => {
      append(dir, T, rb(NS, 'x', { kind: 'Role', name: 'genesis-tenant-member' }, [tenantGroup('nih-nci')]));
      return { rule: 'GEN-K8S-TEN-016', resource: key('RoleBinding', NS, 'x'), file: T };
    },
  },
  {
    name: 'add an unlabelled hostPath PersistentVolume claimed from a tenant namespace',
    edit: (dir) => {
      append(
        dir,
        T,
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'evil-pv' },
          spec: {
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteOnce'],
            hostPath: { path: '/var/lib/kubelet' },
            claimRef: { namespace: NS, name: 'evil' },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'evil', namespace: NS },
          spec: {
            volumeName: 'evil-pv',
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      );
      return { rule: 'GEN-K8S-TEN-009', resource: key('PersistentVolume', '-', 'evil-pv'), file: T };
    },
  },
  {
    name: 'add a privileged Pod as a .json manifest',
    edit: (dir) => {
      const file = `${GW}/zz-evil.json`;
      fs.writeFileSync(
        path.join(dir, file),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: NS },
          spec: {
            hostNetwork: true,
            containers: [{ name: 'x', image: 'y', securityContext: { privileged: true } }],
          },
        }),
      );
      return { rule: 'GEN-K8S-TEN-002', resource: key('Pod', NS, 'p'), file };
    },
  },
  {
    name: 'add a Pod with an unsafe sysctl, SELinux spc_t, procMount Unmasked and a Windows host process',
    edit: (dir) => {
      append(dir, T, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: NS },
        spec: {
          securityContext: {
            sysctls: [{ name: 'kernel.core_pattern', value: '|/x' }],
            seLinuxOptions: { type: 'spc_t' },
          },
          containers: [
            {
              name: 'm',
              image: 'x',
              securityContext: {
                ...restricted,
                procMount: 'Unmasked',
                windowsOptions: { hostProcess: true },
              },
            },
          ],
        },
      });
      return { rule: 'GEN-K8S-TEN-002', resource: key('Pod', NS, 'p'), file: T };
    },
  },
  {
    name: 'let the container toolkit honour NVIDIA_VISIBLE_DEVICES from unprivileged containers',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        const p = os.find((o) => o.kind === 'ClusterPolicy')!;
        p.spec.toolkit.env = [
          { name: 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED', value: 'true' },
        ];
        delete p.spec.devicePlugin.env;
        return os;
      });
      return {
        rule: 'GEN-K8S-TEN-017',
        resource: key('ClusterPolicy', '-', 'cluster-policy'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: 'set NVIDIA_VISIBLE_DEVICES through envFrom a ConfigMap',
    edit: (dir) => {
      append(
        dir,
        T,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm', namespace: NS },
          data: { NVIDIA_VISIBLE_DEVICES: 'all' },
        },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'j', namespace: NS },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true },
                containers: [
                  {
                    name: 'm',
                    image: 'x',
                    securityContext: restricted,
                    envFrom: [{ configMapRef: { name: 'cm' } }],
                  },
                ],
              },
            },
          },
        },
      );
      return { rule: 'GEN-K8S-TEN-013', resource: key('Job', NS, 'j'), file: T };
    },
  },
  {
    name: 'remove the admission policy on ConfigMap and Secret keys read by envFrom',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) =>
        os.filter(
          (o) =>
            !(
              o.kind === 'ValidatingAdmissionPolicy' &&
              o.metadata.name === 'genesis-deny-gpu-visibility-env-sources'
            ),
        ),
      );
      return {
        rule: 'GEN-K8S-TEN-012',
        resource: 'k8s:govcloud-west/gw-gpu',
        file: 'k8s/govcloud-west/gw-gpu',
      };
    },
  },
  {
    name: 'give the Cohort its own quota of 100 H100 GPUs',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        os.find((o) => o.kind === 'Cohort')!.spec.resourceGroups = [
          {
            coveredResources: ['nvidia.com/gpu'],
            flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 100 }] }],
          },
        ];
        return os;
      });
      return {
        rule: 'GEN-K8S-CAP-001',
        resource: key('ResourceFlavor', '-', 'h100'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: "copy the H100 flavor's nodeLabels onto the L40S flavor",
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        const flavor = (n: string) => os.find((o) => o.kind === 'ResourceFlavor' && o.metadata.name === n)!;
        flavor('l40s').spec.nodeLabels = { ...flavor('h100').spec.nodeLabels };
        return os;
      });
      return {
        rule: 'GEN-K8S-CAP-005',
        resource: key('ResourceFlavor', '-', 'l40s'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: 'remove the capacity annotations of the flavors and raise a quota',
    edit: (dir) => {
      const file = 'k8s/lab-east/le-gpu/cluster.yaml';
      editYaml(path.join(dir, file), (os) => {
        for (const f of os.filter((o) => o.kind === 'ResourceFlavor')) delete f.metadata.annotations;
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-doe-fes')!;
        for (const fl of q.spec.resourceGroups[0].flavors)
          if (fl.name === 'h200')
            fl.resources.find((r: { name: string }) => r.name === 'nvidia.com/gpu').nominalQuota = 512;
        return os;
      });
      return { rule: 'GEN-K8S-CAP-001', resource: 'k8s:lab-east/le-gpu/ResourceFlavor/-/h200', file };
    },
  },
  {
    name: 'raise the recorded capacity of the H100 flavor with the quota of a tenant (EKS)',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        const f = os.find((o) => o.kind === 'ResourceFlavor' && o.metadata.name === 'h100')!;
        f.metadata.annotations['genesis.platform/capacity'] = String(
          f.metadata.annotations['genesis.platform/capacity'],
        ).replace(/nvidia\.com\/gpu=\d+/, 'nvidia.com/gpu=1024');
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-aurora-ai')!;
        q.spec.resourceGroups[0].flavors
          .find((x: { name: string }) => x.name === 'h100')
          .resources.find((r: { name: string }) => r.name === 'nvidia.com/gpu').nominalQuota = 512;
        return os;
      });
      return { rule: 'GEN-X-004', resource: key('ResourceFlavor', '-', 'h100'), file: `${GW}/cluster.yaml` };
    },
  },
  {
    name: 'let a tenant ClusterQueue borrow GPUs without limit',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-aurora-ai')!;
        delete q.spec.resourceGroups[0].flavors[0].resources.find(
          (r: { name: string }) => r.name === 'nvidia.com/gpu',
        ).borrowingLimit;
        return os;
      });
      return {
        rule: 'GEN-K8S-CAP-006',
        resource: key('ClusterQueue', '-', 'tenant-aurora-ai'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: 'move a tenant ClusterQueue to a cohort of its own',
    edit: (dir) => {
      editYaml(path.join(dir, `${GW}/cluster.yaml`), (os) => {
        const q = os.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-aurora-ai')!;
        q.spec.cohortName = 'other';
        return os;
      });
      return {
        rule: 'GEN-K8S-CAP-007',
        resource: key('ClusterQueue', '-', 'tenant-aurora-ai'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: "raise a tenant namespace's GPU ResourceQuota above what its queue grants",
    edit: (dir) => {
      editYaml(path.join(dir, T), (os) => {
        os.find(
          (o) => o.kind === 'ResourceQuota' && o.metadata.name === 'genesis-compute-storage',
        )!.spec.hard['requests.nvidia.com/gpu'] = 200;
        return os;
      });
      return {
        rule: 'GEN-K8S-CAP-002',
        resource: key('ClusterQueue', '-', 'tenant-aurora-ai'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: 'let the tenant Role bind, escalate, impersonate and delete NetworkPolicies',
    edit: (dir) => {
      editYaml(path.join(dir, T), (os) => {
        os.find((o) => o.kind === 'Role')!.rules.push(
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['roles', 'rolebindings'],
            verbs: ['escalate', 'bind', 'create', 'update'],
          },
          { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
          { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] },
        );
        return os;
      });
      return { rule: 'GEN-K8S-TEN-008', resource: key('Role', NS, 'genesis-tenant-member'), file: T };
    },
  },
  {
    name: 'add a privileged PodTemplate to a tenant namespace',
    edit: (dir) => {
      append(dir, T, {
        apiVersion: 'v1',
        kind: 'PodTemplate',
        metadata: { name: 'pt', namespace: NS },
        template: {
          spec: {
            hostNetwork: true,
            containers: [{ name: 'x', image: 'y', securityContext: { privileged: true } }],
          },
        },
      });
      return { rule: 'GEN-K8S-TEN-002', resource: key('PodTemplate', NS, 'pt'), file: T };
    },
  },
  {
    name: 'add a privileged DaemonSet in the default namespace',
    edit: (dir) => {
      append(dir, `${GW}/cluster.yaml`, {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'default' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: {
            metadata: { labels: { a: 'b' } },
            spec: {
              hostPID: true,
              containers: [{ name: 'x', image: 'y', securityContext: { privileged: true } }],
            },
          },
        },
      });
      return {
        rule: 'GEN-K8S-TEN-002',
        resource: key('DaemonSet', 'default', 'agent'),
        file: `${GW}/cluster.yaml`,
      };
    },
  },
  {
    name: 'bind every ServiceAccount of the cluster in a tenant namespace',
    edit: (dir) => {
      append(
        dir,
        T,
        rb(NS, 'all-sas', { kind: 'Role', name: 'genesis-tenant-member' }, [
          { kind: 'Group', name: 'system:serviceaccounts', apiGroup: 'rbac.authorization.k8s.io' },
        ]),
      );
      return { rule: 'GEN-K8S-TEN-016', resource: key('RoleBinding', NS, 'all-sas'), file: T };
    },
  },
];

function hiddenNamespace(dir: string): void {
  append(
    dir,
    T,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aurora-scratch' } },
    rb('aurora-scratch', 'm', { kind: 'ClusterRole', name: 'admin' }, [tenantGroup('aurora-ai')]),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'aurora-scratch' },
      spec: {
        template: {
          spec: {
            hostNetwork: true,
            containers: [{ name: 'x', image: 'y', securityContext: { privileged: true } }],
            volumes: [{ name: 'h', hostPath: { path: '/' } }],
          },
        },
      },
    },
  );
}
