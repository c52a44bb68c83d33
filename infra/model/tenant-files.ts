/**
 * Partner tenant files and how they join a platform spec. One rule for every command (`validate`,
 * `synth`, `tenant validate|plan`, the CDK and cdk8s apps): a file whose tenant is already in the
 * spec is a revision of that tenant and replaces it, with its grants; it may change quotas,
 * grants, contacts and the agreement, but not who the tenant is (organisation, kind). A tenant
 * file given on its own (`tenant validate FILE`) also replaces a folder file of the same tenant.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IssuePath } from './checks';
import { TenantSpec } from './platform';
import { TEMPLATE_PLACEHOLDERS } from './placeholders';
import type { SpecProblem } from './problems';
import { describeFsError, displayName, parseFile, problem, type ParsedFile } from './spec-file';
import { zodProblems } from './zod-problems';

type RawTenant = { id: string; organisation?: string; kind?: string } & Record<string, unknown>;
type RawGrant = Record<string, unknown>;

export interface TenantFile {
  readonly file: string;
  readonly parsed: ParsedFile;
  readonly tenant: RawTenant;
  readonly grants: readonly RawGrant[];
}

/** Where a merged platform element came from. */
export interface Origin {
  readonly parsed: ParsedFile;
  /** Maps the path below the element to the path in the origin file. */
  readonly map: (rest: IssuePath) => IssuePath;
}

export interface MergedTenants {
  /** The spec's tenants and grants less the revised ones, then those of the files. */
  readonly tenants: unknown[];
  readonly grants: unknown[];
  /** Index in the spec file of each kept spec tenant and grant. */
  readonly specIndex: { readonly tenants: number[]; readonly grants: number[] };
  /** Origin of each element after the spec's own, by its index in the merged list. */
  readonly tenantOrigins: ReadonlyMap<number, Origin>;
  readonly grantOrigins: ReadonlyMap<number, Origin>;
}

/** The tenant files of a folder (`*.yaml`, `*.yml`, `*.json`), sorted, then the explicit file. */
export function listTenantFiles(
  tenantsDir: string | undefined,
  explicit: string | undefined,
  problems: SpecProblem[],
): string[] {
  const files: string[] = [];
  if (tenantsDir) {
    const dir = path.resolve(tenantsDir);
    try {
      files.push(
        ...fs
          .readdirSync(dir)
          .filter((f) => /\.(ya?ml|json)$/i.test(f))
          .sort()
          .map((e) => path.join(dir, e)),
      );
    } catch (e) {
      problems.push({ file: displayName(dir), path: '(folder)', message: describeFsError(e, 'folder') });
    }
  }
  if (explicit && !files.includes(explicit)) files.push(explicit);
  return files;
}

/** Template values that a partner must replace before the file means anything. */
function placeholderProblems(parsed: ParsedFile, spec: TenantSpec): SpecProblem[] {
  const out: SpecProblem[] = [];
  const flag = (p: IssuePath, value: string): void => {
    out.push(problem(parsed, p, `"${value}" is the template's placeholder; write your own`));
  };
  if (spec.tenant.organisation === TEMPLATE_PLACEHOLDERS.organisation)
    flag(['tenant', 'organisation'], spec.tenant.organisation);
  if (spec.tenant.agreement.id === TEMPLATE_PLACEHOLDERS.agreementId)
    flag(['tenant', 'agreement', 'id'], spec.tenant.agreement.id);
  spec.tenant.contacts.forEach((c, i) => {
    if ((TEMPLATE_PLACEHOLDERS.emails as readonly string[]).includes(c.email))
      flag(['tenant', 'contacts', i, 'email'], c.email);
    if ((TEMPLATE_PLACEHOLDERS.names as readonly string[]).includes(c.name))
      flag(['tenant', 'contacts', i, 'name'], c.name);
  });
  spec.grants.forEach((g, i) => {
    if (g.purpose === TEMPLATE_PLACEHOLDERS.purpose) flag(['grants', i, 'purpose'], g.purpose);
  });
  return out;
}

/** Reads and checks each tenant file on its own, so that its problems name it. */
export function readTenantFiles(files: readonly string[], problems: SpecProblem[]): TenantFile[] {
  const out: TenantFile[] = [];
  for (const file of files) {
    const parsed = parseFile(file, problems);
    if (!parsed) continue;
    const data = parsed.data as Record<string, unknown> | null;
    const kind = data && typeof data === 'object' && !Array.isArray(data) ? data.kind : undefined;
    if (kind !== undefined && kind !== 'Tenant') {
      problems.push(
        problem(
          parsed,
          ['kind'],
          `is "${String(kind)}": this file is not a tenant file (kind: Tenant), and a tenants folder holds only those`,
        ),
      );
      continue;
    }
    const result = TenantSpec.safeParse(parsed.data, { reportInput: true });
    if (!result.success) {
      problems.push(...zodProblems(parsed, result.error));
      continue;
    }
    const placeholders = placeholderProblems(parsed, result.data);
    if (placeholders.length > 0) {
      problems.push(...placeholders);
      continue;
    }
    const raw = parsed.data as { tenant: RawTenant; grants?: RawGrant[] };
    out.push({ file, parsed, tenant: raw.tenant, grants: raw.grants ?? [] });
  }
  return out;
}

/** The files that take part: a file given on its own replaces folder files of its tenant. */
function effectiveFiles(files: readonly TenantFile[], explicit: string | undefined): TenantFile[] {
  const revision = files.find((f) => f.file === explicit);
  if (!revision) return [...files];
  return files.filter((f) => f === revision || f.tenant.id !== revision.tenant.id);
}

function identityProblems(file: TenantFile, prior: Record<string, unknown>): SpecProblem[] {
  const id = file.tenant.id;
  return (['organisation', 'kind'] as const)
    .filter((key) => prior[key] !== file.tenant[key])
    .map((key) =>
      problem(
        file.parsed,
        ['tenant', key],
        `tenant "${id}" is ${String(prior.organisation)} (${String(prior.kind)}); a revision cannot change its ${key} — choose a new tenant id`,
      ),
    );
}

/**
 * Joins tenant files to the spec's tenants and grants. A file for a tenant of the spec replaces
 * it; a second file of the same tenant is a duplicate (one problem, and left out). The identity
 * of a revised tenant is checked against the tenant it replaces.
 */
export function mergeTenantFiles(
  spec: { tenants?: unknown; grants?: unknown },
  all: readonly TenantFile[],
  explicit: string | undefined,
  problems: SpecProblem[],
): MergedTenants {
  const files = effectiveFiles(all, explicit);
  const specTenants = Array.isArray(spec.tenants) ? (spec.tenants as unknown[]) : [];
  const specGrants = Array.isArray(spec.grants) ? (spec.grants as unknown[]) : [];
  const field = (x: unknown, key: string): unknown =>
    x && typeof x === 'object' ? (x as Record<string, unknown>)[key] : undefined;
  const revised = new Set<string>();
  const seen = new Map<string, TenantFile>();
  const duplicates = new Set<TenantFile>();
  for (const f of files) {
    const id = f.tenant.id;
    const first = seen.get(id);
    if (first) {
      // One problem, and the file is left out: its quota and grants would only repeat it.
      problems.push(
        problem(
          f.parsed,
          ['tenant', 'id'],
          `duplicate tenant "${id}": ${first.parsed.file} already declares it; a tenants folder holds one file per tenant`,
        ),
      );
      duplicates.add(f);
      continue;
    }
    seen.set(id, f);
    // A folder file of the tenant that an explicit file revises: its identity counts too.
    const prior =
      specTenants.find((t) => field(t, 'id') === id) ??
      all.find((o) => o.tenant.id === id && o !== f && !files.includes(o))?.tenant;
    if (prior && typeof prior === 'object')
      problems.push(...identityProblems(f, prior as Record<string, unknown>));
    if (specTenants.some((t) => field(t, 'id') === id)) revised.add(id);
  }
  const keptTenants = specTenants
    .map((t, i) => [t, i] as const)
    .filter(([t]) => !revised.has(String(field(t, 'id'))));
  const keptGrants = specGrants
    .map((g, i) => [g, i] as const)
    .filter(([g]) => !revised.has(String(field(g, 'tenant'))));
  const tenants: unknown[] = keptTenants.map(([t]) => t);
  const grants: unknown[] = keptGrants.map(([g]) => g);
  const tenantOrigins = new Map<number, Origin>();
  const grantOrigins = new Map<number, Origin>();
  for (const f of files.filter((x) => !duplicates.has(x))) {
    tenantOrigins.set(tenants.length, { parsed: f.parsed, map: (rest) => ['tenant', ...rest] });
    tenants.push(f.tenant);
    f.grants.forEach((g, j) => {
      grantOrigins.set(grants.length, {
        parsed: f.parsed,
        map: (rest) => (rest[0] === 'tenant' ? ['tenant', 'id'] : ['grants', j, ...rest]),
      });
      grants.push({ tenant: f.tenant.id, ...g });
    });
  }
  return {
    tenants,
    grants,
    specIndex: { tenants: keptTenants.map(([, i]) => i), grants: keptGrants.map(([, i]) => i) },
    tenantOrigins,
    grantOrigins,
  };
}
