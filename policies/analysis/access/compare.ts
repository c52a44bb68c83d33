/**
 * Intent = effect: every cell of the matrix against the grants of platform.json. A cell that no
 * grant declares (wrong tenant, wrong verb, past the grant's end, through a wrong network path), a
 * layer that would let in someone no grant names, and a grant that is not effective are
 * differences; a cell the evaluator could not decide is one too.
 */
import { iso, summarise, type Cell, type Sample, type Verb } from './cells';
import { allowedEnclaves, grantsAt, grantsOf, type Intent } from './intent';
import type { AwsRole, KeyInfo, Store } from './aws-model';
import type { AccessMatrix } from './matrix';
import { witnessText, type Witness } from './types';

export type DifferenceKind = 'undeclared' | 'not-effective' | 'wrong-path' | 'layer-open' | 'undecided';

export interface Difference {
  readonly kind: DifferenceKind;
  readonly tenant?: string;
  readonly principal: string;
  readonly store: string;
  readonly verb: Verb;
  readonly message: string;
  readonly witnesses: readonly Witness[];
  /** Where the finding is reported: a witness, the data store, or the grant in platform.json. */
  readonly at: { readonly file: string; readonly resource: string; readonly line?: number };
}

const day = (ms: number): string => iso(ms).slice(0, 10);
const lastDay = (until: number): string => day(until - 86_400_000);

/** Whether a tenant (or an outsider: undefined) is declared to `verb` a store at `at`. */
function declared(intent: Intent, tenant: string | undefined, cell: Cell, at: number): number | undefined {
  if (tenant === undefined) return undefined;
  if (cell.store.kind === 'storage') {
    const until = intent.tenants.get(tenant)?.agreementUntil;
    return cell.store.id === tenant && until !== undefined && at < until ? until : undefined;
  }
  const gs = grantsAt(intent, tenant, cell.store.id, at).filter((g) => g.verbs.includes(cell.verb));
  return gs.length ? Math.max(...gs.map((g) => g.until)) : undefined;
}

/** For a key layer: whether the tenant holds, at `at`, a grant of `verb` on any dataset the same key protects. */
function declaredOnKey(
  intent: Intent,
  m: AccessMatrix,
  tenant: string | undefined,
  cell: Cell,
  at: number,
): boolean {
  if (tenant === undefined) return false;
  const ix = storeIndex(m);
  const key = ix.first.get(`${cell.store.kind}|${cell.store.id}`)?.key;
  const same = key === undefined ? [] : (ix.datasetsByKey.get(key) ?? []);
  return same.some((d) => grantsAt(intent, tenant, d, at).some((g) => g.verbs.includes(cell.verb)));
}

interface StoreIndex {
  /** The first store of a kind and id (`<kind>|<id>`). */
  readonly first: ReadonlyMap<string, Store>;
  /** Ids of the datasets a key protects, in the model's order. */
  readonly datasetsByKey: ReadonlyMap<KeyInfo, string[]>;
  /** Enclaves of the tenant storage of an owner, in the model's order. */
  readonly storageEnclaves: ReadonlyMap<string, string[]>;
  /** The first role of a principal id. */
  readonly roles: ReadonlyMap<string, AwsRole>;
}

const storeIndexes = new WeakMap<AccessMatrix, StoreIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Stores and roles of the matrix's model by what cells name them by (once per matrix). */
function storeIndex(m: AccessMatrix): StoreIndex {
  let ix = storeIndexes.get(m);
  if (ix) return ix;
  const first = new Map<string, Store>();
  const datasetsByKey = new Map<KeyInfo, string[]>();
  const storageEnclaves = new Map<string, string[]>();
  const roles = new Map<string, AwsRole>();
  for (const s of m.model?.stores ?? []) {
    if (!first.has(`${s.kind}|${s.id}`)) first.set(`${s.kind}|${s.id}`, s);
    if (s.kind === 'dataset' && s.key !== undefined) push(datasetsByKey, s.key, s.id);
    if (s.kind === 'storage') push(storageEnclaves, s.id, s.enclave ?? '');
  }
  for (const r of m.model?.roles ?? []) if (!roles.has(r.principal.id)) roles.set(r.principal.id, r);
  ix = { first, datasetsByKey, storageEnclaves, roles };
  storeIndexes.set(m, ix);
  return ix;
}

const storeName = (c: Cell) =>
  `${c.store.kind === 'dataset' ? 'dataset' : 'tenant storage of'} ${c.store.id}`;
const who = (c: Cell, t: string | undefined) => (t ? `${c.principal} (tenant ${t})` : c.principal);
const via = (c: Cell, path: string) =>
  c.target === 'aws' && c.side === 'effective'
    ? ` through ${path === 'public-endpoint' ? 'the public S3 endpoint' : `the ${path} endpoint`}`
    : c.target === 'k8s'
      ? ` on ${path}`
      : '';
const witnessed = (ws: readonly Witness[]) =>
  ws.length ? `; witness: ${ws.map(witnessText).join(', ')}` : '';

function atOf(c: Cell, ws: readonly Witness[], attribution: Witness | undefined): Difference['at'] {
  const w = attribution ?? ws[0];
  return w
    ? { file: w.file, resource: w.resource, line: w.line }
    : { file: c.store.file, resource: c.store.resource };
}

/** The differences of one cell for one tenant (or outsider). */
function cellDifferences(m: AccessMatrix, intent: Intent, c: Cell, tenant: string | undefined): Difference[] {
  const attribution = tenant !== undefined ? m.attribution.get(c.principal)?.get(tenant) : undefined;
  const base = { tenant, principal: c.principal, store: c.store.id, verb: c.verb };
  for (const [path, samples] of c.paths) {
    for (const s of c.side === 'bucket' || c.side === 'key' ? samples.slice(0, 1) : samples) {
      if (s.allowed === 'undecided')
        return [
          {
            ...base,
            kind: 'undecided',
            message: `could not decide whether ${who(c, tenant)} can ${c.verb} ${storeName(c)}${via(c, path)} at ${iso(s.at)}: ${s.reason ?? 'undecidable'}${witnessed(s.witnesses)}`,
            witnesses: s.witnesses,
            at: atOf(c, s.witnesses, attribution),
          },
        ];
      if (s.allowed !== true) continue;
      const d = differenceAt(m, intent, c, tenant, path, s, samples);
      if (d)
        return [
          {
            ...base,
            ...d,
            witnesses: s.witnesses,
            at:
              d.kind === 'layer-open' && c.principalKind === 'role'
                ? roleAt(m, c)
                : d.kind === 'wrong-path'
                  ? { file: c.store.file, resource: c.store.resource }
                  : atOf(c, s.witnesses, attribution),
          },
        ];
    }
  }
  return [];
}

/** For a layer finding about a role, the role itself is where the change shows (e.g. a grant tag added). */
function roleAt(m: AccessMatrix, c: Cell): Difference['at'] {
  const r = storeIndex(m).roles.get(c.principal)?.item;
  return r
    ? {
        file: r.stack.file,
        resource: `aws:${r.stack.stackName}/${r.logicalId}`,
        line: r.stack.resourceLines.get(r.logicalId),
      }
    : { file: c.store.file, resource: c.store.resource };
}

function differenceAt(
  m: AccessMatrix,
  intent: Intent,
  c: Cell,
  tenant: string | undefined,
  path: string,
  s: Sample,
  samples: readonly Sample[],
): { kind: Difference['kind']; message: string } | undefined {
  if (c.side === 'bucket' || c.side === 'key') {
    const ok =
      c.side === 'key'
        ? declaredOnKey(intent, m, tenant, c, s.at)
        : declared(intent, tenant, c, s.at) !== undefined;
    if (ok) return undefined;
    const layer = c.side === 'key' ? 'key policy' : 'bucket policy';
    return {
      kind: 'layer-open',
      message: `the ${layer} of ${storeName(c)} does not keep out ${who(c, tenant)} for ${c.verb}: none of its denies applies, so only other layers stop it, and no grant declares it${witnessed(s.witnesses)}`,
    };
  }
  const until = declared(intent, tenant, c, s.at);
  const side = c.side === 'identity' ? 'the identity policies alone allow' : 'can';
  if (until === undefined) {
    const grant = tenant
      ? grantsOf(intent, tenant, c.store.id).find((g) => g.verbs.includes(c.verb))
      : undefined;
    const when = s.at === m.now ? '' : ` from ${iso(s.at)}`;
    const why =
      grant && grant.until <= s.at
        ? `, after the grant's last day ${grant.expires}`
        : `; no grant declares it`;
    const subject =
      c.side === 'identity'
        ? `${side} ${who(c, tenant)} to ${c.verb}`
        : `${who(c, tenant)} ${side} ${c.verb}`;
    return {
      kind: 'undeclared',
      message: `${subject} ${storeName(c)}${via(c, path)}${when}${why}${witnessed(s.witnesses)}`,
    };
  }
  if (c.side === 'effective' && c.target === 'aws') {
    const allowed =
      c.store.kind === 'dataset'
        ? allowedEnclaves(intent, c.store.id)
        : new Set(storeIndex(m).storageEnclaves.get(c.store.id) ?? []);
    if (!allowed.has(path))
      return {
        kind: 'wrong-path',
        message: `${who(c, tenant)} can ${c.verb} ${storeName(c)}${via(c, path)}, not from an enclave the dataset allows (${[...allowed].sort().join(', ') || 'none'})${witnessed(s.witnesses)}`,
      };
  }
  void samples;
  return undefined;
}

/** Declared grants that hold at `now` but are not effective on a target that carries them. */
function notEffective(m: AccessMatrix, intent: Intent): Difference[] {
  const out: Difference[] = [];
  const awsDatasets = new Set((m.model?.stores ?? []).filter((s) => s.kind === 'dataset').map((s) => s.id));
  const k8sTenants = new Set(
    m.cells
      .filter((c) => c.target === 'k8s' && c.principal.includes('/namespace '))
      .flatMap((c) => c.tenants),
  );
  const awsTenants = new Set(
    m.cells.filter((c) => c.target === 'aws' && c.principalKind === 'role').flatMap((c) => c.tenants),
  );
  // effective dataset cells by tenant and dataset, so that each grant looks at its own only
  const cellsOf = new Map<string, Cell[]>();
  for (const c of m.cells) {
    if (c.side !== 'effective' || c.store.kind !== 'dataset') continue;
    for (const t of c.tenants)
      cellsOf.set(`${t}|${c.store.id}`, [...(cellsOf.get(`${t}|${c.store.id}`) ?? []), c]);
  }
  for (const g of intent.grants) {
    if (g.until <= m.now) continue;
    const at = { file: intent.file, resource: `intent:grants[${g.index}]` };
    const candidates = cellsOf.get(`${g.tenant}|${g.dataset}`) ?? [];
    for (const verb of g.verbs) {
      const base = {
        kind: 'not-effective' as const,
        tenant: g.tenant,
        principal: `tenant ${g.tenant}`,
        store: g.dataset,
        verb,
        witnesses: [],
        at,
      };
      const mine = (c: Cell) =>
        c.side === 'effective' &&
        c.store.kind === 'dataset' &&
        c.store.id === g.dataset &&
        c.verb === verb &&
        c.tenants.includes(g.tenant);
      if (awsDatasets.has(g.dataset) && awsTenants.has(g.tenant)) {
        const ends = candidates
          .filter((c) => c.target === 'aws' && mine(c))
          .flatMap((c) => [...c.paths.values()].map(summarise))
          .filter((x) => x.now === true);
        if (ends.length === 0)
          out.push({
            ...base,
            message: `grant ${g.index} (${g.tenant} ${g.access} ${g.dataset} until ${g.expires}) is not effective on AWS: tenant ${g.tenant} cannot ${verb} it`,
          });
        else if (!ends.some((x) => x.until === undefined || x.until >= g.until))
          out.push({
            ...base,
            message: `grant ${g.index} (${g.tenant} ${g.access} ${g.dataset} until ${g.expires}): AWS access to ${verb} ends ${ends
              .map((x) => (x.until ? lastDay(x.until) : 'never'))
              .sort()
              .join(', ')}, not on the grant's last day`,
          });
      }
      if (
        k8sTenants.has(g.tenant) &&
        !candidates.some(
          (c) => c.target === 'k8s' && mine(c) && [...c.paths.values()].some((ss) => ss[0]?.allowed === true),
        )
      ) {
        out.push({
          ...base,
          message: `grant ${g.index} (${g.tenant} ${g.access} ${g.dataset} until ${g.expires}) is not effective on Kubernetes: no volume lets tenant ${g.tenant} ${verb} it`,
        });
      }
    }
  }
  return out;
}

/** Every difference between the matrix and the intent, deterministic order. */
export function differences(m: AccessMatrix): Difference[] {
  const intent = m.intent;
  if (!intent) return [];
  const out: Difference[] = [];
  for (const c of m.cells)
    for (const t of c.tenants.length ? c.tenants : [undefined]) out.push(...cellDifferences(m, intent, c, t));
  out.push(...notEffective(m, intent));
  const key = (d: Difference) =>
    `${d.at.file}|${d.at.resource}|${d.kind}|${d.principal}|${d.store}|${d.verb}|${d.message}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
