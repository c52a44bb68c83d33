/**
 * Merging cloud assemblies synthesized in parts (selective synthesis of disjoint tenant ranges,
 * each with the site stacks) into the assembly one synthesis of the whole app writes.
 *
 * Per-stack files (template, assets, metadata) are taken from the first part that has them: the
 * first part names the site stacks, which the others build only as the empty stand-ins their
 * tenant stacks depend on (app.ts, `standInDependencies`; a part that builds a site stack in full
 * writes the same bytes as the first, select.ts). The app-wide files are merged in stack order,
 * parts in tenant order:
 * - manifest.json: the artifacts of every part, the app-wide ones (Tree, the feature-flag report)
 *   last, as the CDK writes them;
 * - tree.json: the stacks under the App node, the Tree node last;
 * - validation-report.json: the violations of the CloudFormation validator, grouped by rule,
 *   severity and description in the order first seen, as the validator groups them over the
 *   templates; a resource of a shared stack is counted once.
 * test/aws/parallel.test.ts compares the merged assembly with a whole synthesis byte for byte.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = Record<string, unknown>;

const readJson = (file: string): Json => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;

/** Keys of an ordered record: the parts' keys in order of first appearance, `last` keys at the end. */
function mergeOrdered(records: readonly Json[], isLast: (key: string) => boolean): Json {
  const out: Json = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) if (!isLast(k) && !(k in out)) out[k] = v;
  for (const r of records) for (const [k, v] of Object.entries(r)) if (isLast(k) && !(k in out)) out[k] = v;
  return out;
}

interface Violation {
  ruleName: string;
  severity: string;
  description: string;
  violatingConstructs?: Array<{ constructPath?: string }>;
  violatingResources?: Array<{ templatePath?: string }>;
  [key: string]: unknown;
}

/** The template paths of stacks that more than one part builds (the site stacks). */
function sharedTemplates(parts: readonly string[]): Set<string> {
  const seen = new Map<string, number>();
  for (const dir of parts)
    for (const f of fs.readdirSync(dir))
      if (f.endsWith('.template.json')) seen.set(f, (seen.get(f) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([f]) => f));
}

function mergeViolations(
  lists: ReadonlyArray<readonly Violation[]>,
  shared: Set<string>,
  sharedStacks: Set<string>,
): Violation[] {
  const out: Violation[] = [];
  const isShared = (x: { constructPath?: string; templatePath?: string }): boolean =>
    (x.templatePath !== undefined && shared.has(path.basename(x.templatePath))) ||
    (x.constructPath !== undefined && sharedStacks.has(x.constructPath.split('/')[0]));
  lists.forEach((list, part) => {
    for (const v of list) {
      const keep = <T extends { constructPath?: string; templatePath?: string }>(
        xs: T[] | undefined,
      ): T[] | undefined => (xs && part > 0 ? xs.filter((x) => !isShared(x)) : xs);
      const existing = out.find(
        (o) => o.ruleName === v.ruleName && o.severity === v.severity && o.description === v.description,
      );
      if (existing) {
        if (existing.violatingConstructs)
          existing.violatingConstructs.push(...(keep(v.violatingConstructs) ?? []));
        if (existing.violatingResources)
          existing.violatingResources.push(...(keep(v.violatingResources) ?? []));
        continue;
      }
      const copy: Violation = { ...v };
      if (v.violatingConstructs) copy.violatingConstructs = keep(v.violatingConstructs);
      if (v.violatingResources) copy.violatingResources = keep(v.violatingResources);
      if ((copy.violatingConstructs ?? copy.violatingResources ?? []).length > 0) out.push(copy);
    }
  });
  return out;
}

function mergeValidationReports(parts: readonly string[], shared: Set<string>): Json | undefined {
  const reports = parts
    .map((d) => path.join(d, 'validation-report.json'))
    .filter((f) => fs.existsSync(f))
    .map(readJson);
  if (reports.length === 0) return undefined;
  const sharedStacks = new Set([...shared].map((f) => f.replace(/\.template\.json$/, '')));
  // A part whose templates drew nothing from a plugin has no report of it: plugins by name, in
  // order of first appearance.
  const names = [...new Set(reports.flatMap((r) => (r.pluginReports as Json[]).map((p) => p.pluginName)))];
  const plugins = names.map((name) => {
    const each = reports.flatMap((r) => (r.pluginReports as Json[]).filter((p) => p.pluginName === name));
    const first = each[0];
    const violations = mergeViolations(
      each.map((p) => (p.violations ?? []) as Violation[]),
      shared,
      sharedStacks,
    );
    const suppressed = mergeViolations(
      each.map((p) => (p.suppressedViolations ?? []) as Violation[]),
      shared,
      sharedStacks,
    );
    const failed = each.some((p) => p.conclusion !== 'success');
    return {
      ...first,
      conclusion: failed ? 'failure' : first.conclusion,
      violations,
      ...(each.some((p) => p.suppressedViolations !== undefined) ? { suppressedViolations: suppressed } : {}),
    };
  });
  return { ...reports[0], pluginReports: plugins };
}

/**
 * Puts a part's file into the assembly: a hard link where both are on one file system (the files
 * are written once and never changed; copying the thousands of a large platform cost a second),
 * else a copy.
 */
function place(from: string, to: string): void {
  if (!fs.statSync(from).isFile()) return void fs.cpSync(from, to, { recursive: true });
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/** Writes into `outdir` the assembly that the parts (in tenant order) make together, but for the validation report. */
export function mergeAssemblies(parts: readonly string[], outdir: string): void {
  fs.mkdirSync(outdir, { recursive: true });
  const placed = new Set(['manifest.json', 'tree.json', 'validation-report.json']);
  for (const dir of parts) {
    for (const entry of fs.readdirSync(dir)) {
      if (placed.has(entry)) continue;
      place(path.join(dir, entry), path.join(outdir, entry));
      placed.add(entry);
    }
  }
  const manifests = parts.map((d) => readJson(path.join(d, 'manifest.json')));
  const appLevel = (k: string): boolean => {
    const a = manifests[0].artifacts as Record<string, { type?: string }>;
    return (
      a[k] !== undefined && a[k].type !== 'aws:cloudformation:stack' && a[k].type !== 'cdk:asset-manifest'
    );
  };
  const artifacts = mergeOrdered(
    manifests.map((m) => m.artifacts as Json),
    appLevel,
  );
  fs.writeFileSync(
    path.join(outdir, 'manifest.json'),
    JSON.stringify({ ...manifests[0], artifacts }, undefined, 2),
  );

  const trees = parts.map((d) => readJson(path.join(d, 'tree.json')));
  const roots = trees.map((t) => t.tree as Json);
  const children = mergeOrdered(
    roots.map((r) => r.children as Json),
    (k) => k === 'Tree',
  );
  fs.writeFileSync(
    path.join(outdir, 'tree.json'),
    JSON.stringify({ ...trees[0], tree: { ...roots[0], children } }),
  );
}

/**
 * Writes into `outdir` the validation report the parts' reports make together (none when no part
 * has one). Apart from mergeAssemblies: the parts' reports are written when their templates have
 * been validated, which may be after the assembly is merged (cfn-validation-channel.ts).
 */
export function mergeValidationReportsInto(parts: readonly string[], outdir: string): void {
  const report = mergeValidationReports(parts, sharedTemplates(parts));
  if (report)
    fs.writeFileSync(path.join(outdir, 'validation-report.json'), JSON.stringify(report, undefined, 2));
}
