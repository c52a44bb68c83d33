/**
 * The AWS half of the matrix: every principal the artifacts define or trust, against every data
 * store, for each verb, through each network path, at `now` and at every instant a time
 * condition flips. A read is s3:GetObject plus kms:Decrypt through S3; a write is s3:PutObject
 * plus kms:GenerateDataKey; list and delete need S3 alone.
 */
import { asArray, isRecord } from '../../engine/cfn/template';
import type { AwsModel, AwsRole, KeyInfo, S3Path, Store } from './aws-model';
import { boundaries, iso, sampleTimes, type Cell, type Sample, type Verb, VERBS } from './cells';
import { authorize, type Layers } from './evaluate';
import type { HitCache } from './hit-cache';
import { SampleTable } from './sample-table';
import {
  anonymousPrincipal,
  externalPrincipal,
  keysOf,
  otherPrincipal,
  request,
  rootPrincipal,
  servicePrincipal,
  type Keys,
} from './principals';
import { and, or, type Decision, type Doc, type Principal, type Tri } from './types';
export type { Job };

const S3_ACTION: Readonly<Record<Verb, string>> = {
  read: 's3:GetObject',
  list: 's3:ListBucket',
  write: 's3:PutObject',
  delete: 's3:DeleteObject',
};
const KMS_ACTION: Partial<Record<Verb, string>> = { read: 'kms:Decrypt', write: 'kms:GenerateDataKey' };

export interface Caller {
  readonly principal: Principal;
  readonly role?: AwsRole;
}

/** Every caller: the assembly's roles, the root user, other principals of the account, other accounts, anonymous, and the services the store policies name. */
export function callers(model: AwsModel): Caller[] {
  const out: Caller[] = model.roles.map((role) => ({ principal: role.principal, role }));
  const declared = new Set(model.roles.flatMap((r) => r.names));
  for (const account of [...model.accounts].sort()) {
    out.push({ principal: rootPrincipal(account, model.partition) });
    out.push({ principal: otherPrincipal(account, model.partition, declared) });
  }
  out.push({ principal: externalPrincipal(model.accounts, model.partition) });
  out.push({ principal: anonymousPrincipal() });
  const services = new Set<string>();
  for (const s of model.stores)
    for (const d of [...(s.policy ?? []), ...(s.key?.docs ?? [])])
      for (const st of d.statements)
        if (isRecord(st.Principal))
          for (const v of asArray(st.Principal.Service)) if (typeof v === 'string') services.add(v);
  for (const s of [...services].sort()) out.push({ principal: servicePrincipal(s) });
  return out;
}

export const pathLabel = (p: S3Path): string => p.enclave ?? 'public-endpoint';

const allowResources = new WeakMap<Doc, readonly string[]>();

/** The string Resources of a document's Allow statements, in order (read once per document). */
function allowResourcesOf(d: Doc): readonly string[] {
  let out = allowResources.get(d);
  if (!out) {
    out = d.statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => asArray(s.Resource).filter((r): r is string => typeof r === 'string'));
    allowResources.set(d, out);
  }
  return out;
}

/** Object keys worth asking about: any key, and the prefixes the documents name. */
function objectCandidates(store: Store, docs: readonly Doc[]): string[] {
  const prefix = `${store.arn}/`;
  const out = new Set([`${prefix}any-object`]);
  for (const d of docs)
    for (const r of allowResourcesOf(d))
      if (r.startsWith(prefix) && r !== `${prefix}*`) out.add(r.replace(/[*?]/g, 'x'));
  return [...out].slice(0, 6);
}

interface Job {
  readonly caller: Caller;
  readonly store: Store;
  readonly verb: Verb;
  readonly side: Cell['side'];
  readonly now: number;
  /** Statement hits shared by the jobs of this caller. */
  readonly hits?: HitCache;
  /** Samples shared by the cells of the matrix (else each cell makes its own). */
  readonly samples?: SampleTable;
  /**
   * For a bucket or key layer: what the callers it cannot tell apart share (`alike`, see
   * layer-sharing.ts), and the decisions made for them, by that, the verb, the path and the instant.
   */
  readonly layer?: LayerShare;
}

/** Layer cells and decisions: how many were made, and how many taken from another caller's. */
export interface LayerCounts {
  cells: number;
  sharedCells: number;
  decisions: number;
  sharedDecisions: number;
}

/** What the callers a bucket or key layer cannot tell apart share (layer-sharing.ts). */
export interface LayerShare {
  /** What the callers alike have in common, as a short key (matrix.ts, `SharedLayers.layer`). */
  readonly alike: string;
  /** The decisions made for them, by verb, path, instant and `alike`. */
  readonly decisions: Map<string, Decision | undefined>;
  /** What was shared (for tests and profiles). */
  readonly counts?: LayerCounts;
}

const NO_OBJECTS: readonly string[] = [];
const pathIds = new WeakMap<S3Path, number>();
let pathsNumbered = 0;

/** A path's number, for the keys of shared decisions (its label need not be unique). */
function pathId(path: S3Path): number {
  let id = pathIds.get(path);
  if (id === undefined) pathIds.set(path, (id = pathsNumbered++));
  return id;
}

/** The S3 decision through `path`, or the KMS one without. */
const decideNow = (job: Job, path: S3Path | undefined, at: number, objects: readonly string[]) =>
  path ? s3Decision(job, path, at, objects) : kmsDecision(job, at);

/**
 * The S3 decision through `path` (the KMS one without), made once for the callers the job's layer
 * cannot tell apart. (No closure is passed: tsx names every closure it creates, at a cost.)
 */
function layerDecision(
  job: Job,
  path: S3Path | undefined,
  at: number,
  objects: readonly string[],
): Decision | undefined {
  const layer = job.layer;
  if (!layer) return decideNow(job, path, at, objects);
  const key = `${job.verb} ${path ? pathId(path) : 'kms'} ${at} ${layer.alike}`;
  if (layer.decisions.has(key)) {
    if (layer.counts) layer.counts.sharedDecisions++;
    return layer.decisions.get(key);
  }
  const d = decideNow(job, path, at, objects);
  layer.decisions.set(key, d);
  if (layer.counts) layer.counts.decisions++;
  return d;
}

function layersFor(
  job: Job,
  resource: readonly Doc[] | undefined,
  keyPolicy: boolean,
  endpoint?: readonly Doc[],
): Layers {
  const p = job.caller.principal;
  return {
    identity: job.caller.role?.identity ?? [],
    identityAll: p.kind === 'account-other' || p.kind === 'external-account',
    boundary: job.caller.role?.boundary,
    resource,
    keyPolicy,
    endpoint,
    sameAccount: p.account !== undefined && p.account === job.store.account,
    side: job.side === 'effective' ? undefined : job.side === 'identity' ? 'identity' : 'deny-only',
  };
}

const storeContexts = new WeakMap<Store, Record<string, string>>();

/** The context keys a bucket brings to every request on it (computed once per bucket). */
function storeContext(store: Store): Record<string, string> {
  let c = storeContexts.get(store);
  if (!c) {
    c = { 'aws:ResourceAccount': store.account, 's3:ResourceAccount': store.account };
    for (const [k, v] of store.tags) c[`aws:ResourceTag/${k}`] = v;
    storeContexts.set(store, c);
  }
  return c;
}

const s3Keys = new WeakMap<Store, Map<S3Path, Map<number, Keys>>>();

/** The keys of an S3 request on a store through a path at an instant (built once: every caller asks them). */
function s3KeysOf(store: Store, path: S3Path, at: number): Keys {
  let byPath = s3Keys.get(store);
  if (!byPath) s3Keys.set(store, (byPath = new Map()));
  let byTime = byPath.get(path);
  if (!byTime) byPath.set(path, (byTime = new Map()));
  let keys = byTime.get(at);
  if (!keys) {
    const ctx: Record<string, string | string[]> = { ...storeContext(store), 'aws:CurrentTime': iso(at) };
    if (path.endpoint) ctx['aws:SourceVpce'] = path.endpoint;
    if (path.vpc) ctx['aws:SourceVpc'] = path.vpc;
    byTime.set(at, (keys = keysOf(ctx)));
  }
  return keys;
}

function s3Decision(job: Job, path: S3Path, at: number, objects: readonly string[]): Decision {
  const p = job.caller.principal;
  const ctx = s3KeysOf(job.store, path, at);
  const layers = layersFor(job, job.store.policy, false, path.docs);
  const resources = job.verb === 'list' ? [job.store.arn] : objects;
  let best: Decision | undefined;
  for (const r of resources) {
    const d = authorize(request(p, S3_ACTION[job.verb], r, ctx), layers, job.hits);
    if (d.allowed === true) return d;
    if (!best || (d.allowed === 'undecided' && best.allowed === false)) best = d;
  }
  return best as Decision;
}

const kmsKeys = new WeakMap<Store, Map<string | undefined, Map<number, Keys>>>();

/** The keys of a KMS request through S3 on a store's key, for a caller's account, at an instant (built once). */
function kmsKeysOf(store: Store, key: KeyInfo, account: string | undefined, at: number): Keys {
  let byAccount = kmsKeys.get(store);
  if (!byAccount) kmsKeys.set(store, (byAccount = new Map()));
  let byTime = byAccount.get(account);
  if (!byTime) byAccount.set(account, (byTime = new Map()));
  let keys = byTime.get(at);
  if (!keys) {
    const ctx: Record<string, string | string[]> = {
      'aws:CurrentTime': iso(at),
      'kms:ViaService': `s3.${store.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': store.bucketKey ? store.arn : `${store.arn}/any-object`,
      'kms:EncryptionContextKeys': ['aws:s3:arn'],
      'aws:CalledVia': ['s3.amazonaws.com'],
      'aws:ViaAWSService': 'true',
      'aws:ResourceAccount': key.item.resolver.account,
    };
    if (account) ctx['kms:CallerAccount'] = account;
    if (key.aliases.length) ctx['kms:ResourceAliases'] = [...key.aliases];
    for (const [k, v] of key.tags) ctx[`aws:ResourceTag/${k}`] = v;
    byTime.set(at, (keys = keysOf(ctx)));
  }
  return keys;
}

function kmsDecision(job: Job, at: number): Decision | undefined {
  const action = KMS_ACTION[job.verb];
  const { store } = job;
  if (!action) return undefined;
  if (store.keyUnknown) return { allowed: 'undecided', witnesses: [], reason: store.keyUnknown };
  const key = store.key;
  if (!key) return undefined;
  const p = job.caller.principal;
  const ctx = kmsKeysOf(store, key, p.account, at);
  const layers = layersFor(job, key.docs, true);
  let best: Decision | undefined;
  for (const name of key.names) {
    const d = authorize(request(p, action, name, ctx), layers, job.hits);
    if (d.allowed === true) return d;
    if (!best || (d.allowed === 'undecided' && best.allowed === false)) best = d;
  }
  return best;
}

/** The documents an S3 decision of the job reads through a path, each with how it is read. */
function s3Docs(job: Job, path: S3Path): Array<[readonly Doc[] | undefined, boolean, boolean]> {
  const role = job.caller.role;
  if (job.side === 'bucket') return [[job.store.policy, true, true]];
  const own: Array<[readonly Doc[] | undefined, boolean, boolean]> = [
    [role?.identity, false, false],
    [role?.boundary, false, false],
  ];
  return job.side === 'identity' ? own : [...own, [job.store.policy, true, false], [path.docs, true, false]];
}

/** The documents a KMS decision of the job reads, each with how it is read. */
function kmsDocs(job: Job): Array<[readonly Doc[] | undefined, boolean, boolean]> {
  const role = job.caller.role;
  if (job.side === 'key') return [[job.store.key?.docs, true, true]];
  return [
    [role?.identity, false, false],
    [role?.boundary, false, false],
    [job.store.key?.docs, true, false],
  ];
}

/**
 * Whether a decision may depend on the instant: some statement of its documents that may apply to
 * the caller reads a time key (always, without the caller's hit cache to say).
 */
function readsInstant(
  job: Job,
  docs: ReadonlyArray<[readonly Doc[] | undefined, boolean, boolean]>,
  action: string | undefined,
): boolean {
  const h = job.hits;
  if (!h || h.principal !== job.caller.principal || action === undefined) return true;
  return docs.some(([ds, resourcePolicy, onlyDeny]) =>
    (ds ?? []).some((d) => h.readsTime(d, action, resourcePolicy, onlyDeny)),
  );
}

/** What the cells of a caller on a store share, whatever the verb and side. */
export interface CellShape {
  /** The instants to sample: now, and each time a condition of the documents in play flips. */
  readonly times: readonly number[];
  /** The object keys to ask about. */
  readonly objects: readonly string[];
}

/** The shape of the cells of `caller` on `store` (made once for all of them: 16 cells at most). */
export function cellShape(caller: Caller, store: Store, now: number, paths: readonly S3Path[]): CellShape {
  const docs = [
    ...(caller.role?.identity ?? []),
    ...(caller.role?.boundary ?? []),
    ...(store.policy ?? []),
    ...(store.key?.docs ?? []),
    ...paths.flatMap((p) => p.docs ?? []),
  ];
  return { times: sampleTimes(now, boundaries(docs, now)), objects: objectCandidates(store, docs) };
}

/** The KMS decisions of one cell, by instant (a decision whose documents read no instant is made once, at `first`). */
interface KmsAsked {
  readonly fixed: boolean;
  readonly first: number;
  readonly memo: Map<number, Decision | undefined>;
}

/**
 * The KMS decision of a cell at an instant, made once. (A function of the module, not a closure
 * made per cell: tsx names every closure it creates, which cost more than the closure's work.)
 */
function kmsAt(job: Job, t: number, kms: KmsAsked): Decision | undefined {
  if (job.side === 'bucket' || job.side === 'identity') return undefined;
  const at = kms.fixed ? kms.first : t;
  if (!kms.memo.has(at)) kms.memo.set(at, layerDecision(job, undefined, at, NO_OBJECTS));
  return kms.memo.get(at);
}

/** One cell through every path. */
export function evaluateCell(
  job: Job,
  paths: readonly S3Path[],
  shape: CellShape = cellShape(job.caller, job.store, job.now, paths),
): Map<string, readonly Sample[]> {
  const { times, objects } = shape;
  const table = job.samples ?? new SampleTable();
  // the identity side asks S3 alone: a statement that outlives its grant shows even where the key statement ends in time
  // KMS is asked only where S3 does not already refuse (and once per instant: it has no path);
  // a decision whose documents read no instant (for this caller) is the same at every sample
  const kms: KmsAsked = {
    fixed: !readsInstant(job, kmsDocs(job), KMS_ACTION[job.verb]),
    first: times[0],
    memo: new Map(),
  };
  const out = new Map<string, readonly Sample[]>();
  // the identity side and the key layer do not depend on the network path (they ask the public
  // one); the bucket layer is asked through each path, since its denies may name the endpoints
  for (const path of job.side === 'identity' || job.side === 'key' ? paths.slice(0, 1) : paths) {
    const samples: Sample[] = [];
    const fixedS3 = !readsInstant(job, s3Docs(job, path), S3_ACTION[job.verb]);
    let first: Decision | undefined;
    for (const at of times) {
      const s3 =
        job.side === 'key'
          ? undefined
          : fixedS3 && first
            ? first
            : (first = layerDecision(job, path, at, objects) as Decision);
      const k = s3?.allowed === false ? undefined : kmsAt(job, at, kms);
      if (!s3 && !k) continue;
      const allowed: Tri = s3 && k ? and(s3.allowed, k.allowed) : (s3 ?? (k as Decision)).allowed;
      // the witnesses of the parts that decide, S3 first; the reason of the first undecided one
      const witnesses = table.witnesses(
        s3 && (allowed === true || s3.allowed === allowed) ? s3.witnesses : undefined,
        k && (allowed === true || k.allowed === allowed) ? k.witnesses : undefined,
      );
      const reason =
        allowed !== 'undecided'
          ? undefined
          : s3?.allowed === 'undecided'
            ? s3.reason
            : k?.allowed === 'undecided'
              ? k.reason
              : undefined;
      samples.push(table.sample(at, allowed, witnesses, reason));
    }
    if (samples.length)
      out.set(job.side === 'identity' ? 'identity alone' : pathLabel(path), table.list(samples));
  }
  return out;
}

export const anyTrue = (samples: readonly Sample[]): Tri => or(false, ...samples.map((s) => s.allowed));
export { VERBS };
