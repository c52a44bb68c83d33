/**
 * The matrix for people: one row per principal and data store with the access it has now, until
 * when, and over which network path; as a text table, Markdown, or JSON.
 */
import { iso, summarise, type Cell, type Verb } from './cells';
import { differences, type Difference } from './compare';
import type { AccessMatrix } from './matrix';
import type { Tri } from './types';

export interface Row {
  readonly tenant: string;
  readonly principal: string;
  readonly target: 'aws' | 'k8s';
  readonly data: string;
  readonly access: string;
  readonly until: string;
  readonly via: string;
}

export interface Filter {
  readonly tenant?: string;
  readonly dataset?: string;
}

const ORDER: readonly Verb[] = ['write', 'read', 'delete', 'list'];

/** The access a set of verbs amounts to: write (all four), read (read and list), or the verbs. */
function accessOf(verbs: ReadonlySet<Verb>): string {
  if (['read', 'list', 'write', 'delete'].every((v) => verbs.has(v as Verb))) return 'write';
  if (verbs.has('read') && verbs.has('list') && verbs.size === 2) return 'read';
  return ORDER.filter((v) => verbs.has(v)).join('+');
}

export function rows(m: AccessMatrix, f: Filter = {}): Row[] {
  const groups = new Map<
    string,
    {
      tenant: string;
      principal: string;
      target: Cell['target'];
      data: string;
      verbs: Set<Verb>;
      until: Set<string>;
      via: Set<string>;
      undecided: boolean;
    }
  >();
  for (const c of m.cells) {
    if (c.side !== 'effective') continue;
    const data = `${c.store.kind === 'dataset' ? '' : 'storage:'}${c.store.id}`;
    if (f.dataset && c.store.id !== f.dataset) continue;
    for (const tenant of c.tenants.length ? c.tenants : ['-']) {
      if (f.tenant && tenant !== f.tenant) continue;
      let now = false as Tri;
      const untils: string[] = [];
      const via: string[] = [];
      for (const [path, samples] of c.paths) {
        const s = summarise(samples);
        if (s.now === false) continue;
        now = s.now === true ? true : now === true ? true : 'undecided';
        via.push(s.now === true ? path : `${path}?`);
        untils.push(
          c.target === 'k8s'
            ? 'no end (volume)'
            : s.until
              ? iso(s.until - 86_400_000).slice(0, 10)
              : 'no end',
        );
      }
      if (now === false) continue;
      const key = `${tenant}|${c.principal}|${data}`;
      let g = groups.get(key);
      if (!g)
        groups.set(
          key,
          (g = {
            tenant,
            principal: c.principal,
            target: c.target,
            data,
            verbs: new Set(),
            until: new Set(),
            via: new Set(),
            undecided: false,
          }),
        );
      if (now === true) g.verbs.add(c.verb);
      g.undecided ||= now === 'undecided';
      for (const u of untils) g.until.add(u);
      for (const v of via) g.via.add(v);
    }
  }
  const out: Row[] = [...groups.values()].map((g) => ({
    tenant: g.tenant,
    principal: g.principal,
    target: g.target,
    data: g.data,
    access: `${accessOf(g.verbs)}${g.undecided ? ' (undecided)' : ''}`,
    until: [...g.until].sort().join(', '),
    via: [...g.via].sort().join(', '),
  }));
  const k = (r: Row) => `${r.data}|${r.tenant}|${r.target}|${r.principal}`;
  return out.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));

export function textTable(rs: readonly Row[]): string {
  const head: Row = {
    tenant: 'TENANT',
    principal: 'PRINCIPAL',
    target: 'aws',
    data: 'DATA',
    access: 'ACCESS',
    until: 'UNTIL',
    via: 'VIA',
  };
  const cols: Array<keyof Row> = ['data', 'tenant', 'access', 'until', 'via', 'principal'];
  const width = cols.map((c) => Math.max(...[head, ...rs].map((r) => String(r[c]).length)));
  const line = (r: Row) =>
    cols
      .map((c, i) => pad(String(r[c]), width[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rs.map(line)].join('\n') + '\n';
}

export function markdownTable(rs: readonly Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return (
    [
      '| data | tenant | access | until | via | principal |',
      '|---|---|---|---|---|---|',
      ...rs.map(
        (r) =>
          `| ${cell(r.data)} | ${cell(r.tenant)} | ${cell(r.access)} | ${cell(r.until)} | ${cell(r.via)} | ${cell(r.principal)} |`,
      ),
    ].join('\n') + '\n'
  );
}

export interface AccessReport {
  readonly at: string;
  readonly rows: readonly Row[];
  readonly differences: readonly Omit<Difference, 'witnesses'>[];
  readonly changers: AccessMatrix['changers'];
  /** Who runs workloads in tenant namespaces besides the tenant: federation managers on workers. */
  readonly runners: readonly Omit<AccessMatrix['runners'][number], 'witness'>[];
  readonly summary: { readonly rows: number; readonly differences: number; readonly undecided: number };
}

export function accessReport(m: AccessMatrix, f: Filter = {}): AccessReport {
  const rs = rows(m, f);
  const ds = differences(m).filter(
    (d) => (!f.tenant || d.tenant === f.tenant) && (!f.dataset || d.store === f.dataset),
  );
  return {
    at: iso(m.now),
    rows: rs,
    differences: ds.map(({ witnesses: _w, ...d }) => d),
    changers: m.changers.filter((c) => !f.tenant || c.tenants.includes(f.tenant)),
    runners: m.runners
      .filter((r) => !f.tenant || r.tenant === f.tenant)
      .map(({ witness, ...r }) => ({ ...r, via: `${witness.file} ${witness.resource}` })),
    summary: {
      rows: rs.length,
      differences: ds.filter((d) => d.kind !== 'undecided').length,
      undecided: ds.filter((d) => d.kind === 'undecided').length,
    },
  };
}
