/** Walking the resources of a cloud assembly, with intrinsics resolved. */
import type { ArtifactSet, CfnResource, ResourceRef, RuleContext, RuleResult, StackArtifact } from '../types';
import { Assembly, Unknown, firstUnknown, isUnknown, type StackResolver } from './resolve';
import { memo } from '../memo';
import { isRecord as isPlainRecord } from '../../../infra/util/records';

const assemblies = new WeakMap<ArtifactSet, Assembly>();

export function assemblyOf(artifacts: ArtifactSet): Assembly {
  let a = assemblies.get(artifacts);
  if (!a) {
    a = new Assembly(artifacts.aws?.stacks ?? []);
    assemblies.set(artifacts, a);
  }
  return a;
}

export interface CfnItem {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly resource: CfnResource;
  readonly resolver: StackResolver;
  /** Properties with every intrinsic resolved (Unknown where undecidable). */
  readonly props: Record<string, unknown>;
  readonly ref: ResourceRef;
}

interface IndexedResource {
  readonly ordinal: number;
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

interface ResourceIndex {
  readonly all: readonly IndexedResource[];
  readonly byType: ReadonlyMap<string, readonly IndexedResource[]>;
  /** The item of each deployed resource (null when its Condition is false), made on first use. */
  readonly items: Map<IndexedResource, CfnItem | null>;
}

/** Every resource of the assembly in file then logical-id order, and by type: built once. */
function resourceIndex(artifacts: ArtifactSet): ResourceIndex {
  return memo(artifacts, 'cfn:resources', () => {
    const all: IndexedResource[] = [];
    const byType = new Map<string, IndexedResource[]>();
    for (const stack of artifacts.aws?.stacks ?? []) {
      const resources = stack.template.Resources ?? {};
      for (const logicalId of Object.keys(resources).sort()) {
        const entry = { ordinal: all.length, stack, logicalId, resource: resources[logicalId] };
        all.push(entry);
        const list = byType.get(entry.resource?.Type);
        if (list) list.push(entry);
        else byType.set(entry.resource?.Type, [entry]);
      }
    }
    return { all, byType, items: new Map() };
  });
}

function itemOf(artifacts: ArtifactSet, index: ResourceIndex, entry: IndexedResource): CfnItem | null {
  let item = index.items.get(entry);
  if (item === undefined) {
    const { stack, logicalId, resource } = entry;
    const resolver = assemblyOf(artifacts).resolver(stack);
    item =
      resolver.isDeployed(resource) === false
        ? null
        : {
            stack,
            logicalId,
            resource,
            resolver,
            props: resolver.properties(logicalId, resource),
            ref: { target: 'aws', stack, logicalId },
          };
    index.items.set(entry, item);
  }
  return item;
}

/**
 * Every resource of the given types (all types when omitted) in every stack, in file then
 * logical-id order. Resources whose Condition is known to be false are skipped; those whose
 * Condition cannot be decided are kept (a rule should judge what may be deployed). Answered from
 * an index of the assembly: the cost is that of the resources returned, not of the assembly.
 */
export function* cfnResources(ctx: RuleContext, types?: string | readonly string[]): Generator<CfnItem> {
  const index = resourceIndex(ctx.artifacts);
  let entries: readonly IndexedResource[];
  if (types === undefined) entries = index.all;
  else if (typeof types === 'string') entries = index.byType.get(types) ?? [];
  else
    entries = [...new Set(types)]
      .flatMap((t) => index.byType.get(t) ?? [])
      .sort((a, b) => a.ordinal - b.ordinal);
  for (const entry of entries) {
    const item = itemOf(ctx.artifacts, index, entry);
    if (item) yield item;
  }
}

/** Tags of a resource as a map: the list form ({Key, Value}[]) and the map form both occur. */
export function tagsOf(props: Record<string, unknown>): Map<string, unknown> {
  const tags = new Map<string, unknown>();
  const raw = props.Tags;
  if (Array.isArray(raw)) {
    for (const t of raw) {
      if (t && typeof t === 'object' && 'Key' in t)
        tags.set(String((t as { Key: unknown }).Key), (t as { Value: unknown }).Value);
    }
  } else if (raw && typeof raw === 'object' && !isUnknown(raw)) {
    for (const [k, v] of Object.entries(raw)) tags.set(k, v);
  }
  return tags;
}

/** The Ref value of a resource in its stack (name, ARN or a symbolic token). */
export function refValue(item: CfnItem): unknown {
  return item.resolver.resolve({ Ref: item.logicalId });
}

export function attValue(item: CfnItem, attr: string): unknown {
  return item.resolver.resolve({ 'Fn::GetAtt': [item.logicalId, attr] });
}

/** A "could not decide" result naming the first unknown inside `value`. */
export function undecided(ref: ResourceRef, what: string, value: unknown): RuleResult {
  const u = firstUnknown(value) ?? new Unknown('undecidable');
  return { resource: ref, status: 'unknown', message: `could not decide ${what}: ${u.reason}` };
}

export const asArray = (v: unknown): unknown[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];

/** A plain object that is not an unresolved CloudFormation value. */
export const isRecord = (v: unknown): v is Record<string, unknown> => isPlainRecord(v) && !isUnknown(v);

/** Stateful resource types whose data outlives a stack. */
export const STATEFUL_TYPES: readonly string[] = [
  'AWS::S3::Bucket',
  'AWS::EFS::FileSystem',
  'AWS::FSx::FileSystem',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::DynamoDB::Table',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
];
