/**
 * Who else runs workloads in a tenant's namespace: every Kubernetes subject, other than the
 * tenant's own, whose RBAC lets it create pods or workloads there (and so use the namespace's
 * volumes and quota). A federation manager's group on a worker is one; it is declared when the
 * intent has the tenant opt into that federation and the federation list the worker.
 */
import { MANAGER_GROUP_PREFIX } from '../../../infra/contract';
import { tenantNamespaceIndex } from '../../engine/k8s';
import type { RuleContext } from '../../engine/types';
import { readFederationIntent } from '../federation/intent';
import { rbacGrants, runsPods } from './rbac';
import { accessEntries, subjectTenants } from './tenancy';
import type { Witness } from './types';

export interface Runner {
  /** `<site>/<cluster>`. */
  readonly cluster: string;
  readonly namespace: string;
  /** The tenant whose namespace it is. */
  readonly tenant: string;
  readonly principal: string;
  /** The federation whose manager the subject is, when it is one. */
  readonly federation?: string;
  /** Whether the intent explains it (a federation manager on a worker the tenant opts into). */
  readonly declared: boolean;
  readonly witness: Witness;
}

export function runners(ctx: RuleContext, roleOwners: (arn: unknown) => string[]): Runner[] {
  if (!ctx.artifacts.k8s) return [];
  const index = tenantNamespaceIndex(ctx);
  const entries = accessEntries(ctx);
  const intent = readFederationIntent(ctx.artifacts);
  const out: Runner[] = [];
  for (const g of rbacGrants(ctx)) {
    if (g.namespace === undefined || !(g.unknownRole || runsPods(g.rules))) continue;
    const tenant = index.get(`${g.cluster}|${g.namespace}`);
    if (!tenant) continue;
    if (subjectTenants(ctx, g.cluster, g.subject, entries, roleOwners).includes(tenant)) continue;
    const name = String(g.subject.name);
    const federation = name.startsWith(MANAGER_GROUP_PREFIX)
      ? name.slice(MANAGER_GROUP_PREFIX.length)
      : undefined;
    const worker = g.cluster.slice(g.cluster.indexOf('/') + 1);
    const f = federation ? intent?.federations.find((x) => x.id === federation) : undefined;
    out.push({
      cluster: g.cluster,
      namespace: g.namespace,
      tenant,
      principal: `${String(g.subject.kind)} ${name}`,
      ...(federation ? { federation } : {}),
      declared: !!f && f.workers.includes(worker) && f.tenants.includes(tenant),
      witness: {
        file: g.doc.file,
        resource: `k8s:${g.cluster}/${g.doc.object.kind}/${g.namespace}/${String(g.doc.object.metadata.name)}`,
        policy: 'subjects',
        index: g.index,
        line: g.doc.line,
      },
    });
  }
  const key = (r: Runner) => `${r.cluster}|${r.namespace}|${r.principal}|${r.witness.resource}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
