/**
 * Reads the artifacts of a synthesized platform from disk: the CDK cloud assembly under `aws/`
 * and the Kubernetes YAML under `k8s/`. Nothing else in the folder is read (in particular not
 * platform.json, the normalised model), so output edited by hand is judged as it stands.
 *
 * Anything unreadable throws an {@link InputError} naming the file: a check that skipped a file it
 * could not parse would pass what it never saw.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { guardPrimitives, mayShadowPrimitives } from './primitive-guard';
import { isJsonData } from '../../infra/util/json-data';
import { isRecord } from '../../infra/util/records';
import { InputError } from './errors';
import { resourceLines } from './json-lines';
import type { ArtifactSet, CfnTemplate, K8sDocument, K8sObject, StackArtifact } from './types';

const posix = (p: string): string => p.split(path.sep).join('/');

function readText(abs: string, shown: string): string {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new InputError(shown, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function parseJson(text: string, shown: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return mayShadowPrimitives(text) ? guardPrimitives(value) : value;
  } catch (e) {
    throw new InputError(shown, `not valid JSON: ${(e as Error).message}`);
  }
}

/** Parses `aws://<account>/<region>`; unknown-account / unknown-region give undefined. */
export function parseEnvironment(env: unknown): { account?: string; region?: string } {
  if (typeof env !== 'string') return {};
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env);
  if (!m) return {};
  return {
    account: /^\d{12}$/.test(m[1]) ? m[1] : undefined,
    region: m[2].startsWith('unknown') ? undefined : m[2],
  };
}

/** Reads one template file into a stack artifact. `shown` is the path findings report. */
/** Checks the shape every rule relies on: an object whose resources each have a Type. */
export function checkTemplateShape(template: unknown, shown: string): CfnTemplate {
  if (!isRecord(template)) throw new InputError(shown, 'a CloudFormation template must be a JSON object');
  if (template.Resources !== undefined && !isRecord(template.Resources))
    throw new InputError(shown, '"Resources" must be an object');
  for (const [id, r] of Object.entries((template.Resources ?? {}) as Record<string, unknown>)) {
    if (!isRecord(r) || typeof r.Type !== 'string')
      throw new InputError(shown, `resource "${id}" has no "Type"`);
  }
  return template as CfnTemplate;
}

export function loadTemplate(
  abs: string,
  shown: string,
  stackName: string,
  env: { account?: string; region?: string } = {},
): StackArtifact {
  const text = readText(abs, shown);
  const template = checkTemplateShape(parseJson(text, shown), shown);
  return {
    stackName,
    file: shown,
    template,
    bytes: Buffer.byteLength(text, 'utf8'),
    account: env.account,
    region: env.region,
    resourceLines: resourceLines(text),
    constructPaths: new Map(),
  };
}

/**
 * Logical id -> construct path below the stack, from the artifact's metadata (inline, or in its
 * `additionalMetadataFile`), where CDK records `aws:cdk:logicalId` per construct path. Metadata
 * that is missing or unreadable only costs the hash-free fingerprint: it decides no verdict.
 */
function constructPaths(art: Record<string, unknown>, dir: string, stackId: string): Map<string, string> {
  const paths = new Map<string, string>();
  let metadata: unknown = art.metadata;
  if (typeof art.additionalMetadataFile === 'string') {
    try {
      const file = art.additionalMetadataFile;
      metadata = parseJson(fs.readFileSync(path.join(dir, file), 'utf8'), file);
    } catch {
      metadata = undefined;
    }
  }
  if (!isRecord(metadata)) return paths;
  const stackPrefix = new RegExp(`^/${stackId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (!isRecord(e) || e.type !== 'aws:cdk:logicalId' || typeof e.data !== 'string') continue;
      const below = constructPath.replace(stackPrefix, '').replace(/\/(Resource|Default)$/, '');
      if (below && !paths.has(e.data)) paths.set(e.data, below);
    }
  }
  return paths;
}

function loadAssembly(root: string, dir: string, stacks: StackArtifact[]): void {
  const manifestAbs = path.join(dir, 'manifest.json');
  const manifestShown = posix(path.relative(root, manifestAbs));
  if (!fs.existsSync(manifestAbs))
    throw new InputError(manifestShown, 'missing: a cloud assembly needs a manifest.json');
  const manifest = parseJson(readText(manifestAbs, manifestShown), manifestShown);
  if (!isRecord(manifest)) throw new InputError(manifestShown, 'must be a JSON object');
  const artifacts = manifest.artifacts ?? {};
  if (!isRecord(artifacts)) throw new InputError(manifestShown, '"artifacts" must be an object');
  for (const id of Object.keys(artifacts).sort()) {
    const art = artifacts[id];
    if (!isRecord(art)) continue;
    const props = isRecord(art.properties) ? art.properties : {};
    if (art.type === 'aws:cloudformation:stack') {
      if (typeof props.templateFile !== 'string')
        throw new InputError(manifestShown, `stack artifact "${id}" has no properties.templateFile`);
      const abs = path.join(dir, props.templateFile);
      const stackName = typeof props.stackName === 'string' ? props.stackName : id;
      const stack = loadTemplate(
        abs,
        posix(path.relative(root, abs)),
        stackName,
        parseEnvironment(art.environment),
      );
      stacks.push({ ...stack, constructPaths: constructPaths(art, dir, id) });
    } else if (art.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      loadAssembly(root, path.join(dir, props.directoryName), stacks);
    }
  }
}

function templateFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...templateFiles(abs));
    else if (entry.name.endsWith('.template.json')) out.push(abs);
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(abs));
    // kubectl apply -R and GitOps tools apply .yaml, .yml and .json manifests alike (JSON parses as YAML).
    else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(abs);
  }
  return out;
}

export function asK8sObject(value: unknown, shown: string, line: number): K8sObject {
  if (
    !isRecord(value) ||
    typeof value.kind !== 'string' ||
    typeof value.apiVersion !== 'string' ||
    !isRecord(value.metadata)
  ) {
    throw new InputError(
      shown,
      `line ${line}: not a Kubernetes object (needs apiVersion, kind and metadata)`,
    );
  }
  return value as unknown as K8sObject;
}

/**
 * The documents of one YAML document's value at `line` of `shown` (k8s/<site>/<cluster>/<file>):
 * the object, or the items of a List.
 */
function documentsOf(value: unknown, shown: string, line: number): K8sDocument[] {
  const segments = shown.split('/');
  const site = segments.length >= 4 ? segments[1] : '';
  const cluster = segments.length >= 4 ? segments[2] : '';
  const object = asK8sObject(value, shown, line);
  const objects = object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
  return objects.map((o) => ({ object: asK8sObject(o, shown, line), file: shown, line, site, cluster }));
}

/** Parses one multi-document YAML file into documents; `shown` is k8s/<site>/<cluster>/<file>. */
export function parseK8sYaml(text: string, shown: string): K8sDocument[] {
  const lineCounter = new LineCounter();
  // YAML 1.1, as kubectl and client-go read manifests: `hostNetwork: yes` is true there, and must be
  // true here too, or a hand edit would slip past the rules. Timestamps stay strings (they do in
  // Kubernetes objects).
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    version: '1.1',
    customTags: (tags) =>
      tags.filter((t) => typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  if (!Array.isArray(docs)) throw new InputError(shown, 'not valid YAML');
  const shadows = mayShadowPrimitives(text);
  const out: K8sDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const at = lineCounter.linePos(error.pos[0]);
      throw new InputError(shown, `not valid YAML at line ${at.line}: ${error.message.split('\n')[0]}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (shadows) guardPrimitives(value);
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    out.push(...documentsOf(value, shown, line));
  }
  return out;
}

/**
 * The documents of a manifest this process has just written (`genesis synth`): the objects it
 * serialized, at the lines {@link parseK8sYaml} gives them, instead of the text parsed back. Only
 * for plain JSON data, which the manifest writer (`toYaml`, stacks/k8s/synth.ts) writes so that it
 * reads back as the same data (test/k8s/written-documents.property.test.ts holds it for generated
 * objects); anything else, or a text whose documents do not line up with the objects, gives
 * undefined and the file is parsed as any other.
 */
export function writtenDocuments(
  text: string,
  shown: string,
  objects: readonly unknown[],
  /** The writer has found every object to be plain JSON data (`isJsonData`): not looked at again. */
  plain = false,
): K8sDocument[] | undefined {
  // A document starts at the line after its `---`: block YAML of an object indents every line of
  // a nested value, so a line that is exactly `---` is a separator.
  const starts: number[] = [];
  for (let at = 0, line = 1; at < text.length; line++) {
    const end = text.indexOf('\n', at);
    const next = end < 0 ? text.length : end;
    if (next - at === 3 && text.startsWith('---', at)) starts.push(line + 1);
    at = next + 1;
  }
  if (starts.length !== objects.length || !objects.every((o) => isRecord(o) && (plain || isJsonData(o))))
    return undefined;
  if (mayShadowPrimitives(text)) objects.forEach((o) => guardPrimitives(o));
  return objects.flatMap((value, i) => documentsOf(value, shown, starts[i]));
}

/**
 * Manifests already parsed, by file (as shown) with the text they were parsed from: two outputs
 * loaded with the same cache (the sides of a diff) parse each file they hold alike once and share
 * its documents, which are read-only.
 */
export type ParsedManifests = Map<string, { readonly text: string; readonly documents: K8sDocument[] }>;

/**
 * Loads `<dir>/aws` and `<dir>/k8s`. A missing folder `dir` is an input error; a missing `aws/`
 * or `k8s/` leaves that part undefined (the engine reports it).
 */
export function loadArtifacts(dir: string, parsed?: ParsedManifests): ArtifactSet {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InputError(dir, 'no such folder (run `genesis synth` first, or name the folder to check)');
  const root = path.resolve(dir);
  let aws: ArtifactSet['aws'];
  const awsDir = path.join(root, 'aws');
  if (fs.existsSync(awsDir)) {
    const stacks: StackArtifact[] = [];
    loadAssembly(root, awsDir, stacks);
    // A template the manifest does not list is invisible to the rules (and to `cdk deploy`):
    // name it, so that taking a stack out of the manifest does not take it out of the check.
    const listed = new Set(stacks.map((st) => st.file));
    const unlisted = templateFiles(awsDir)
      .map((abs) => posix(path.relative(root, abs)))
      .filter((f) => !listed.has(f));
    aws = {
      stacks: stacks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
      ...(unlisted.length ? { unlisted } : {}),
    };
  }
  let k8s: ArtifactSet['k8s'];
  const k8sDir = path.join(root, 'k8s');
  if (fs.existsSync(k8sDir)) {
    const documents: K8sDocument[] = [];
    for (const abs of yamlFiles(k8sDir)) {
      const shown = posix(path.relative(root, abs));
      const text = readText(abs, shown);
      const known = parsed?.get(shown);
      if (known && known.text === text) documents.push(...known.documents);
      else {
        const docs = parseK8sYaml(text, shown);
        parsed?.set(shown, { text, documents: docs });
        documents.push(...docs);
      }
    }
    k8s = { documents };
  }
  return { aws, k8s, ...loadIntent(root) };
}

/** `<dir>/platform.json`, the declared intent, where synth wrote one. */
function loadIntent(root: string): Pick<ArtifactSet, 'intent'> {
  const abs = path.join(root, INTENT_FILE);
  if (!fs.existsSync(abs)) return {};
  return { intent: { file: INTENT_FILE, json: parseJson(readText(abs, INTENT_FILE), INTENT_FILE) } };
}

export const INTENT_FILE = 'platform.json';
