/** `genesis tenant init|validate|plan`: the partner workflow, from spec file to plan. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SPEC, defaultNow, displayName, Id, loadPlatform } from '../../infra/model';
import { tenantTemplate } from '../partner/template';
import { quotaUsage } from '../partner/usage-table';
import { EXIT_OK, parseOptions, UsageError, warn, type Io } from '../usage';
import { loadWithTenant, requireFile } from './tenant-load';
import type { plan as TenantPlan } from './tenant-plan';

export const HELP = `genesis tenant init|validate|plan

  genesis tenant init <id> [--out FILE] [--force] [--spec FILE] [--tenants DIR] [--now DATE]
      Writes a commented tenant spec for <id> (default file: <id>.tenant.yaml), generated from
      the platform: it lists the enclaves, free GPU capacity, storage tiers and datasets.
      Replace its example identity (organisation, agreement, contacts, purposes): validate
      refuses the file until you do.
  genesis tenant validate FILE [--spec FILE] [--tenants DIR] [--now DATE]
      Checks a tenant spec against the platform: schema; that the datasets exist and the tenant
      may receive them (classification, US-person attestation, agreement expiry, reachability);
      that the GPU and storage quota asked for is still free, counting every other tenant.
      A file whose tenant id is already in the platform replaces that tenant (a revision).
  genesis tenant plan FILE [--spec FILE] [--tenants DIR] [--now DATE]
      Validates, then shows what would be created on each target, the quota left, and the
      deploy commands (for the platform team and for the partner), in order.`;

/** Why an id that is taken cannot be initialised, and what to do instead. */
function takenMessage(
  id: string,
  source: string | undefined,
  organisation: string,
  spec: string | undefined,
): string {
  if (source)
    return `tenant "${id}" (${organisation}) already has a tenant file, ${source}: edit that file, then run: npx genesis tenant validate ${source}`;
  const specName = displayName(spec ?? DEFAULT_SPEC);
  return (
    `tenant "${id}" (${organisation}) is already declared in the platform spec ${specName}, not in a tenant file. ` +
    `Choose another id for a new tenant; to revise this one, write a tenant file with id ${id} and the same organisation and kind (it replaces the spec's entry), and check it with: npx genesis tenant validate FILE`
  );
}

function init(args: string[], io: Io): number {
  const { values, positionals } = parseOptions(
    args,
    {
      out: { type: 'string' },
      force: { type: 'boolean' },
      spec: { type: 'string' },
      tenants: { type: 'string' },
      now: { type: 'string' },
    },
    1,
  );
  const id = requireFile(positionals, 'tenant id');
  const valid = Id.safeParse(id);
  if (!valid.success) throw new UsageError(`tenant id "${id}" ${valid.error.issues[0].message}`);
  const now = values.now ?? defaultNow();
  const { platform, tenantSources } = loadPlatform({ spec: values.spec, tenantsDir: values.tenants, now });
  const existing = platform.tenants.find((t) => t.id === id);
  if (existing) throw new UsageError(takenMessage(id, tenantSources[id], existing.organisation, values.spec));
  const out = values.out ?? `${id}.tenant.yaml`;
  if (fs.existsSync(out) && !values.force)
    throw new UsageError(`${out} exists; pass --force to overwrite it`);
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.tmp-${process.pid}`);
  fs.writeFileSync(tmp, tenantTemplate(platform, id, now));
  fs.renameSync(tmp, out);
  io.result?.({ tenant: id, file: out });
  io.out(
    `wrote ${out}; replace its example organisation, agreement, contacts and purposes, then run: npx genesis tenant validate ${out}\n`,
  );
  return EXIT_OK;
}

function validate(args: string[], io: Io): number {
  const { platform, file, tenantId, warnings } = loadWithTenant(args);
  for (const w of warnings) warn(io, w);
  const tenant = platform.tenants.find((t) => t.id === tenantId)!;
  const grants = platform.grants.filter((g) => g.tenant === tenantId);
  io.out(
    `valid: ${file}: tenant ${tenantId} (${tenant.kind}, ${tenant.organisation}), ${grants.length} grant(s)\n`,
  );
  const quota = quotaUsage(platform).filter((u) => u.held[tenantId]);
  for (const u of quota)
    io.out(
      `  ${u.cluster}/${u.pool}: ${u.held[tenantId]} ${u.describe}; ${u.free} of ${u.capacity} left after this tenant\n`,
    );
  io.result?.({
    file,
    tenant: { id: tenantId, kind: tenant.kind, organisation: tenant.organisation },
    grants: grants.length,
    quota: quota.map((u) => ({
      cluster: u.cluster,
      pool: u.pool,
      tenant: u.held[tenantId],
      free: u.free,
      capacity: u.capacity,
    })),
  });
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
      // Loaded on first use: the plan synthesizes both targets and runs the security diff.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./tenant-plan') as { plan: typeof TenantPlan }).plan(rest, io);
    default:
      throw new UsageError(
        sub ? `unknown tenant command "${sub}"` : 'missing tenant command (init, validate or plan)',
      );
  }
}
