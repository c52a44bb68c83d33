/**
 * Sections over the artifacts themselves: privilege (3), quota and capacity (4), protection (5),
 * and the resource-level list per stack and cluster file (6). All four read the same resource
 * changes and the same classification (policies/diff/classify.ts); 3-5 keep those of their
 * category, 6 lists every one.
 */
import { stableJson } from '../../../infra/util/stable-json';
import { classifyProperty, classifyResource, type Category, type Verdict } from '../classify';
import type { Change, DiffContext, ResourceChange, Section, SectionId } from '../types';

interface Classified {
  readonly rc: ResourceChange;
  readonly verdict: Verdict;
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Every change of every resource, classified, in resource order. Computed once per context. */
const memo = new WeakMap<DiffContext, Classified[]>();
export function classified(ctx: DiffContext): Classified[] {
  const hit = memo.get(ctx);
  if (hit) return hit;
  const out: Classified[] = [];
  for (const rc of ctx.resources) {
    if (rc.status === 'changed') {
      for (const p of rc.properties)
        out.push({
          rc,
          verdict: classifyProperty(rc.head!, p),
          path: p.path,
          before: p.before,
          after: p.after,
        });
    } else {
      const r = (rc.head ?? rc.base)!;
      out.push({
        rc,
        verdict: classifyResource(r, rc.status),
        path: '',
        ...(rc.status === 'added' ? { after: r.body } : { before: r.body }),
      });
    }
  }
  memo.set(ctx, out);
  return out;
}

function toChange(section: SectionId, c: Classified): Change {
  const r = (c.rc.head ?? c.rc.base)!;
  const change: Change['change'] =
    c.path === ''
      ? c.rc.status === 'changed'
        ? 'changed'
        : c.rc.status
      : c.before === undefined
        ? 'added'
        : c.after === undefined
          ? 'removed'
          : 'changed';
  const value = c.path.endsWith('[]') ? `|${stableJson(c.after ?? c.before).trim()}` : '';
  return {
    section,
    id: `${section}|${c.rc.key}|${c.path}${value}`,
    change,
    classification: c.verdict.classification,
    reason: c.verdict.reason,
    group: r.group,
    type: r.type,
    witness: { file: r.file, resource: r.resource, path: c.path },
    ...(c.before !== undefined ? { before: c.before } : {}),
    ...(c.after !== undefined ? { after: c.after } : {}),
  };
}

function categorySection(
  id: SectionId,
  title: string,
  category: Category,
  extra?: (ctx: DiffContext) => Change[],
): Section {
  return {
    id,
    title,
    diff: (ctx) => ({
      changes: [
        ...classified(ctx)
          .filter((c) => c.verdict.category === category)
          .map((c) => toChange(id, c)),
        ...(extra ? extra(ctx) : []),
      ],
    }),
  };
}

/** Reviewed exceptions added (a rule waived on a resource), removed, or extended. */
function exceptionChanges(ctx: DiffContext): Change[] {
  const out: Change[] = [];
  const make = (
    e: { key: string; rule: string; resource: string; expires: string; file: string },
    change: Change['change'],
    broad: boolean,
    reason: string,
    before?: string,
    after?: string,
  ): Change => ({
    section: 'protection',
    id: `protection|exception:${e.key}`,
    change,
    classification: broad ? 'broadening' : 'narrowing',
    reason,
    group: e.file,
    type: 'exception',
    witness: { file: e.file, resource: e.resource, path: `exceptions[rule=${e.rule}]` },
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  });
  for (const [key, e] of ctx.head.exceptions) {
    const old = ctx.base.exceptions.get(key);
    if (!old)
      out.push(
        make(
          e,
          'added',
          true,
          `exception added: rule ${e.rule} is waived on ${e.resource} until ${e.expires}`,
          undefined,
          e.expires,
        ),
      );
    else if (old.expires !== e.expires) {
      const later = e.expires > old.expires;
      out.push(
        make(
          e,
          'changed',
          later,
          `exception for ${e.rule} on ${e.resource} ${later ? 'extended' : 'shortened'}: ${old.expires} -> ${e.expires}`,
          old.expires,
          e.expires,
        ),
      );
    }
  }
  for (const [key, e] of ctx.base.exceptions)
    if (!ctx.head.exceptions.has(key))
      out.push(
        make(
          e,
          'removed',
          false,
          `exception removed: rule ${e.rule} applies again on ${e.resource}`,
          e.expires,
        ),
      );
  return out;
}

export const privilegeSection = categorySection(
  'privilege',
  'Privilege (who can change access)',
  'privilege',
);
export const quotaSection = categorySection('quota', 'Quota and capacity', 'quota');
export const protectionSection = categorySection(
  'protection',
  'Protection (encryption, retention, logging, deletion)',
  'protection',
  exceptionChanges,
);

export const resourcesSection: Section = {
  id: 'resources',
  title: 'Resources, property by property',
  diff: (ctx) => ({ changes: classified(ctx).map((c) => toChange('resources', c)) }),
};
