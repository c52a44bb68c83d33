/**
 * The security diff of two synthesized outputs, section by section. Sections are plain values
 * (policies/diff/types.ts `Section`): the analyses of access and reachability replace the generic
 * report sections by passing their own in `DEFAULT_SECTIONS`' place.
 *
 * Resources pair by key (a map per side): the diff is linear in the number of resources.
 */
import { isDeepStrictEqual } from 'node:util';
import { diffJson } from './json-diff';
import { privilegeSection, protectionSection, quotaSection, resourcesSection } from './sections/artifacts';
import { accessSection, reachabilitySection } from './sections/cells';
import type { ParsedManifests } from '../engine/load';
import { readSide, type SideOptions } from './side';
import type {
  Change,
  Classification,
  DiffContext,
  DiffResult,
  DiffSide,
  ResourceChange,
  Section,
} from './types';

/** The report's sections, in order: access, reachability, privilege, quota, protection, resources. */
export const DEFAULT_SECTIONS: readonly Section[] = [
  accessSection,
  reachabilitySection,
  privilegeSection,
  quotaSection,
  protectionSection,
  resourcesSection,
];

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareChanges(a: Change, b: Change): number {
  return (
    cmp(a.group, b.group) ||
    cmp(a.witness.resource, b.witness.resource) ||
    cmp(a.witness.path, b.witness.path) ||
    cmp(a.id, b.id)
  );
}

/** The resources that differ between the two sides, sorted by key. */
export function resourceChanges(base: DiffSide, head: DiffSide): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const [key, h] of head.resources) {
    const b = base.resources.get(key);
    if (!b) out.push({ key, head: h, status: 'added', properties: [] });
    else if (!isDeepStrictEqual(b.body, h.body)) {
      const properties = diffJson(b.body, h.body);
      if (properties.length) out.push({ key, base: b, head: h, status: 'changed', properties });
    }
  }
  for (const [key, b] of base.resources)
    if (!head.resources.has(key)) out.push({ key, base: b, status: 'removed', properties: [] });
  return out.sort((x, y) => cmp(x.key, y.key));
}

export function diffSides(
  base: DiffSide,
  head: DiffSide,
  sections: readonly Section[] = DEFAULT_SECTIONS,
): DiffResult {
  const ctx: DiffContext = { base, head, resources: resourceChanges(base, head) };
  const summary: Record<Classification, number> = { broadening: 0, narrowing: 0, neutral: 0 };
  const results = sections.map((s) => {
    const { changes, note } = s.diff(ctx);
    const sorted = [...changes].sort(compareChanges);
    return { id: s.id, title: s.title, ...(note ? { note } : {}), changes: sorted };
  });
  // The resource list repeats what sections 1-5 classify: count each change once, by its witness.
  const seen = new Set<string>();
  for (const r of results) {
    for (const c of r.changes) {
      const k = `${c.witness.file}|${c.witness.resource}|${c.id.slice(c.id.indexOf('|') + 1)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      summary[c.classification]++;
    }
  }
  return { sections: results, summary };
}

export interface DiffOptions {
  readonly base?: SideOptions;
  readonly head?: SideOptions;
  readonly sections?: readonly Section[];
}

/**
 * Diffs two output folders (as `genesis synth` writes them). Each side is analysed on its own
 * artifacts; a manifest file the two hold byte for byte is parsed once.
 */
export function diffOutputs(baseDir: string, headDir: string, options: DiffOptions = {}): DiffResult {
  const parsed: ParsedManifests = new Map();
  return diffSides(
    readSide(baseDir, options.base, options.base?.written ?? parsed),
    readSide(headDir, options.head, options.head?.written ?? parsed),
    options.sections,
  );
}

/** Whether the result should fail a pipeline under `--fail-on`. */
export function failsOn(result: DiffResult, failOn: 'broadening' | 'any' | 'never'): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'any') return result.sections.some((s) => s.changes.length > 0);
  return result.summary.broadening > 0;
}
