/**
 * The declared intent: grants, datasets, enclaves and tenants read from platform.json (the
 * normalised spec synth wrote). Only the parts the access comparison needs, read defensively: the
 * file may have been edited too.
 */
import { asRecord as rec, records as list } from '../../../infra/util/records';
import { endOfDay } from '../../engine/grants';
import { groupBy } from '../../engine/memo';
import { grantVerbs, type Verb } from './cells';

export interface DeclaredGrant {
  readonly index: number;
  readonly tenant: string;
  readonly dataset: string;
  readonly access: string;
  readonly expires: string;
  /** First instant (ms) the grant no longer holds. */
  readonly until: number;
  readonly verbs: readonly Verb[];
}

export interface Intent {
  readonly file: string;
  readonly grants: readonly DeclaredGrant[];
  readonly datasets: ReadonlyMap<string, { readonly enclave?: string; readonly tier?: string }>;
  /** Enclave -> its site and the enclaves it is reachable from. */
  readonly enclaves: ReadonlyMap<
    string,
    { readonly site?: string; readonly reachableFrom: readonly string[] }
  >;
  readonly tenants: ReadonlyMap<string, { readonly homeEnclave?: string; readonly agreementUntil?: number }>;
  /** Tier -> site -> backend path (the file system or bucket name on an on-prem site). */
  readonly tierPaths: ReadonlyMap<
    string,
    ReadonlyMap<string, { readonly backend?: string; readonly path?: string }>
  >;
  readonly sites: ReadonlyMap<string, { readonly kind?: string }>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ms = (date: string | undefined): number | undefined => {
  const e = date ? endOfDay(date) : undefined;
  return e ? Date.parse(e) : undefined;
};

export function readIntent(intent: { file: string; json: unknown } | undefined): Intent | undefined {
  if (!intent) return undefined;
  const j = rec(intent.json);
  const grants: DeclaredGrant[] = [];
  list(j.grants).forEach((g, index) => {
    const [tenant, dataset, access, expires] = [str(g.tenant), str(g.dataset), str(g.access), str(g.expires)];
    const until = ms(expires);
    if (tenant && dataset && access && expires && until !== undefined)
      grants.push({ index, tenant, dataset, access, expires, until, verbs: grantVerbs(access) });
  });
  const datasets = new Map(
    list(j.datasets).flatMap((d) =>
      str(d.id) ? [[str(d.id) as string, { enclave: str(d.enclave), tier: str(d.tier) }] as const] : [],
    ),
  );
  const enclaves = new Map(
    list(j.enclaves).flatMap((e) =>
      str(e.id)
        ? [
            [
              str(e.id) as string,
              {
                site: str(e.site),
                reachableFrom: (Array.isArray(e.reachableFrom) ? e.reachableFrom : []).filter(
                  (x): x is string => typeof x === 'string',
                ),
              },
            ] as const,
          ]
        : [],
    ),
  );
  const tenants = new Map(
    list(j.tenants).flatMap((t) =>
      str(t.id)
        ? [
            [
              str(t.id) as string,
              { homeEnclave: str(t.homeEnclave), agreementUntil: ms(str(rec(t.agreement).expires)) },
            ] as const,
          ]
        : [],
    ),
  );
  const tierPaths = new Map(
    list(j.storageTiers).flatMap((t) =>
      str(t.id)
        ? [
            [
              str(t.id) as string,
              new Map(
                list(t.sites).flatMap((s) =>
                  str(s.site)
                    ? [[str(s.site) as string, { backend: str(s.backend), path: str(s.path) }] as const]
                    : [],
                ),
              ),
            ] as const,
          ]
        : [],
    ),
  );
  const sites = new Map(
    list(j.sites).flatMap((s) => (str(s.id) ? [[str(s.id) as string, { kind: str(s.kind) }] as const] : [])),
  );
  return { file: intent.file, grants, datasets, enclaves, tenants, tierPaths, sites };
}

const byPair = new WeakMap<Intent, Map<string, DeclaredGrant[]>>();

/** Every grant of a tenant on a dataset, in the file's order; indexed once per intent. */
export function grantsOf(intent: Intent, tenant: string, dataset: string): readonly DeclaredGrant[] {
  let m = byPair.get(intent);
  if (!m) {
    m = groupBy(intent.grants, (g) => JSON.stringify([g.tenant, g.dataset]));
    byPair.set(intent, m);
  }
  return m.get(JSON.stringify([tenant, dataset])) ?? [];
}

/** The grants of a tenant on a dataset that hold at `at` (ms). */
export function grantsAt(intent: Intent, tenant: string, dataset: string, at: number): DeclaredGrant[] {
  return grantsOf(intent, tenant, dataset).filter((g) => at < g.until);
}

/** Enclaves from which a dataset may be reached: its own and those it is reachable from. */
export function allowedEnclaves(intent: Intent, dataset: string): Set<string> {
  const e = intent.datasets.get(dataset)?.enclave;
  if (!e) return new Set();
  return new Set([e, ...(intent.enclaves.get(e)?.reachableFrom ?? [])]);
}
