/**
 * The declared network intent, read from `platform.json` (artifacts.intent): enclaves with their
 * CIDR, classification, reachableFrom and egress allow-list. Parsed defensively: a malformed
 * intent is reported, never guessed.
 */
import { asRecord as rec, records as list, strings as strs } from '../../../infra/util/records';
import type { ArtifactSet } from '../../engine/types';
import { CidrSet } from './cidr';
import { readDeclaredPaths, type DeclaredPath } from './federation-intent';

export interface EnclaveIntent {
  readonly id: string;
  readonly site: string;
  readonly classification: string;
  readonly cidr: CidrSet;
  readonly cidrText: string;
  readonly reachableFrom: readonly string[];
  readonly egress: {
    readonly mode: 'none' | 'allow-list';
    readonly cidrs: CidrSet;
    readonly fqdns: readonly string[];
  };
}

export interface Intent {
  readonly file: string;
  readonly enclaves: readonly EnclaveIntent[];
  /** Site id -> CNI named by the site (on-prem sites), when given. */
  readonly cni: ReadonlyMap<string, string>;
  /** Sites of kind aws. */
  readonly awsSites: ReadonlySet<string>;
  /** Cluster id -> enclave id. */
  readonly clusterEnclave: ReadonlyMap<string, string>;
  /** The federation paths to workers on other sites (each worker's API endpoint, nothing else). */
  readonly paths: readonly DeclaredPath[];
  readonly problems: readonly string[];
}

export const RESTRICTED = new Set(['cui', 'export-controlled']);

export function readIntent(artifacts: ArtifactSet): Intent | undefined {
  if (!artifacts.intent) return undefined;
  const json = rec(artifacts.intent.json);
  const problems: string[] = [];
  const enclaves: EnclaveIntent[] = [];
  for (const e of list(json.enclaves)) {
    const r = rec(e);
    const id = String(r.id);
    const cidr = CidrSet.tryOf(r.cidr);
    const eg = rec(r.egress);
    const egCidrs = CidrSet.tryOf(...strs(eg.cidrs));
    if (!cidr || !egCidrs) {
      problems.push(`enclave ${id}: cidr or egress cidrs are not CIDRs`);
      continue;
    }
    const mode = eg.mode === 'allow-list' ? 'allow-list' : 'none';
    if (eg.mode !== 'allow-list' && eg.mode !== 'none')
      problems.push(`enclave ${id}: unknown egress mode ${JSON.stringify(eg.mode)}, judged as none`);
    enclaves.push({
      id,
      site: String(r.site),
      classification: String(r.classification),
      cidr,
      cidrText: String(r.cidr),
      reachableFrom: strs(r.reachableFrom),
      egress: { mode, cidrs: egCidrs, fqdns: strs(eg.fqdns) },
    });
  }
  const cni = new Map<string, string>();
  const awsSites = new Set<string>();
  for (const s of list(json.sites)) {
    if (typeof rec(s).cni === 'string') cni.set(String(rec(s).id), String(rec(s).cni));
    if (rec(s).kind === 'aws') awsSites.add(String(rec(s).id));
  }
  const clusterEnclave = new Map<string, string>();
  for (const c of list(json.clusters)) clusterEnclave.set(String(rec(c).id), String(rec(c).enclave));
  const declared = readDeclaredPaths(json);
  problems.push(...declared.problems);
  return {
    file: artifacts.intent.file,
    enclaves: enclaves.sort((a, b) => (a.id < b.id ? -1 : 1)),
    cni,
    awsSites,
    clusterEnclave,
    paths: declared.paths,
    problems,
  };
}

/** Whether intent lets enclave `from` open connections into `to`. */
export const mayReach = (from: EnclaveIntent, to: EnclaveIntent): boolean =>
  from.id === to.id || to.reachableFrom.includes(from.id);

/** The enclave whose CIDR holds every address of `set` (the most specific one), if any. */
export function enclaveOfSet(intent: Intent | undefined, set: CidrSet): EnclaveIntent | undefined {
  if (!intent || set.isEmpty()) return undefined;
  return intent.enclaves
    .filter((e) => e.cidr.covers(set))
    .sort((a, b) => (a.cidr.size() < b.cidr.size() ? -1 : 1))[0];
}

/** Whether a DNS name pattern (`a.b`, `*.b`, `*`) is allowed by an allow-list of names (same forms). */
export function nameAllowed(pattern: string, allowed: readonly string[]): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  return allowed.some((a0) => {
    const a = a0.toLowerCase().replace(/\.$/, '');
    if (a === p) return true;
    if (a.startsWith('*.')) {
      const base = a.slice(1);
      return p.endsWith(base) && p !== '*' && !p.startsWith('*')
        ? true
        : p.startsWith('*.') && p.slice(1).endsWith(base);
    }
    return false;
  });
}
