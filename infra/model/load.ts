/**
 * Loading spec files: a whole platform in one YAML or JSON file, plus optional partner tenant
 * files in a folder. Every problem in every file is collected and reported with its file, path
 * and line; nothing is returned unless the merged platform is valid. Expired grants are warnings:
 * they give no access, so they are left out of the platform that is returned.
 */
import * as path from 'node:path';
import { crossCheck, type IssuePath, type ModelIssue } from './checks';
import type { Grant } from './grants';
import { Platform, API_VERSION } from './platform';
import { describeZodIssue, formatPath, SpecError, type SpecProblem } from './problems';
import { isValidIsoDate } from './primitives';
import { parseFile, problem, type ParseCache, type ParsedFile } from './spec-file';
import { listTenantFiles, mergeTenantFiles, readTenantFiles, type MergedTenants } from './tenant-files';
import { describeZodIssues } from './zod-problems';

/** The embedded default platform. */
export const DEFAULT_SPEC = path.resolve(__dirname, '..', 'default', 'platform.yaml');

export interface LoadOptions {
  /** Platform spec file; the embedded default when omitted. */
  readonly spec?: string;
  /** Folder of partner tenant files (`*.yaml`, `*.yml`, `*.json`). */
  readonly tenantsDir?: string;
  /** Date that grants and agreements are judged against (YYYY-MM-DD); today (UTC) by default. */
  readonly now?: string;
  /**
   * One more partner tenant file, merged after the folder. Like every tenant file it replaces a
   * tenant of the same id (and that tenant's grants); it also replaces a folder file of that
   * tenant: a partner revising its own spec.
   */
  readonly tenantFile?: string;
  /** A file of the tenants folder to leave out (the platform before a tenant file, for plans). */
  readonly withoutFile?: string;
  /** Parses to reuse and keep, shared by the loads of one command (spec-file.ts). */
  readonly parsed?: ParseCache;
}

export interface LoadedPlatform {
  readonly platform: Platform;
  /** Files that were read, in the order they were merged. */
  readonly files: readonly string[];
  /** The id of the tenant that `tenantFile` declared. */
  readonly tenantFileId?: string;
  /** Problems that do not make the platform invalid (expired grants, left out of `platform`). */
  readonly warnings: readonly SpecProblem[];
  /** The grants that had expired on `now`, left out of `platform` (for reports that list them). */
  readonly expiredGrants: readonly Grant[];
  /** Tenant id -> the tenant file it came from (as displayed), for tenants not of the spec file. */
  readonly tenantSources: Readonly<Record<string, string>>;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The date to judge against when none is given: $GENESIS_NOW when set (as the CDK apps read it), else today. */
export function defaultNow(): string {
  return process.env.GENESIS_NOW || today();
}

/** The grants that still give access on `now` (the last day of a grant is included). */
export function withoutExpiredGrants(platform: Platform, now: string): Platform {
  return platform.grants.every((g) => g.expires >= now)
    ? platform
    : { ...platform, grants: platform.grants.filter((g) => g.expires >= now) };
}

function checkedNow(now: string | undefined): string {
  const value = now ?? defaultNow();
  if (!isValidIsoDate(value))
    throw new SpecError([
      { file: '(command line)', path: '--now', message: `"${value}" must be a date written YYYY-MM-DD` },
    ]);
  return value;
}

/** The spec file as a mapping to merge tenant files into. */
function readSpec(
  specFile: string,
  problems: SpecProblem[],
  cache?: ParseCache,
): { main?: ParsedFile; raw?: Record<string, unknown> } {
  const main = parseFile(specFile, problems, cache);
  if (!main) return {};
  if (main.data === null || typeof main.data !== 'object' || Array.isArray(main.data)) {
    problems.push(problem(main, [], 'must be a mapping with apiVersion, kind, metadata, sites, ...'));
    return { main };
  }
  return { main, raw: { ...(main.data as Record<string, unknown>) } };
}

/** Maps a path in the merged platform back to the file and path it came from. */
function locator(main: ParsedFile, merged: MergedTenants): (p: IssuePath, message: string) => SpecProblem {
  const base = { tenants: merged.specIndex.tenants.length, grants: merged.specIndex.grants.length };
  return (p, message) => {
    const [head, idx, ...rest] = p;
    if ((head === 'tenants' || head === 'grants') && typeof idx === 'number') {
      const origin =
        idx >= base[head]
          ? (head === 'tenants' ? merged.tenantOrigins : merged.grantOrigins).get(idx)
          : undefined;
      if (origin) return problem(origin.parsed, origin.map(rest), message);
      const original = merged.specIndex[head][idx];
      if (original !== undefined) return problem(main, [head, original, ...rest], message);
    }
    return problem(main, p, message);
  };
}

/** Shape, then cross-checks of the merged platform; throws with every problem found. */
function validateMerged(
  raw: Record<string, unknown>,
  main: ParsedFile,
  merged: MergedTenants,
  now: string,
  problems: SpecProblem[],
) {
  const locate = locator(main, merged);
  const parsed = Platform.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const d of describeZodIssues(parsed.error)) problems.push(locate(d.path, d.message));
    throw new SpecError(problems);
  }
  if (parsed.data.apiVersion !== API_VERSION)
    throw new SpecError([problem(main, ['apiVersion'], `must be ${API_VERSION}`)]);
  const issues: ModelIssue[] = crossCheck(parsed.data, { now });
  for (const issue of issues.filter((i) => i.severity !== 'warning'))
    problems.push(locate(issue.path, issue.message));
  if (problems.length > 0) throw new SpecError(problems);
  const warnings = issues.filter((i) => i.severity === 'warning').map((i) => locate(i.path, i.message));
  const expiredGrants = parsed.data.grants.filter((g) => g.expires < now);
  return { platform: withoutExpiredGrants(parsed.data, now), warnings, expiredGrants };
}

export function loadPlatform(options: LoadOptions = {}): LoadedPlatform {
  const now = checkedNow(options.now);
  const problems: SpecProblem[] = [];
  const specFile = path.resolve(options.spec ?? DEFAULT_SPEC);
  const { main, raw } = readSpec(specFile, problems, options.parsed);
  const explicit = options.tenantFile ? path.resolve(options.tenantFile) : undefined;
  const without = options.withoutFile ? path.resolve(options.withoutFile) : undefined;
  const tenantFiles = listTenantFiles(options.tenantsDir, explicit, problems).filter((f) => f !== without);
  const entries = readTenantFiles(tenantFiles, problems);
  const merged = mergeTenantFiles(raw ?? {}, entries, explicit, problems);
  if (!main || !raw) throw new SpecError(problems);
  if (entries.length > 0) {
    raw.tenants = merged.tenants;
    raw.grants = merged.grants;
  }
  const { platform, warnings, expiredGrants } = validateMerged(raw, main, merged, now, problems);
  const tenantFileId = entries.find((e) => e.file === explicit)?.tenant.id;
  const tenantSources = Object.fromEntries(
    [...merged.tenantOrigins.entries()].map(([i, o]) => [
      String((merged.tenants[i] as { id: unknown }).id),
      o.parsed.file,
    ]),
  );
  return {
    platform,
    files: [specFile, ...tenantFiles],
    tenantFileId,
    warnings,
    expiredGrants,
    tenantSources,
  };
}

/** Validates an in-memory platform (for `definePlatform` users and tests). */
export function parsePlatform(input: unknown, options: { now?: string; file?: string } = {}): Platform {
  const file = options.file ?? '(inline)';
  const result = Platform.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new SpecError(
      result.error.issues.flatMap((i) =>
        describeZodIssue(i).map((d) => ({ file, path: formatPath(d.path), message: d.message })),
      ),
    );
  }
  const now = options.now ?? defaultNow();
  const issues = crossCheck(result.data, { now }).filter((i) => i.severity !== 'warning');
  if (issues.length > 0)
    throw new SpecError(issues.map((i) => ({ file, path: formatPath(i.path), message: i.message })));
  return withoutExpiredGrants(result.data, now);
}
