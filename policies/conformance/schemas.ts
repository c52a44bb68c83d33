/**
 * The schema sources of the conformance check, read from `$GENESIS_SCHEMAS_DIR`:
 *   kubernetes/v<major>.<minor>.<patch>.json   Kubernetes OpenAPI definitions (cdk8s-team/cdk8s)
 *   crds/**\/*.yaml                            CustomResourceDefinitions
 * and compiled into Ajv validators, one per (source, group/version/kind).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { goPattern, strictDefinitions, strictSchema, type SchemaNode } from './strict-schema';

export { SCHEMAS_ENV } from './env';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export interface Gvk {
  readonly apiVersion: string;
  readonly kind: string;
}

const gvkKey = (g: Gvk): string => `${g.apiVersion}/${g.kind}`;

/** Kubernetes versions with definitions in the folder, sorted ascending (`1.28.0`, `1.34.0`). */
export function availableKubernetesVersions(schemasDir: string): string[] {
  const dir = path.join(schemasDir, 'kubernetes');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^v(\d+\.\d+\.\d+)\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(compareVersions);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest available version not newer than the cluster's (`1.34` -> `1.34.0`; `1.31` -> `1.28.0`). */
export function pickKubernetesVersion(
  available: readonly string[],
  clusterVersion: string,
): string | undefined {
  const wanted = clusterVersion.split('.').length === 2 ? `${clusterVersion}.999` : clusterVersion;
  return [...available].reverse().find((v) => compareVersions(v, wanted) <= 0);
}

interface CrdVersion {
  readonly gvk: Gvk;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: SchemaNode;
  readonly source: string;
}

function listYaml(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYaml(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}

function loadCrds(schemasDir: string): Map<string, CrdVersion> {
  const out = new Map<string, CrdVersion>();
  for (const file of listYaml(path.join(schemasDir, 'crds'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          scope: 'Namespaced' | 'Cluster';
          names: { kind: string };
          versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: unknown } }>;
        };
      } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        if (!v.served || !v.schema?.openAPIV3Schema) continue;
        const gvk = { apiVersion: `${crd.spec.group}/${v.name}`, kind: crd.spec.names.kind };
        out.set(gvkKey(gvk), {
          gvk,
          scope: crd.spec.scope,
          schema: strictSchema(v.schema.openAPIV3Schema),
          source: path.relative(schemasDir, file),
        });
      }
    }
  }
  return out;
}

export interface ObjectSchema {
  readonly validate: ValidateFunction;
  /** Cluster-scoped kinds must not carry metadata.namespace; namespaced ones must. */
  readonly namespaced: boolean;
  /** Where the schema came from, for messages. */
  readonly source: string;
}

/** Validators for one Kubernetes version plus every CRD. */
export class SchemaSet {
  private readonly ajv: Ajv;
  private readonly core = new Map<string, { def: string; namespaced: boolean }>();
  private readonly crds: Map<string, CrdVersion>;
  private readonly compiled = new Map<string, ObjectSchema | undefined>();
  private readonly docId: string;

  constructor(
    readonly schemasDir: string,
    readonly kubernetesVersion: string,
  ) {
    const raw = JSON.parse(
      fs.readFileSync(path.join(schemasDir, 'kubernetes', `v${kubernetesVersion}.json`), 'utf8'),
    ) as { definitions: Record<string, Record<string, unknown>> };
    this.docId = `k8s-${kubernetesVersion}`;
    // strict: false - the definitions carry OpenAPI-only keywords Ajv does not know.
    // Patterns are Go regular expressions (see goPattern).
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
      code: { regExp: goPattern },
    });
    this.ajv.addSchema({ $id: this.docId, definitions: strictDefinitions(raw.definitions) });
    for (const [name, def] of Object.entries(raw.definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'] as
        Array<{ group: string; version: string; kind: string }> | undefined;
      const props = def.properties as Record<string, unknown> | undefined;
      if (!gvks || !props?.metadata) continue;
      for (const g of gvks) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        this.core.set(gvkKey({ apiVersion, kind: g.kind }), {
          def: name,
          namespaced: NAMESPACED_CORE.has(g.kind),
        });
      }
    }
    this.crds = loadCrds(schemasDir);
  }

  /** The schema of a kind, or undefined when neither Kubernetes nor a CRD defines it. */
  schemaFor(gvk: Gvk): ObjectSchema | undefined {
    const key = gvkKey(gvk);
    if (this.compiled.has(key)) return this.compiled.get(key);
    let result: ObjectSchema | undefined;
    const core = this.core.get(key);
    const crd = this.crds.get(key);
    if (core) {
      result = {
        validate: this.ajv.compile({ $ref: `${this.docId}#/definitions/${core.def}` }),
        namespaced: core.namespaced,
        source: `kubernetes/v${this.kubernetesVersion}.json ${core.def}`,
      };
    } else if (crd) {
      // CRD schemas declare metadata as a bare object; the API server checks it as ObjectMeta.
      const schema: SchemaNode = {
        ...crd.schema,
        properties: {
          ...(crd.schema.properties as SchemaNode),
          metadata: { $ref: `${this.docId}#/definitions/${OBJECT_META}` },
        },
      };
      if (!Array.isArray(schema.required)) schema.required = [];
      schema.required = [...new Set([...(schema.required as string[]), 'apiVersion', 'kind', 'metadata'])];
      result = {
        validate: this.ajv.compile(schema),
        namespaced: crd.scope === 'Namespaced',
        source: crd.source,
      };
    }
    this.compiled.set(key, result);
    return result;
  }
}

/**
 * Namespaced built-in kinds. The definitions do not record scope; this is the list from
 * `kubectl api-resources --namespaced=true` for the groups the platform can emit.
 */
export const NAMESPACED_CORE: ReadonlySet<string> = new Set([
  'ConfigMap',
  'Endpoints',
  'Event',
  'LimitRange',
  'PersistentVolumeClaim',
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'ResourceQuota',
  'Secret',
  'Service',
  'ServiceAccount',
  'ControllerRevision',
  'DaemonSet',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'CronJob',
  'Job',
  'Lease',
  'EndpointSlice',
  'Ingress',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'Role',
  'RoleBinding',
  'CSIStorageCapacity',
  'LocalSubjectAccessReview',
  'ResourceClaim',
  'ResourceClaimTemplate',
]);
