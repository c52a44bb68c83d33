/**
 * The access matrix of a synthesized platform: AWS and Kubernetes cells together, each
 * attributed to the tenants its principal acts for. Computed once per artifact set and instant.
 */
import type { RuleContext } from '../../engine/types';
import { awsModel, type AwsModel, type AwsRole, type S3Path, type Store } from './aws-model';
import {
  callers,
  cellShape,
  evaluateCell,
  type Caller,
  type CellShape,
  type Job,
  type LayerCounts,
  type LayerShare,
} from './aws-matrix';
import { reachIndex, type ReachIndex } from './reach-index';
import { HitCache } from './hit-cache';
import { SampleTable } from './sample-table';
import { layerSignature } from './layer-sharing';
import { VERBS, type Cell, type Sample, type Side } from './cells';
import { readIntent, type Intent } from './intent';
import { k8sCells } from './k8s-cells';
import { roleTenants } from './tenancy';
import { tenantEvidence } from '../../engine/tenants';
import { changers, type Changer } from './change';
import { runners, type Runner } from './runners';
import type { Decision, Witness } from './types';
import { memo } from '../../engine/memo';

export interface AccessMatrix {
  readonly now: number;
  readonly cells: readonly Cell[];
  readonly intent?: Intent;
  readonly model?: AwsModel;
  /** Tenant -> the resource that makes a role act for it, per role id (for messages). */
  readonly attribution: ReadonlyMap<string, ReadonlyMap<string, Witness | undefined>>;
  /** Who can change access in one step. */
  readonly changers: readonly Changer[];
  /** Who runs workloads in a tenant's namespace besides the tenant (federation managers). */
  readonly runners: readonly Runner[];
}

/**
 * Whether a side is asked of a caller on a store (see Cell.side). `reaches`: something in play
 * could allow the caller on the store (always, for a caller that is not one of the roles).
 */
function asks(
  side: Side,
  caller: Caller,
  store: Store,
  tenants: readonly string[],
  reaches: boolean,
): boolean {
  const k = caller.principal.kind;
  const outsider = k === 'root' || k === 'account-other' || k === 'external-account' || k === 'anonymous';
  switch (side) {
    case 'effective':
      return reaches;
    case 'identity':
      return k === 'role' && tenants.length > 0 && reaches;
    case 'bucket':
      return (
        store.policy !== undefined &&
        (outsider || (store.kind === 'dataset' && k === 'role' && tenants.length > 0))
      );
    case 'key':
      return (
        store.kind === 'dataset' &&
        store.key !== undefined &&
        (outsider || (k === 'role' && tenants.length > 0))
      );
  }
}

/**
 * The stores worth visiting for a caller, in the model's order: every store for a caller that is
 * not a role; for a role, those it may reach, and the datasets whose bucket or key layer is asked
 * of a tenant's role. Other pairs have no cell, so a role costs its own stores, not all of them.
 */
function storesFor(
  model: AwsModel,
  caller: Caller,
  tenants: readonly string[],
  index: ReachIndex,
  order: ReadonlyMap<Store, number>,
): { stores: readonly Store[]; reaches: (s: Store) => boolean } {
  if (!caller.role) return { stores: model.stores, reaches: () => true };
  const reach = index.forRole(caller.role);
  if (reach === 'all') return { stores: model.stores, reaches: () => true };
  const visit = new Set(reach);
  if (tenants.length > 0) for (const s of index.layeredDatasets) visit.add(s);
  return {
    stores: [...visit].sort((a, b) => (order.get(a) as number) - (order.get(b) as number)),
    reaches: (s) => reach.has(s),
  };
}

/** The resource a cell of a side is about: the key for the key layer, the bucket policy for the bucket layer, else the bucket. */
function layerResource(store: Store, side: Side): { resource: string; file: string } {
  const w =
    side === 'key' ? store.key?.docs[0]?.witness : side === 'bucket' ? store.policy?.[0]?.witness : undefined;
  return w
    ? { resource: w.resource, file: w.file }
    : { resource: `aws:${store.item.stack.stackName}/${store.item.logicalId}`, file: store.item.stack.file };
}

function awsCells(
  model: AwsModel,
  now: number,
  owners: Map<AwsRole, Map<string, Witness | undefined>>,
  options: MatrixOptions,
): Cell[] {
  const out: Cell[] = [];
  const index = reachIndex(model);
  const order = new Map(model.stores.map((s, i) => [s, i]));
  const samples = new SampleTable();
  const shared = options.shareLayers === false ? undefined : new SharedLayers(order, options.layerCounts);
  for (const caller of callers(model)) {
    const tenants = caller.role ? [...(owners.get(caller.role)?.keys() ?? [])].sort() : [];
    const { stores, reaches } = storesFor(model, caller, tenants, index, order);
    const hits = new HitCache(caller.principal);
    for (const store of stores) {
      const reach = reaches(store);
      let shape: CellShape | undefined;
      for (const side of ['effective', 'identity', 'bucket', 'key'] as const) {
        if (!asks(side, caller, store, tenants, reach)) continue;
        shape ??= cellShape(caller, store, now, model.paths);
        const layer = shared?.layer(caller, store, side, shape);
        for (const verb of VERBS) {
          const job = { caller, store, verb, side, now, hits, samples, layer };
          const paths = shared ? shared.cell(job, model.paths, shape) : evaluateCell(job, model.paths, shape);
          if (paths.size === 0) continue;
          out.push({
            target: 'aws',
            principal: caller.principal.id,
            tenants,
            principalKind: caller.principal.kind,
            store: { kind: store.kind, id: store.id, ...layerResource(store, side) },
            verb,
            side,
            paths,
          });
        }
      }
    }
  }
  return out;
}

/**
 * The work of the bucket and key layers of the stores, shared by the roles a layer cannot tell
 * apart (layer-sharing.ts): their decisions, and their cells where their instants are the same.
 */
class SharedLayers {
  private readonly decisions = new Map<string, Decision | undefined>();
  /** Each distinct layer key as a short number: the decisions' keys are made by the hundred thousand. */
  private readonly alikes = new Map<string, string>();
  private readonly cells = new Map<string, ReadonlyMap<string, readonly Sample[]>>();

  constructor(
    private readonly order: ReadonlyMap<Store, number>,
    private readonly counts?: LayerCounts,
  ) {}

  /**
   * What a role's bucket or key layer on a store shares with the roles it cannot tell apart: the
   * store and side, the caller's account (the key layer's requests carry it), the object keys
   * asked about (the caller's own policies name some) and how the layer reads the caller (its
   * signature). Undefined where the cells are the caller's own (another side, another kind of
   * caller, a layer that reads the caller otherwise).
   */
  layer(caller: Caller, store: Store, side: Side, shape: CellShape): LayerShare | undefined {
    if (caller.principal.kind !== 'role' || (side !== 'bucket' && side !== 'key')) return undefined;
    const sig = layerSignature(caller.principal, side === 'bucket' ? store.policy : store.key?.docs);
    if (sig === undefined) return undefined;
    const where = `${side} ${this.order.get(store)} ${caller.principal.account ?? ''}`;
    const key = `${where} ${shape.objects.join(' ')} ${sig}`;
    let alike = this.alikes.get(key);
    if (alike === undefined) this.alikes.set(key, (alike = String(this.alikes.size)));
    return { alike, decisions: this.decisions, counts: this.counts };
  }

  /** A cell: that of a role alike sampled at the same instants, else evaluated (its decisions shared). */
  cell(job: Job, paths: readonly S3Path[], shape: CellShape): ReadonlyMap<string, readonly Sample[]> {
    if (!job.layer) return evaluateCell(job, paths, shape);
    const key = `${job.verb} ${job.layer.alike} ${shape.times.join(' ')}`;
    let cell = this.cells.get(key);
    if (cell) {
      if (this.counts) this.counts.sharedCells++;
      return cell;
    }
    this.cells.set(key, (cell = evaluateCell(job, paths, shape)));
    if (this.counts) this.counts.cells++;
    return cell;
  }
}

/** The matrix at `now` (ms). */
export function accessMatrix(ctx: RuleContext, now: number): AccessMatrix {
  return memo(ctx.artifacts, `access:matrix:${now}`, () => buildMatrix(ctx, now));
}

/** Options of `buildMatrix`, for tests. */
export interface MatrixOptions {
  /**
   * Judge a bucket or key layer once for the roles it cannot tell apart (layer-sharing.ts); off,
   * each role's cells are evaluated for it alone. @default true
   */
  readonly shareLayers?: boolean;
  /** Counts the layer cells and decisions made, and those taken from another caller's. */
  readonly layerCounts?: LayerCounts;
}

/** The matrix at `now`, made afresh (`accessMatrix` makes it once per artifact set). */
export function buildMatrix(ctx: RuleContext, now: number, options: MatrixOptions = {}): AccessMatrix {
  const intent = readIntent(ctx.artifacts.intent);
  const model = ctx.artifacts.aws ? awsModel(ctx) : undefined;
  const owners = model ? roleTenants(ctx, model.roles) : new Map<AwsRole, Map<string, Witness | undefined>>();
  const byArn = new Map<unknown, string[]>();
  for (const [role, ts] of owners) for (const n of role.names) byArn.set(n, [...ts.keys()]);
  const allTenants = intent ? [...intent.tenants.keys()].sort() : [];
  const cells = [
    ...(model ? awsCells(model, now, owners, options) : []),
    ...(ctx.artifacts.k8s
      ? k8sCells(ctx, model, intent, now, (arn) => byArn.get(arn) ?? [], allTenants)
      : []),
  ];
  // a role's own tenant (its tag, name or stack) is attributed by itself: a difference then shows
  // at the statement; another tenant's hold on it shows at what gives it (association, trust)
  const attribution = new Map<string, Map<string, Witness | undefined>>();
  for (const [role, ts] of owners) {
    const e = tenantEvidence(role.item);
    const own = e.tag ?? e.name ?? e.stack;
    attribution.set(role.principal.id, new Map([...ts].map(([t, w]) => [t, t === own ? undefined : w])));
  }
  const changed = changers(
    ctx,
    model,
    (id) => [...(attribution.get(id)?.keys() ?? [])].sort(),
    (arn) => byArn.get(arn) ?? [],
  );
  const others = runners(ctx, (arn) => byArn.get(arn) ?? []);
  const m: AccessMatrix = { now, cells, intent, model, attribution, changers: changed, runners: others };
  return m;
}
