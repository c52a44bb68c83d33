import { defineRule } from '../../engine/rule-kit';
import { cfnResources, tagsOf } from '../../engine/cfn/template';
import { rolesByName } from '../../engine/iam';
import {
  annotations,
  clusters,
  k8sDocs,
  refOf,
  ROLE_ARN_ANNOTATION,
  tenantNamespaceIndex,
  tenantOfDoc,
} from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import {
  cfn,
  exNamespace,
  k8s,
  labelledNamespace,
  merge,
  podIdentityAssociation,
  tenantRole,
} from '../../examples/builders';
import { TAG } from '../../../infra/contract';

const sa = (ns: string, roleName: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    name: 'workload',
    namespace: ns,
    annotations: { [ROLE_ARN_ANNOTATION]: `arn:aws-us-gov:iam::111122223333:role/${roleName}` },
  },
});
const ARN = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/;

export default defineRule({
  id: 'GEN-X-001',
  title: "A tenant ServiceAccount's IAM role is its own tenant's data role",
  pack: 'cross-target',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'IA-9'],
  rationale:
    "A ServiceAccount is mapped to an IAM role on the Kubernetes side (the IRSA annotation eks.amazonaws.com/role-arn) or on the AWS side (an EKS Pod Identity association naming cluster, namespace and service account). Either way the namespace's tenant, as the manifests declare it, must be the tenant of the role, as the assembly tags it: a mapping from tenant a's namespace to tenant b's role would give tenant a data it was never granted. The two targets are synthesized separately, so only a check across both artifacts sees the join.",
  remediation:
    "Map the ServiceAccount of namespace tenant-<id> only to genesis-<id>-data, the role tagged genesis:tenant <id>: fix the Pod Identity association's RoleArn or Namespace, or the ServiceAccount's annotation.",
  *check(ctx) {
    // AWS side: Pod Identity associations, judged against the namespaces of the manifests of
    // the same cluster (EKS cluster name = the cluster folder of k8s/<site>/<cluster>).
    const tenantsByNamespace = tenantNamespaceIndex(ctx);
    const siteOf = new Map(clusters(ctx).map(([site, cluster]) => [cluster, site]));
    const roles = rolesByName(ctx);
    for (const a of cfnResources(ctx, 'AWS::EKS::PodIdentityAssociation')) {
      const { ClusterName: cluster, Namespace: ns, RoleArn: arn } = a.props;
      if (typeof cluster !== 'string' || typeof ns !== 'string' || !siteOf.has(cluster)) continue; // no manifests of that cluster to compare with
      const role = typeof arn === 'string' ? roles.get(arn) : undefined;
      if (!role) {
        yield {
          resource: a.ref,
          status: 'unknown',
          message: `could not decide: the association's role ${JSON.stringify(arn)} is not declared in the assembly`,
        };
        continue;
      }
      const roleTenant = tagsOf(role.props).get(TAG.tenant);
      const nsTenant = tenantsByNamespace.get(`${siteOf.get(cluster)}/${cluster}|${ns}`);
      if (nsTenant === undefined && typeof roleTenant === 'string') {
        yield {
          resource: a.ref,
          status: 'fail',
          message: `maps namespace ${ns} of cluster ${cluster}, which the manifests give to no tenant, to the role of tenant ${roleTenant}`,
        };
      } else if (nsTenant !== undefined && roleTenant !== nsTenant) {
        yield {
          resource: a.ref,
          status: 'fail',
          message: `maps namespace ${ns} of cluster ${cluster}, which the manifests give to tenant ${nsTenant}, to role ${role.logicalId} of tenant ${String(roleTenant ?? '(none)')}`,
        };
      }
    }
    // Kubernetes side: IRSA annotations.
    const index = tenantsByNamespace;
    for (const d of k8sDocs(ctx, 'ServiceAccount')) {
      const arn = annotations(d.object)[ROLE_ARN_ANNOTATION];
      if (arn === undefined) continue;
      const tenant = tenantOfDoc(index, d);
      const role = roles.get(arn) ?? roles.get(ARN.exec(arn)?.[1] ?? '');
      const roleTenant = role ? tagsOf(role.props).get(TAG.tenant) : undefined;
      if (tenant === undefined) {
        if (typeof roleTenant === 'string')
          yield {
            resource: refOf(d),
            status: 'fail',
            message: `ServiceAccount outside tenant namespaces uses the role of tenant ${roleTenant}`,
          };
        continue;
      }
      const name = ARN.exec(arn)?.[1];
      if (name !== `genesis-${tenant}-data`)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `ServiceAccount of tenant ${tenant} names role ${name ?? arn}, not genesis-${tenant}-data`,
        };
      else if (!role)
        yield {
          resource: refOf(d),
          status: 'unknown',
          message: `could not decide: role ${arn} is not declared in the cloud assembly`,
        };
      else if (roleTenant !== tenant)
        yield {
          resource: refOf(d),
          status: 'fail',
          message: `role ${arn} is tagged for tenant ${String(roleTenant ?? '(none)')}, not ${tenant}`,
        };
    }
  },
  examples: [
    {
      name: 'a tenant ServiceAccount annotated with its own data role',
      artifacts: merge(
        cfn({ Role: tenantRole('acme') }, 'Tenant-acme'),
        k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-acme-data')]),
      ),
      expect: { fires: false },
    },
    {
      name: "a Pod Identity association of the tenant's namespace with its role",
      artifacts: merge(
        cfn(
          { Role: tenantRole('acme'), Assoc: podIdentityAssociation('tenant-acme', 'Role', 'cluster-a') },
          'Tenant-acme',
        ),
        k8s([exNamespace('acme')]),
      ),
      expect: { fires: false },
    },
    // The namespace is acme's by its label alone; the association hands it other's role.
    {
      name: "a namespace of one tenant associated with another tenant's role",
      artifacts: merge(
        cfn({ Role: tenantRole('acme') }, 'Tenant-acme'),
        cfn(
          { Other: tenantRole('other'), Assoc: podIdentityAssociation('research', 'Other', 'cluster-a') },
          'Tenant-other',
        ),
        k8s([labelledNamespace('research', 'acme')]),
      ),
      expect: {
        fires: true,
        message: /maps namespace research of cluster cluster-a, which the manifests give to tenant acme, to/,
      },
    },
    // A namespace of no tenant mapped to a tenant's role.
    {
      name: "a namespace of no tenant associated with a tenant's role",
      artifacts: merge(
        cfn(
          { Role: tenantRole('acme'), Assoc: podIdentityAssociation('kube-system', 'Role', 'cluster-a') },
          'Tenant-acme',
        ),
        k8s([exNamespace('acme')]),
      ),
      expect: {
        fires: true,
        message: /maps namespace kube-system of cluster cluster-a, which the manifests give to no tenant,/,
      },
    },
    {
      name: "a ServiceAccount annotated with another tenant's role",
      artifacts: merge(
        cfn({ Role: tenantRole('acme') }, 'Tenant-acme'),
        cfn({ Role: tenantRole('other') }, 'Tenant-other'),
        k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-other-data')]),
      ),
      expect: {
        fires: true,
        message: /ServiceAccount of tenant acme names role genesis-other-data, not genesis-acme-data/,
      },
    },
    {
      name: 'a role named for the tenant but tagged for another',
      artifacts: merge(
        cfn({ Role: tenantRole('other', { RoleName: 'genesis-acme-data' }) }, 'Tenant-other'),
        k8s([exNamespace('acme'), sa('tenant-acme', 'genesis-acme-data')]),
      ),
      expect: {
        fires: true,
        message: /role arn:aws-us-gov:iam::111122223333:role\/genesis-acme-data is tagged for tenant other,/,
      },
    },
  ],
});
