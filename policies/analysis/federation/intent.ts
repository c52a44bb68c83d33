/**
 * The declared federation intent, read defensively from platform.json (the file may have been
 * edited too): the classification each cluster's enclave has, partner sites and whom they serve,
 * each dataset's classification, the tenants' grants, and the federations.
 */
import { asRecord as rec, records as list, strings as strs } from '../../../infra/util/records';
import type { ArtifactSet } from '../../engine/types';

export const CLASSES = ['public', 'cui', 'export-controlled'] as const;

/** Order of classifications; anything else is -1, below every known one. */
export const rank = (c: string | undefined): number => CLASSES.indexOf(c as (typeof CLASSES)[number]);

export interface FederationIntent {
  readonly clusterClassification: ReadonlyMap<string, string>;
  /** Cluster id -> the partner site it runs on: its partner and the tenants it serves. */
  readonly partnerOf: ReadonlyMap<string, { readonly site: string; readonly serves: ReadonlySet<string> }>;
  readonly datasetClassification: ReadonlyMap<string, string>;
  /** Tenant -> datasets it holds grants on. */
  readonly grants: ReadonlyMap<string, readonly string[]>;
  readonly federations: ReadonlyArray<{
    readonly id: string;
    readonly manager: string;
    readonly workers: readonly string[];
    readonly tenants: readonly string[];
  }>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function readFederationIntent(artifacts: ArtifactSet): FederationIntent | undefined {
  if (!artifacts.intent) return undefined;
  const j = rec(artifacts.intent.json);
  const enclaveClass = new Map(list(j.enclaves).map((e) => [str(e.id), str(e.classification)]));
  const partnerSites = new Map(
    list(j.sites)
      .filter((s) => s.kind === 'partner')
      .map((s) => [str(s.id), new Set([str(s.partner), ...strs(s.serves)])]),
  );
  const clusterClassification = new Map<string, string>();
  const partnerOf = new Map<string, { site: string; serves: ReadonlySet<string> }>();
  for (const c of list(j.clusters)) {
    const cls = enclaveClass.get(str(c.enclave));
    if (cls) clusterClassification.set(str(c.id), cls);
    const serves = partnerSites.get(str(c.site));
    if (serves) partnerOf.set(str(c.id), { site: str(c.site), serves });
  }
  const grants = new Map<string, string[]>();
  for (const g of list(j.grants))
    grants
      .set(str(g.tenant), grants.get(str(g.tenant)) ?? [])
      .get(str(g.tenant))!
      .push(str(g.dataset));
  return {
    clusterClassification,
    partnerOf,
    datasetClassification: new Map(list(j.datasets).map((d) => [str(d.id), str(d.classification)])),
    grants,
    federations: list(j.federations).map((f) => ({
      id: str(f.id),
      manager: str(f.manager),
      workers: strs(f.workers),
      tenants: list(j.tenants)
        .filter((t) => strs(t.federations).includes(str(f.id)))
        .map((t) => str(t.id)),
    })),
  };
}
