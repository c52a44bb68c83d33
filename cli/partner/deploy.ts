/**
 * The deploy steps that `genesis tenant plan` prints: commands that work as printed. The CDK app
 * sees a partner file only through its tenants folder (`-c tenants=DIR`), and `cdk deploy
 * Tenant-<id>` would also deploy the site stack it depends on unless `--exclusively` is given; a
 * site stack the plan changes is the platform team's to deploy first.
 */
import * as path from 'node:path';
import { partnerStackName, tenantStackName } from '../../infra/contract/names';
import type { TenantPlan } from './plan';

export interface DeployStep {
  /** Who runs it: the platform team (site stacks, cluster baseline) or the partner. */
  readonly who: 'platform team' | 'partner';
  readonly what: string;
  readonly command: string;
}

export interface DeployContext {
  /** The tenant file, as given. */
  readonly file: string;
  /** The tenants folder given with --tenants, if any. */
  readonly tenantsDir?: string;
  /** The platform spec given with --spec, if any. */
  readonly spec?: string;
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The folder the CDK app must read the file from: --tenants when the file is in it. */
function tenantsFolder(ctx: DeployContext): { dir: string; copy?: string } {
  const dir = ctx.tenantsDir ?? 'partners';
  const inside =
    ctx.tenantsDir !== undefined && path.resolve(path.dirname(ctx.file)) === path.resolve(ctx.tenantsDir);
  return inside ? { dir } : { dir, copy: `mkdir -p ${quote(dir)} && cp ${quote(ctx.file)} ${quote(dir)}/` };
}

export function deploySteps(plan: TenantPlan, ctx: DeployContext): DeployStep[] {
  const { dir, copy } = tenantsFolder(ctx);
  const context = `-c tenants=${quote(dir)}${ctx.spec ? ` -c spec=${quote(ctx.spec)}` : ''}`;
  const steps: DeployStep[] = [];
  if (copy)
    steps.push({
      who: 'platform team',
      what: `add the file to the platform's tenants folder`,
      command: copy,
    });
  const stack = tenantStackName(plan.tenant);
  for (const a of plan.aws.filter((x) => x.artifact !== stack)) {
    steps.push({
      who: 'platform team',
      what: `deploy the site stack the tenant changes (${a.status})`,
      command: `npx cdk deploy ${a.artifact} --exclusively ${context}`,
    });
  }
  if (plan.aws.some((a) => a.artifact === stack)) {
    steps.push({
      who: 'partner',
      what: 'deploy the tenant stack only (--exclusively: not the site stack it depends on)',
      command: `npx cdk deploy ${stack} --exclusively ${context}`,
    });
  }
  for (const c of plan.contributed) {
    const stack = partnerStackName(c.site);
    if (c.managers.some((m) => m.resources.some((r) => r.type === 'AWS::RAM::ResourceShare')))
      steps.push({
        who: 'partner',
        what: `once ${c.managers.map((m) => m.stack).join(', ')} is deployed, and unless your account ${c.account} and the platform's are in one AWS Organization that shares with RAM: accept the share of the transit gateway and of the parameter holding its id, which your stack attaches to`,
        command: `aws ram get-resource-share-invitations --region ${c.region}, then aws ram accept-resource-share-invitation --region ${c.region} --resource-share-invitation-arn <the invitation's ARN>`,
      });
    steps.push({
      who: 'partner',
      what: `deploy your site ${c.site} in your own account ${c.account} (${c.region}) with that account's credentials, once the platform team has deployed ${c.managers.map((m) => m.stack).join(', ') || 'the manager'} (IAM refuses a trust policy naming a role that does not exist yet)`,
      command: `npx cdk deploy ${stack} --exclusively -c stacks=${stack}${ctx.spec ? ` -c spec=${quote(ctx.spec)}` : ''}`,
    });
  }
  const manifests = plan.k8s.filter(
    (a) => /\/tenant-[^/]+\.yaml$/.test(a.artifact) && a.artifact.endsWith(`/tenant-${plan.tenant}.yaml`),
  );
  for (const a of plan.k8s.filter((x) => !manifests.includes(x))) {
    steps.push({
      who: 'platform team',
      what: `update the cluster baseline (${a.artifact})`,
      command: `npx genesis synth --tenants ${quote(dir)}${ctx.spec ? ` --spec ${quote(ctx.spec)}` : ''}, then deploy the cluster's baseline stack (pulumi up) or apply dist/k8s/${a.artifact}`,
    });
  }
  for (const a of manifests) {
    steps.push({
      who: 'partner',
      what: 'apply the tenant objects',
      command: `pulumi up in the tenant's Pulumi stack (see README "For partners"), or kubectl apply -f dist/k8s/${a.artifact}`,
    });
  }
  return steps;
}

export function renderDeploySteps(steps: readonly DeployStep[]): string {
  if (steps.length === 0) return 'Deploy\n  nothing to deploy\n';
  return `Deploy, in this order\n${steps.map((s, i) => `  ${i + 1}. ${s.who}: ${s.what}\n     ${s.command}\n`).join('')}`;
}
