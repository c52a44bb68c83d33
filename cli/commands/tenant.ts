/** `genesis tenant init|validate|plan`: the partner workflow, from spec file to plan. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Id, loadPlatform, today } from '../../infra/model';
import { planTenant, renderPlan } from '../partner/plan';
import { tenantTemplate } from '../partner/template';
import { quotaUsage } from '../partner/usage-table';
import { EXIT_OK, parseOptions, UsageError, type Io } from '../usage';
import { SPEC_OPTIONS } from './validate';

export const HELP = `genesis tenant init|validate|plan

  genesis tenant init <id> [--out FILE] [--force] [--spec FILE] [--now DATE]
      Writes a commented tenant spec for <id> (default file: <id>.tenant.yaml), generated from
      the platform: it lists the enclaves, free GPU capacity, storage tiers and datasets.
  genesis tenant validate FILE [--spec FILE] [--tenants DIR] [--now DATE]
      Checks a tenant spec against the platform: schema; that the datasets exist and the tenant
      may receive them (classification, US-person attestation, agreement expiry, reachability);
      that the GPU and storage quota asked for is still free, counting every other tenant.
      A file whose tenant id is already in the platform replaces that tenant (a revision).
  genesis tenant plan FILE [--spec FILE] [--tenants DIR] [--now DATE] [--json]
      Validates, then shows what would be created on each target and the quota left.`;

function requireFile(positionals: string[], what: string): string {
  const file = positionals[0];
  if (!file) throw new UsageError(`missing ${what}`);
  return file;
}

function init(args: string[], io: Io): number {
  const { values, positionals } = parseOptions(
    args,
    { out: { type: 'string' }, force: { type: 'boolean' }, spec: { type: 'string' }, now: { type: 'string' } },
    1,
  );
  const id = requireFile(positionals, 'tenant id');
  const valid = Id.safeParse(id);
  if (!valid.success) throw new UsageError(`tenant id "${id}" ${valid.error.issues[0].message}`);
  const now = values.now ?? today();
  const { platform } = loadPlatform({ spec: values.spec, now });
  if (platform.tenants.some((t) => t.id === id)) throw new UsageError(`tenant "${id}" already exists in the platform; edit its spec instead`);
  const out = values.out ?? `${id}.tenant.yaml`;
  if (fs.existsSync(out) && !values.force) throw new UsageError(`${out} exists; pass --force to overwrite it`);
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.tmp-${process.pid}`);
  fs.writeFileSync(tmp, tenantTemplate(platform, id, now));
  fs.renameSync(tmp, out);
  io.out(`wrote ${out}; edit it, then run: npx genesis tenant validate ${out}\n`);
  return EXIT_OK;
}

function loadWithTenant(args: string[], extra: Record<string, { type: 'boolean' }> = {}) {
  const { values, positionals } = parseOptions(args, { ...SPEC_OPTIONS, ...extra }, 1);
  const file = requireFile(positionals, 'tenant spec file');
  const { platform, tenantFileId } = loadPlatform({ spec: values.spec, tenantsDir: values.tenants, tenantFile: file, now: values.now });
  if (!tenantFileId) throw new Error(`${file} declared no tenant`);
  return { platform, file, tenantId: tenantFileId, values: values as Record<string, unknown> };
}

function validate(args: string[], io: Io): number {
  const { platform, file, tenantId } = loadWithTenant(args);
  const tenant = platform.tenants.find((t) => t.id === tenantId)!;
  const grants = platform.grants.filter((g) => g.tenant === tenantId);
  io.out(`valid: ${file}: tenant ${tenantId} (${tenant.kind}, ${tenant.organisation}), ${grants.length} grant(s)\n`);
  for (const u of quotaUsage(platform)) {
    const mine = u.held[tenantId];
    if (mine) io.out(`  ${u.cluster}/${u.pool}: ${mine} ${u.describe}; ${u.free} of ${u.capacity} left after this tenant\n`);
  }
  return EXIT_OK;
}

function plan(args: string[], io: Io): number {
  const { platform, tenantId, values } = loadWithTenant(args, { json: { type: 'boolean' } });
  const before = loadPlatform({
    spec: values.spec as string | undefined,
    tenantsDir: values.tenants as string | undefined,
    now: values.now as string | undefined,
  }).platform;
  const result = planTenant(before, platform, tenantId);
  io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderPlan(result));
  return EXIT_OK;
}

export async function run(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'init':
      return init(rest, io);
    case 'validate':
      return validate(rest, io);
    case 'plan':
      return plan(rest, io);
    default:
      throw new UsageError(sub ? `unknown tenant command "${sub}"` : 'missing tenant command (init, validate or plan)');
  }
}
