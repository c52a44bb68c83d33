/** `genesis tenant plan`: what a tenant's file changes on each target, and the deploy steps. */
import { loadPlatform, type ParseCache } from '../../infra/model';
import { deploySteps, renderDeploySteps } from '../partner/deploy';
import { planTenant, renderPlan } from '../partner/plan';
import { startValidatorThread } from '../../stacks/aws/cfn-validation';
import { EXIT_OK, warn, type Io } from '../usage';
import { loadWithTenant } from './tenant-load';

/** The platform with the tenant's file and without it (the same spec file, parsed once). */
function loadBothSides(args: string[]) {
  const parsed: ParseCache = new Map();
  const loaded = loadWithTenant(args, {}, parsed);
  const { values, file } = loaded;
  // Before: the platform without this file, also when the file is already in the tenants folder.
  const before = loadPlatform({
    parsed,
    spec: values.spec,
    tenantsDir: values.tenants,
    now: values.now,
    withoutFile: file,
  }).platform;
  return { ...loaded, before };
}

export function plan(args: string[], io: Io): number {
  // The CloudFormation validator's engine gets ready while both platforms load (cfn-validation.ts).
  startValidatorThread();
  const { platform, before, tenantId, values, file, warnings } = loadBothSides(args);
  for (const w of warnings) warn(io, w);
  const result = planTenant(before, platform, tenantId, { tenant: tenantId }, values.now);
  const deploy = deploySteps(result, { file, tenantsDir: values.tenants, spec: values.spec });
  io.result?.({ ...result, deploy });
  io.out(`${renderPlan(result)}\n${renderDeploySteps(deploy)}`);
  return EXIT_OK;
}
