/** Walking the resources of a cloud assembly, with intrinsics resolved. */
import type { ArtifactSet, CfnResource, ResourceRef, RuleContext, RuleResult, StackArtifact } from '../types';
import { Assembly, StackResolver, Unknown, firstUnknown, isUnknown } from './resolve';
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


/**
 * Every resource of the given types (all types when omitted) in every stack, in file then
 * logical-id order. Resources whose Condition is known to be false are skipped; those whose
 * Condition cannot be decided are kept (a rule should judge what may be deployed).
 */
export function* cfnResources(ctx: RuleContext, types?: string | readonly string[]): Generator<CfnItem> {
  const wanted = types === undefined ? undefined : new Set(typeof types === 'string' ? [types] : types);
  const assembly = assemblyOf(ctx.artifacts);
  for (const stack of ctx.artifacts.aws?.stacks ?? []) {
    const resolver = assembly.resolver(stack);
    const resources = stack.template.Resources ?? {};
    for (const logicalId of Object.keys(resources).sort()) {
      const resource = resources[logicalId];
      if (wanted && !wanted.has(resource.Type)) continue;
      if (resolver.isDeployed(resource) === false) continue;
      const props = resolver.properties(logicalId, resource);
      yield { stack, logicalId, resource, resolver, props, ref: { target: 'aws', stack, logicalId } };
    }
  }
}

/** Tags of a resource as a map: the list form ({Key, Value}[]) and the map form both occur. */
export function tagsOf(props: Record<string, unknown>): Map<string, unknown> {
  const tags = new Map<string, unknown>();
  const raw = props.Tags;
  if (Array.isArray(raw)) {
    for (const t of raw) {
      if (t && typeof t === 'object' && 'Key' in t) tags.set(String((t as { Key: unknown }).Key), (t as { Value: unknown }).Value);
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

export const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

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
