import { defineRule, principalsOf } from '../../engine/rule-kit';
import { undecided } from '../../engine/cfn/template';
import { containsUnknown, isUnknown } from '../../engine/cfn/resolve';
import { conditionEntries, statementsOf, strings, unknownIn } from '../../engine/iam';
import { tenantRoles } from '../../engine/tenants';
import { cfn, tenantRole } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-IAM-007',
  title: "Tenant roles can be assumed only from their tenant's namespace",
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-3', 'AC-4', 'IA-9', 'SC-4'],
  rationale:
    "A tenant's data role must not be usable by workloads of another tenant sharing the cluster: its trust must pin the Kubernetes namespace tenant-<id> (EKS Pod Identity session tag, or the IRSA OIDC sub claim).",
  remediation:
    'For Pod Identity add StringEquals aws:RequestTag/kubernetes-namespace: tenant-<id>; for IRSA add StringEquals <issuer>:sub: system:serviceaccount:tenant-<id>:<serviceaccount> to each Allow statement of the trust policy.',
  *check(ctx) {
    for (const { role, tenant } of tenantRoles(ctx)) {
      const ss = statementsOf(role.props.AssumeRolePolicyDocument);
      if (isUnknown(ss)) {
        yield undecided(role.ref, 'the trust policy', ss);
        continue;
      }
      const ns = `tenant-${tenant}`;
      for (const s of ss) {
        const u = unknownIn(s, ['Effect', 'Principal', 'Condition']);
        if (u) {
          yield undecided(role.ref, 'a statement of the trust policy', u);
          continue;
        }
        if (s.Effect !== 'Allow') continue;
        // Only workload trust is judged here (Pod Identity, or IRSA web identity); trust of people
        // (e.g. a members role assumed by principals tagged with the tenant) is GEN-AWS-IAM-005's.
        const podIdentity = principalsOf(s).service.includes('pods.eks.amazonaws.com');
        const webIdentity = principalsOf(s).federated.some((f) => f.includes(':oidc-provider/'));
        if (!podIdentity && !webIdentity) continue;
        const exact = conditionEntries(s).filter((c) => c.operator === 'StringEquals');
        const pinned = podIdentity
          ? exact.some(
              (c) =>
                c.key === 'aws:requesttag/kubernetes-namespace' &&
                strings(c.value).length > 0 &&
                strings(c.value).every((v) => v === ns),
            )
          : exact.some(
              (c) =>
                c.key.endsWith(':sub') &&
                strings(c.value).length > 0 &&
                strings(c.value).every((v) => v.startsWith(`system:serviceaccount:${ns}:`)),
            );
        if (!pinned && containsUnknown(s.Condition))
          yield undecided(role.ref, `whether the trust pins namespace ${ns}`, s.Condition);
        else if (!pinned)
          yield {
            resource: role.ref,
            status: 'fail',
            message: `trust of tenant ${tenant}'s role does not pin namespace ${ns}`,
          };
      }
    }
  },
  examples: [
    {
      name: 'a tenant role trusted from its own namespace by Pod Identity',
      artifacts: cfn({ Role: tenantRole('acme') }),
      expect: { fires: false },
    },
    {
      name: 'a members role trusted from the account for principals tagged with the tenant',
      artifacts: cfn({
        Members: tenantRole('acme', {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:PrincipalTag/genesis:tenant': 'acme' } },
              },
            ],
          },
        }),
      }),
      expect: { fires: false },
    },
    {
      name: "a Pod Identity trust that pins another tenant's namespace",
      artifacts: cfn({
        Role: tenantRole('acme', {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'pods.eks.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'tenant-other' } },
              },
            ],
          },
        }),
      }),
      expect: { fires: true, message: /trust of tenant acme's role does not pin namespace tenant-acme/ },
    },
    {
      name: 'an OIDC trust of any namespace',
      artifacts: cfn({
        Role: tenantRole('acme', {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks' },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringLike: { 'oidc.eks:sub': 'system:serviceaccount:*:workload' } },
              },
            ],
          },
        }),
      }),
      expect: { fires: true, message: /trust of tenant acme's role does not pin namespace tenant-acme/ },
    },
  ],
});
