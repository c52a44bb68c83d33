/**
 * Schema conformance of synthesized Kubernetes manifests: every object of every `*.yaml` under a
 * folder is checked strictly against the Kubernetes definitions of its cluster's version and,
 * for custom resources, the served version of its CRD. Reads only files.
 *
 * A file states its cluster's version in its first line (`# genesis: ... kubernetesVersion=1.34`,
 * written by the Kubernetes target); `defaultKubernetesVersion` covers files without one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { parseAllDocuments, type Document } from 'yaml';
import { availableKubernetesVersions, pickKubernetesVersion, SchemaSet } from './schemas';

export interface Problem {
  /** File, relative to the folder validated. */
  readonly file: string;
  /** `Kind namespace/name`, or `(document N)` when the object cannot be named. */
  readonly object: string;
  /** JSON pointer into the object ('' for the object itself). */
  readonly path: string;
  readonly message: string;
}

export interface ValidateOptions {
  /** Kubernetes version for files without a header, e.g. "1.34". */
  readonly defaultKubernetesVersion?: string;
  /** `apiVersion/kind` -> `apiVersion/kind` whose schema stands in; {@link DEFAULT_SCHEMA_ALIASES} by default. */
  readonly schemaAliases?: Readonly<Record<string, string>>;
}

/**
 * Kinds checked against another kind's schema because their own CRD is not in the schema set.
 *
 * Amazon EKS's `networking.k8s.aws/v1alpha1` ClusterNetworkPolicy (VPC CNI network policy agent)
 * ships with EKS and is not published with the upstream CRDs the schema set copies. Its spec is
 * the upstream ClusterNetworkPolicy's for `tier`, `priority`, `subject` and egress `name`/`action`/
 * `to.networks` (it differs in port matching, which the platform does not use), so the upstream
 * schema checks those fields strictly and rejects any other.
 */
export const DEFAULT_SCHEMA_ALIASES: Readonly<Record<string, string>> = {
  'networking.k8s.aws/v1alpha1/ClusterNetworkPolicy':
    'policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy',
};

function splitGvk(key: string): { apiVersion: string; kind: string } {
  const i = key.lastIndexOf('/');
  return { apiVersion: key.slice(0, i), kind: key.slice(i + 1) };
}

const HEADER = /^# genesis:.*\bkubernetesVersion=(\d+\.\d+(?:\.\d+)?)\b/;

function listManifests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listManifests(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}

function describeError(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties')
    return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required')
    return `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'enum')
    return `${e.message}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  return e.message ?? e.keyword;
}

/** Ajv reports every failed branch of a oneOf/anyOf; keep the errors that say something. */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath}|${describeError(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Compiled schema sets by folder and version: loading and compiling 1.34 takes ~0.5 s. */
const SETS = new Map<string, SchemaSet>();

/** Records one problem of the file being checked. */
type AddProblem = (object: string, path: string, message: string) => void;

/**
 * The Kubernetes version whose definitions check a file: the newest available that is not newer
 * than the version its header states (or the default). Reports the file and returns undefined
 * when there is none.
 */
function fileSchemaVersion(
  text: string,
  available: readonly string[],
  schemasDir: string,
  options: ValidateOptions,
  add: AddProblem,
): string | undefined {
  const clusterVersion = HEADER.exec(text.split('\n', 1)[0])?.[1] ?? options.defaultKubernetesVersion;
  if (!clusterVersion) {
    add(
      '(file)',
      '',
      'states no Kubernetes version (header "# genesis: ... kubernetesVersion=X.Y") and none was given',
    );
    return undefined;
  }
  const version = pickKubernetesVersion(available, clusterVersion);
  if (!version) {
    add(
      '(file)',
      '',
      `no Kubernetes definitions for ${clusterVersion} or older in ${path.join(schemasDir, 'kubernetes')} (have ${available.join(', ') || 'none'})`,
    );
    return undefined;
  }
  return version;
}

/** The schema set of a folder and version, compiled on first use and kept in {@link SETS}. */
function schemaSet(schemasDir: string, version: string): SchemaSet {
  const setKey = `${path.resolve(schemasDir)}|${version}`;
  let schemas = SETS.get(setKey);
  if (!schemas) {
    schemas = new SchemaSet(schemasDir, version);
    SETS.set(setKey, schemas);
  }
  return schemas;
}

/** What checking the documents of one file needs. */
interface FileCheck {
  readonly schemasDir: string;
  readonly options: ValidateOptions;
  /** The Kubernetes version the schemas are of. */
  readonly version: string;
  readonly schemas: SchemaSet;
  /** The file, relative to the folder validated. */
  readonly rel: string;
  /** Object identity -> file that first defined it, shared by all files of the folder. */
  readonly identities: Map<string, string>;
  readonly add: AddProblem;
}

/** Checks document `i` (from 0) of a file: YAML, schema, scope, and that it is not defined twice. */
function checkDocument(doc: Document.Parsed, i: number, check: FileCheck): void {
  const { schemasDir, options, version, schemas, rel, identities, add } = check;
  const where = `(document ${i + 1})`;
  if (doc.errors.length > 0) {
    for (const err of doc.errors) add(where, '', `malformed YAML: ${err.message.split('\n')[0]}`);
    return;
  }
  const obj = doc.toJS() as Record<string, unknown> | null;
  if (obj === null || obj === undefined) return;
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    add(where, '', 'is not a Kubernetes object (a mapping)');
    return;
  }
  const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined;
  const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
  const label = kind ? `${kind} ${ns ? `${ns}/` : ''}${name}` : where;
  if (!kind || !apiVersion) {
    add(label, '', 'has no apiVersion or kind');
    return;
  }
  const alias = (options.schemaAliases ?? DEFAULT_SCHEMA_ALIASES)[`${apiVersion}/${kind}`];
  const schema =
    schemas.schemaFor({ apiVersion, kind }) ?? (alias ? schemas.schemaFor(splitGvk(alias)) : undefined);
  if (!schema) {
    add(
      label,
      '',
      `no schema for ${apiVersion} ${kind}: not a Kubernetes ${version} kind and no CRD in ${path.join(schemasDir, 'crds')} serves it`,
    );
    return;
  }
  if (!schema.validate(obj)) {
    for (const e of usefulErrors(schema.validate.errors ?? [])) add(label, e.instancePath, describeError(e));
  }
  if (schema.namespaced && !ns)
    add(label, '/metadata/namespace', `${kind} is namespaced and names no namespace`);
  if (!schema.namespaced && ns !== undefined)
    add(label, '/metadata/namespace', `${kind} is cluster-scoped and must not carry a namespace`);
  // The same object twice in one cluster's folder: the second apply silently wins.
  const identity = `${path.dirname(rel)}|${apiVersion.split('/').slice(0, -1).join('/')}|${kind}|${ns ?? ''}|${name}`;
  const first = identities.get(identity);
  if (first) add(label, '', `also defined in ${first}`);
  else identities.set(identity, rel);
}

export function validateManifests(dir: string, schemasDir: string, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const available = availableKubernetesVersions(schemasDir);
  const identities = new Map<string, string>();
  for (const file of listManifests(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    const add: AddProblem = (object, p, message) => {
      problems.push({ file: rel, object, path: p, message });
    };
    const version = fileSchemaVersion(text, available, schemasDir, options, add);
    if (!version) continue;
    const check: FileCheck = {
      schemasDir,
      options,
      version,
      schemas: schemaSet(schemasDir, version),
      rel,
      identities,
      add,
    };
    parseAllDocuments(text).forEach((doc, i) => checkDocument(doc, i, check));
  }
  return problems;
}
