/**
 * The generic section over an analysis report (report/access.json, report/reachability.json): the
 * cells of BASE and HEAD paired by a stable key. A new cell broadens, a removed one narrows, a later
 * `until` broadens and an earlier one narrows. The access and reachability analyses replace these
 * with their own sections (same interface) when they land; see policies/diff/engine.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import { isRecord } from '../../../infra/util/records';
import { CidrSet } from '../../analysis/reach/cidr';
import type { Change, Classification, DiffContext, ReportCell, Section, SectionId, Witness } from '../types';

/** The cell's own witness where it names one (file, resource, path), else the report entry. */
function witnessOf(c: ReportCell): Witness {
  const w = c.cell.witness;
  if (isRecord(w) && typeof w.file === 'string') {
    return {
      file: w.file,
      resource: typeof w.resource === 'string' ? w.resource : c.key,
      path: typeof w.path === 'string' ? w.path : '',
    };
  }
  return { file: c.file, resource: c.key, path: `cells[${JSON.stringify(c.key)}]` };
}

function untilVerdict(
  before: string | undefined,
  after: string | undefined,
): { classification: Classification; reason: string } {
  if (before === after) return { classification: 'neutral', reason: 'the cell changes but keeps its expiry' };
  if (after === undefined)
    return { classification: 'broadening', reason: `no longer expires (was until ${before})` };
  if (before === undefined) return { classification: 'narrowing', reason: `now expires on ${after}` };
  return after > before
    ? { classification: 'broadening', reason: `lasts longer: until ${before} -> ${after}` }
    : { classification: 'narrowing', reason: `ends sooner: until ${before} -> ${after}` };
}

const list = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/**
 * A network path whose lists of names or addresses changed: more passes (broadening), less passes
 * (narrowing), or some of each (broadening: something new passes). Addresses are compared as sets
 * of addresses, not as text; undefined when the cells carry no lists.
 */
function listVerdict(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { classification: Classification; reason: string } | undefined {
  const [nb, na, cb, ca] = [list(before.names), list(after.names), list(before.cidrs), list(after.cidrs)];
  if (!nb && !na && !cb && !ca) return undefined;
  const added = (na ?? []).filter((n) => !(nb ?? []).includes(n));
  const removed = (nb ?? []).filter((n) => !(na ?? []).includes(n));
  const setB = CidrSet.tryOf(...(cb ?? []));
  const setA = CidrSet.tryOf(...(ca ?? []));
  if (!setB || !setA) return { classification: 'broadening', reason: 'addresses that cannot be read' };
  const wider = !setB.covers(setA);
  const narrower = !setA.covers(setB);
  const parts = [
    added.length ? `names added: ${added.join(', ')}` : '',
    removed.length ? `names removed: ${removed.join(', ')}` : '',
    wider ? 'more addresses pass' : '',
    narrower ? 'fewer addresses pass' : '',
  ].filter(Boolean);
  if (!parts.length) return undefined;
  const broadens = added.length > 0 || wider;
  return { classification: broadens ? 'broadening' : 'narrowing', reason: parts.join('; ') };
}

/** A section that diffs the cells of report/<report>.json. */
export function reportSection(id: SectionId, title: string, report: string, noun: string): Section {
  return {
    id,
    title,
    diff(ctx: DiffContext) {
      const base = ctx.base.reports.get(report);
      const head = ctx.head.reports.get(report);
      if (!base && !head)
        return {
          changes: [],
          note: `neither side has report/${report}.json; the ${noun} analysis did not run`,
        };
      const b = base ?? new Map<string, ReportCell>();
      const h = head ?? new Map<string, ReportCell>();
      const changes: Change[] = [];
      const make = (
        c: ReportCell,
        change: Change['change'],
        classification: Classification,
        reason: string,
        extra: Partial<Change>,
      ): Change => ({
        section: id,
        id: `${id}|${c.key}`,
        change,
        classification,
        reason,
        group: c.file,
        type: noun,
        witness: witnessOf(c),
        ...extra,
      });
      for (const [key, c] of h) {
        const old = b.get(key);
        if (!old)
          changes.push(
            make(c, 'added', 'broadening', `new ${noun}${c.until ? ` until ${c.until}` : ''}`, {
              after: c.cell,
            }),
          );
        else if (!isDeepStrictEqual(old.cell, c.cell)) {
          const { classification, reason } =
            listVerdict(old.cell, c.cell) ?? untilVerdict(old.until, c.until);
          changes.push(make(c, 'changed', classification, reason, { before: old.cell, after: c.cell }));
        }
      }
      for (const [key, c] of b)
        if (!h.has(key)) changes.push(make(c, 'removed', 'narrowing', `${noun} removed`, { before: c.cell }));
      const missing = !base ? 'BASE' : !head ? 'HEAD' : undefined;
      return {
        changes,
        ...(missing
          ? {
              note: `${missing} has no report/${report}.json: every cell of the other side counts as ${missing === 'BASE' ? 'new' : 'removed'}`,
            }
          : {}),
      };
    },
  };
}

export const accessSection = reportSection('access', 'Access', 'access', 'access cell');
export const reachabilitySection = reportSection(
  'reachability',
  'Reachability',
  'reachability',
  'network path',
);
