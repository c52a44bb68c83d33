/**
 * Loading spec files: a whole platform in one YAML or JSON file, plus optional partner tenant
 * files in a folder. Every problem in every file is collected and reported with its file, path
 * and line; nothing is returned unless the merged platform is valid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { crossCheck, type IssuePath } from './checks';
import { Platform, TenantSpec, API_VERSION } from './platform';
import { describeZodIssue, formatPath, SpecError, type SpecProblem } from './problems';
import { isValidIsoDate } from './primitives';

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
   * One more partner tenant file, merged after the folder. Unlike folder files, it replaces a
   * tenant of the same id (and that tenant's grants): a partner revising its own spec.
   */
  readonly tenantFile?: string;
}

export interface LoadedPlatform {
  readonly platform: Platform;
  /** Files that were read, in the order they were merged. */
  readonly files: readonly string[];
  /** The id of the tenant that `tenantFile` declared. */
  readonly tenantFileId?: string;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
}

function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Parses YAML (JSON is YAML) and reports syntax errors and duplicate keys with positions. */
function parseFile(file: string, problems: SpecProblem[]): ParsedFile | undefined {
  const name = displayName(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ file: name, path: '(file)', message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      problems.push({ file: name, path: '(syntax)', line: pos.line, column: pos.col, message: `malformed YAML/JSON: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }
  try {
    return { file: name, doc, lines, data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    // yaml refuses documents whose aliases expand too far (a "billion laughs" bomb).
    problems.push({ file: name, path: '(syntax)', message: `malformed YAML/JSON: ${(e as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

/** Finds the line of the deepest node that exists along `p`. */
function position(parsed: ParsedFile, p: IssuePath): { line?: number; column?: number } {
  let node: unknown = parsed.doc.contents;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
    } else break;
  }
  const range = (node as Node | undefined)?.range;
  if (!range) return {};
  const pos = parsed.lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function problem(parsed: ParsedFile, p: IssuePath, message: string): SpecProblem {
  return { file: parsed.file, path: formatPath(p), message, ...position(parsed, p) };
}

function zodProblems(parsed: ParsedFile, error: z.ZodError): SpecProblem[] {
  return error.issues.flatMap((issue) =>
    describeZodIssue(issue).map((d) => problem(parsed, d.path.map((s) => (typeof s === 'symbol' ? String(s) : s)), d.message)),
  );
}

/** Where a merged platform element came from. */
interface Origin {
  readonly parsed: ParsedFile;
  /** Maps the path below the element to the path in the origin file. */
  readonly map: (rest: IssuePath) => IssuePath;
}

export function loadPlatform(options: LoadOptions = {}): LoadedPlatform {
  const now = options.now ?? today();
  const problems: SpecProblem[] = [];
  if (!isValidIsoDate(now)) {
    throw new SpecError([{ file: '(command line)', path: '--now', message: `"${now}" must be a date written YYYY-MM-DD` }]);
  }
  const specFile = path.resolve(options.spec ?? DEFAULT_SPEC);
  const main = parseFile(specFile, problems);
  const files = [specFile];

  let platformRaw: Record<string, unknown> | undefined;
  if (main) {
    if (main.data === null || typeof main.data !== 'object' || Array.isArray(main.data)) {
      problems.push(problem(main, [], 'must be a mapping with apiVersion, kind, metadata, sites, ...'));
    } else {
      platformRaw = { ...(main.data as Record<string, unknown>) };
    }
  }

  // Partner tenant files: each checked on its own first, so that shape errors name its file.
  const tenantOrigins = new Map<number, Origin>();
  const grantOrigins = new Map<number, Origin>();
  const extraTenants: unknown[] = [];
  const extraGrants: unknown[] = [];
  const tenantFiles: string[] = [];
  if (options.tenantsDir) {
    const dir = path.resolve(options.tenantsDir);
    try {
      const entries = fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
      tenantFiles.push(...entries.map((e) => path.join(dir, e)));
    } catch (e) {
      problems.push({ file: displayName(dir), path: '(folder)', message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    }
  }
  const explicit = options.tenantFile ? path.resolve(options.tenantFile) : undefined;
  if (explicit && !tenantFiles.includes(explicit)) tenantFiles.push(explicit);
  interface TenantEntry {
    readonly file: string;
    readonly parsed: ParsedFile;
    readonly raw: { tenant: { id: string; organisation?: string; kind?: string }; grants?: Array<Record<string, unknown>> };
  }
  const entries: TenantEntry[] = [];
  for (const file of tenantFiles) {
    files.push(file);
    const parsed = parseFile(file, problems);
    if (!parsed) continue;
    const result = TenantSpec.safeParse(parsed.data, { reportInput: true });
    if (!result.success) {
      problems.push(...zodProblems(parsed, result.error));
      continue;
    }
    entries.push({ file, parsed, raw: parsed.data as TenantEntry['raw'] });
  }
  // The explicit file is a revision of its tenant: it replaces the tenant of the same id, whether
  // that tenant is in the spec or in the folder. A revision may change quotas, grants, contacts
  // and the agreement, but not who the tenant is.
  const revision = entries.find((e) => e.file === explicit);
  const replacing: string | undefined = revision?.raw.tenant.id;
  if (revision) {
    const specTenants = platformRaw && Array.isArray(platformRaw.tenants) ? (platformRaw.tenants as Array<Record<string, unknown>>) : [];
    const prior = [...specTenants, ...entries.filter((e) => e !== revision).map((e) => e.raw.tenant as Record<string, unknown>)].find(
      (t) => t && t.id === replacing,
    );
    if (prior) {
      for (const key of ['organisation', 'kind'] as const) {
        if (prior[key] !== revision.raw.tenant[key]) {
          problems.push(
            problem(revision.parsed, ['tenant', key], `tenant "${replacing}" is ${String(prior.organisation)} (${String(prior.kind)}); a revision cannot change its ${key} — choose a new tenant id`),
          );
        }
      }
    }
  }
  for (const { parsed, raw, file } of entries) {
    if (replacing !== undefined && raw.tenant.id === replacing && file !== explicit) continue;
    tenantOrigins.set(extraTenants.length, { parsed, map: (rest) => ['tenant', ...rest] });
    extraTenants.push(raw.tenant);
    (raw.grants ?? []).forEach((g, j) => {
      grantOrigins.set(extraGrants.length, { parsed, map: (rest) => (rest[0] === 'tenant' ? ['tenant', 'id'] : ['grants', j, ...rest]) });
      extraGrants.push({ tenant: raw.tenant.id, ...g });
    });
  }

  if (!main || !platformRaw) throw new SpecError(problems);
  // Original indices of the spec's own tenants and grants, so that paths still point at the
  // right entry of the spec file after a replaced tenant is taken out.
  const originalIndex: Record<'tenants' | 'grants', number[]> = { tenants: [], grants: [] };
  for (const [list, key] of [['tenants', 'id'], ['grants', 'tenant']] as const) {
    const items = platformRaw[list];
    if (!Array.isArray(items)) continue;
    const kept = items.map((x, i) => [x, i] as const).filter(([x]) => replacing === undefined || !(x && typeof x === 'object' && (x as Record<string, unknown>)[key] === replacing));
    platformRaw[list] = kept.map(([x]) => x);
    originalIndex[list] = kept.map(([, i]) => i);
  }

  const baseTenants = Array.isArray(platformRaw.tenants) ? platformRaw.tenants.length : 0;
  const baseGrants = Array.isArray(platformRaw.grants) ? platformRaw.grants.length : 0;
  if (extraTenants.length > 0) {
    platformRaw.tenants = [...(Array.isArray(platformRaw.tenants) ? platformRaw.tenants : []), ...extraTenants];
    platformRaw.grants = [...(Array.isArray(platformRaw.grants) ? platformRaw.grants : []), ...extraGrants];
  }

  const locate = (p: IssuePath, message: string): SpecProblem => {
    const [head, idx, ...rest] = p;
    if (head === 'tenants' && typeof idx === 'number' && idx >= baseTenants) {
      const o = tenantOrigins.get(idx - baseTenants);
      if (o) return problem(o.parsed, o.map(rest), message);
    }
    if (head === 'grants' && typeof idx === 'number' && idx >= baseGrants) {
      const o = grantOrigins.get(idx - baseGrants);
      if (o) return problem(o.parsed, o.map(rest), message);
    }
    if ((head === 'tenants' || head === 'grants') && typeof idx === 'number' && originalIndex[head][idx] !== undefined) {
      return problem(main, [head, originalIndex[head][idx], ...rest], message);
    }
    return problem(main, p, message);
  };

  const parsed = Platform.safeParse(platformRaw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const d of describeZodIssue(issue)) problems.push(locate(d.path.map((s) => (typeof s === 'symbol' ? String(s) : s)), d.message));
    }
    throw new SpecError(problems);
  }
  if (parsed.data.apiVersion !== API_VERSION) throw new SpecError([problem(main, ['apiVersion'], `must be ${API_VERSION}`)]);

  for (const issue of crossCheck(parsed.data, { now })) problems.push(locate(issue.path, issue.message));
  if (problems.length > 0) throw new SpecError(problems);
  return { platform: parsed.data, files, tenantFileId: replacing };
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
  const issues = crossCheck(result.data, { now: options.now ?? today() });
  if (issues.length > 0) throw new SpecError(issues.map((i) => ({ file, path: formatPath(i.path), message: i.message })));
  return result.data;
}
