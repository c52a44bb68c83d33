/**
 * What the federations of the artifacts do: from each manager ClusterQueue through its MultiKueue
 * AdmissionChecks and MultiKueueConfigs to the MultiKueueClusters and the worker clusters they
 * connect to, with the tenants the queue admits (by its namespaceSelector over the manager's
 * namespaces, not by its labels) and what each worker is allowed to hold (its manifests' enclave
 * classification and the declared one, the lower of the two). Every link the artifacts leave
 * open is a `problem`, never a silent pass.
 */
import {
  KUEUE_NAMESPACE,
  LABEL,
  MULTIKUEUE_CONTROLLER,
  workerKubeconfigSecret,
} from '../../../infra/contract';
import {
  clusterOf,
  isRec,
  k8sDocs,
  labels,
  namespaceLabels,
  selectorMatches,
  specOf,
} from '../../engine/k8s';
import { tenantNamespaceIndex } from '../../engine/k8s';
import { memo } from '../../engine/memo';
import type { K8sDocument, RuleContext } from '../../engine/types';
import { readFederationIntent, rank, type FederationIntent } from './intent';

export interface Dispatch {
  /** The MultiKueueCluster name the config lists. */
  readonly name: string;
  readonly doc?: K8sDocument;
  /** The worker cluster id it connects to (its label and its kubeconfig Secret agree on it). */
  readonly worker?: string;
  /** `<site>/<cluster>` of the worker's manifests in the output. */
  readonly workerKey?: string;
  /** Why the worker cannot be told; set instead of `worker`. */
  readonly problem?: string;
}

export interface QueueCheck {
  readonly check: K8sDocument;
  readonly config?: K8sDocument;
  readonly problem?: string;
  readonly dispatches: readonly Dispatch[];
}

export interface FederatedQueue {
  /** The manager's ClusterQueue. */
  readonly queue: K8sDocument;
  readonly manager: string;
  /** Tenants whose namespaces on the manager the queue admits, sorted. */
  readonly tenants: readonly string[];
  readonly checks: readonly QueueCheck[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The admission check names a ClusterQueue requires (v1beta2 admissionChecksStrategy, or admissionChecks). */
export function admissionCheckNames(q: K8sDocument): string[] {
  const spec = specOf(q.object);
  const strategy = isRec(spec.admissionChecksStrategy) ? spec.admissionChecksStrategy : {};
  const fromStrategy = Array.isArray(strategy.admissionChecks)
    ? strategy.admissionChecks.map((c) => (isRec(c) ? str(c.name) : undefined))
    : [];
  const plain = Array.isArray(spec.admissionChecks) ? spec.admissionChecks.map(str) : [];
  return [...fromStrategy, ...plain].filter((n): n is string => n !== undefined);
}

const byName = (docs: readonly K8sDocument[]): Map<string, K8sDocument> => {
  const m = new Map<string, K8sDocument>();
  for (const d of docs) m.set(`${clusterOf(d)}|${String(d.object.metadata.name)}`, d);
  return m;
};

/** The worker a MultiKueueCluster connects to: its label, confirmed by its kubeconfig Secret's name. */
function dispatchOf(
  name: string,
  doc: K8sDocument | undefined,
  workerKeys: ReadonlyMap<string, string>,
): Dispatch {
  if (!doc) return { name, problem: `MultiKueueCluster "${name}" does not exist on the manager` };
  const worker = labels(doc.object)[LABEL.worker];
  const fed = labels(doc.object)[LABEL.federation];
  const source = specOf(doc.object).clusterSource;
  const kc = isRec(source) && isRec(source.kubeConfig) ? source.kubeConfig : undefined;
  if (!worker || !fed)
    return { name, doc, problem: `MultiKueueCluster "${name}" does not say which worker it connects to` };
  if (!kc || kc.locationType !== 'Secret' || kc.location !== workerKubeconfigSecret(fed, worker))
    return {
      name,
      doc,
      problem: `MultiKueueCluster "${name}" connects through ${kc ? `${String(kc.locationType)} "${String(kc.location)}"` : 'no kubeConfig'}, not the Secret ${KUEUE_NAMESPACE}/${workerKubeconfigSecret(fed, worker)} of worker ${worker}`,
    };
  const workerKey = workerKeys.get(worker);
  if (!workerKey)
    return { name, doc, worker, problem: `worker cluster "${worker}" has no manifests in the output` };
  return { name, doc, worker, workerKey };
}

/** Cluster id -> `<site>/<cluster>` of the clusters whose manifests the output holds. */
function workerKeys(ctx: RuleContext): ReadonlyMap<string, string> {
  return memo(ctx.artifacts, 'federation:cluster-keys', () => {
    const m = new Map<string, string>();
    for (const d of ctx.artifacts.k8s?.documents ?? []) m.set(d.cluster, clusterOf(d));
    return m;
  });
}

/**
 * The tenants whose namespaces on its cluster a ClusterQueue admits, by evaluating its
 * namespaceSelector over the cluster's Namespaces (not by the queue's labels), sorted.
 */
export function admittedTenants(ctx: RuleContext, q: K8sDocument): string[] {
  const byCluster = memo(ctx.artifacts, 'federation:namespaces', () => {
    const m = new Map<string, K8sDocument[]>();
    for (const ns of k8sDocs(ctx, 'Namespace'))
      m.set(clusterOf(ns), m.get(clusterOf(ns)) ?? [])
        .get(clusterOf(ns))!
        .push(ns);
    return m;
  });
  const index = tenantNamespaceIndex(ctx);
  const out = new Set<string>();
  for (const ns of byCluster.get(clusterOf(q)) ?? []) {
    if (!selectorMatches(specOf(q.object).namespaceSelector, namespaceLabels(ns.object))) continue;
    const t = index.get(`${clusterOf(q)}|${String(ns.object.metadata.name)}`);
    if (t) out.add(t);
  }
  return [...out].sort();
}

function build(ctx: RuleContext): FederatedQueue[] {
  const checks = byName(k8sDocs(ctx, 'AdmissionCheck'));
  const configs = byName(k8sDocs(ctx, 'MultiKueueConfig'));
  const mkClusters = byName(k8sDocs(ctx, 'MultiKueueCluster'));
  const workers = workerKeys(ctx);
  const out: FederatedQueue[] = [];
  for (const q of k8sDocs(ctx, 'ClusterQueue')) {
    const manager = clusterOf(q);
    const found = admissionCheckNames(q).flatMap((name): QueueCheck[] => {
      const check = checks.get(`${manager}|${name}`);
      if (!check || specOf(check.object).controllerName !== MULTIKUEUE_CONTROLLER) return [];
      const params = isRec(specOf(check.object).parameters)
        ? (specOf(check.object).parameters as object)
        : {};
      const p = params as Record<string, unknown>;
      const config = p.kind === 'MultiKueueConfig' ? configs.get(`${manager}|${String(p.name)}`) : undefined;
      if (!config)
        return [
          {
            check,
            problem: `AdmissionCheck "${name}" names no MultiKueueConfig of the manager`,
            dispatches: [],
          },
        ];
      const names = Array.isArray(specOf(config.object).clusters)
        ? (specOf(config.object).clusters as unknown[]).map(String)
        : [];
      const dispatches = names.map((n) => dispatchOf(n, mkClusters.get(`${manager}|${n}`), workers));
      return [{ check, config, dispatches }];
    });
    if (!found.length) continue;
    out.push({ queue: q, manager, tenants: admittedTenants(ctx, q), checks: found });
  }
  return out;
}

/**
 * `<worker key>|<federation>` for every worker a manager's MultiKueueCluster connects to (label
 * and kubeconfig Secret agreeing, the worker's manifests in the output), whichever tenants use it.
 */
export function federationWorkers(ctx: RuleContext): ReadonlySet<string> {
  return memo(ctx.artifacts, 'federation:workers', () => {
    const out = new Set<string>();
    for (const d of k8sDocs(ctx, 'MultiKueueCluster')) {
      const r = dispatchOf(String(d.object.metadata.name), d, workerKeys(ctx));
      const fed = labels(d.object)[LABEL.federation];
      if (r.workerKey && fed) out.add(`${r.workerKey}|${fed}`);
    }
    return out;
  });
}

/** Every manager ClusterQueue that dispatches through MultiKueue, with where to. */
export function federatedQueues(ctx: RuleContext): readonly FederatedQueue[] {
  return memo(ctx.artifacts, 'federation:queues', () => build(ctx));
}

/**
 * What a worker cluster may hold: the lowest of the classifications its manifests carry and the
 * one its declared enclave has; undefined when neither says.
 */
export function workerCeiling(
  ctx: RuleContext,
  workerKey: string,
  intent: FederationIntent | undefined,
): string | undefined {
  const seen = memo(ctx.artifacts, 'federation:classifications', () => {
    const m = new Map<string, Set<string>>();
    for (const d of ctx.artifacts.k8s?.documents ?? []) {
      const c = labels(d.object)[LABEL.classification];
      if (c === undefined) continue;
      const s = m.get(clusterOf(d)) ?? new Set<string>();
      s.add(c);
      m.set(clusterOf(d), s);
    }
    return m;
  });
  const cluster = workerKey.slice(workerKey.indexOf('/') + 1);
  const candidates = [...(seen.get(workerKey) ?? [])];
  const declared = intent?.clusterClassification.get(cluster);
  if (declared) candidates.push(declared);
  if (!candidates.length) return undefined;
  return candidates.sort((a, b) => rank(a) - rank(b))[0];
}

export { readFederationIntent };
