/** Tenant roles on the AWS side: IAM roles tagged genesis:tenant. */
import { cfnResources, tagsOf, type CfnItem } from './cfn/template';
import { TAG } from './rule-kit';
import type { RuleContext } from './types';

/** The data role of each tenant: tagged with the tenant and named genesis-<tenant>-data. */
export function tenantDataRoles(ctx: RuleContext): Array<{ role: CfnItem; tenant: string }> {
  return tenantRoles(ctx).filter(({ role, tenant }) => role.props.RoleName === `genesis-${tenant}-data`);
}

/**
 * What says a role belongs to a tenant: its genesis:tenant tag, its name (genesis-<tenant>-data or
 * -members) and its stack (Tenant-<tenant>). Any one is enough for the tenant rules to apply, so
 * that dropping the tag does not take a role out of their reach; GEN-AWS-IAM-010 checks they agree.
 */
export function tenantEvidence(role: CfnItem): { tag?: string; name?: string; stack?: string } {
  const tag = tagsOf(role.props).get(TAG.tenant);
  const name =
    typeof role.props.RoleName === 'string'
      ? /^genesis-(.+)-(data|members)$/.exec(role.props.RoleName)?.[1]
      : undefined;
  const stack = /^Tenant-(.+)$/.exec(role.stack.stackName)?.[1];
  return { tag: typeof tag === 'string' ? tag : undefined, name, stack };
}

export function tenantRoles(ctx: RuleContext): Array<{ role: CfnItem; tenant: string }> {
  const out: Array<{ role: CfnItem; tenant: string }> = [];
  for (const role of cfnResources(ctx, 'AWS::IAM::Role')) {
    const e = tenantEvidence(role);
    const t = e.tag ?? e.name ?? e.stack;
    if (t !== undefined) out.push({ role, tenant: t });
  }
  return out;
}
