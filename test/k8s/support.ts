/** Helpers for the Kubernetes target tests: synthesize into a temp folder and read it back. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadPlatform, type Platform } from '../../infra/model';
import { TEST_NOW } from '../support/dates';

export const NOW = TEST_NOW;

export function defaultPlatform(): Platform {
  return loadPlatform({ now: NOW }).platform;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `genesis-${prefix}-`));
}

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
};

export interface ManifestFile {
  /** Relative to the output folder, `/`-separated. */
  readonly file: string;
  readonly objects: K8sObject[];
}

export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export function readManifests(dir: string): ManifestFile[] {
  return [...readTree(dir)]
    .filter(([f]) => f.endsWith('.yaml'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, text]) => ({
      file,
      objects: parseAllDocuments(text)
        .map((d) => d.toJS() as K8sObject)
        .filter((o) => o),
    }));
}

/** Kubernetes quantity -> number (cpu in cores, bytes for binary suffixes); exact enough for tests. */
export function quantity(q: unknown): number {
  if (typeof q === 'number') return q;
  const m = /^(\d+)(m|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(String(q));
  if (!m) throw new Error(`not a quantity: ${String(q)}`);
  const n = Number(m[1]);
  const unit: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
  };
  return m[2] ? n * unit[m[2]] : n;
}

/** Built-in and CRD kinds that are cluster-scoped. */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ResourceFlavor',
  'Cohort',
  'ClusterQueue',
  'WorkloadPriorityClass',
  'MultiKueueCluster',
  'MultiKueueConfig',
  'AdmissionCheck',
  'ClusterPolicy',
  'ClusterNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
]);

export const NAMESPACED = new Set([
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'LocalQueue',
  'PersistentVolumeClaim',
  'ConfigMap',
]);
