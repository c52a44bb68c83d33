/**
 * Policy documents of the assembly as the evaluator reads them: resolved (intrinsics, and SSM
 * parameters that the assembly itself writes), each statement with its witness.
 */
import { Unknown, isUnknown } from '../../engine/cfn/resolve';
import { cfnResources, isRecord, type CfnItem } from '../../engine/cfn/template';
import { statementsOf, type Statement } from '../../engine/iam';
import type { RuleContext } from '../../engine/types';
import type { Doc } from './types';
import { memo } from '../../engine/memo';

/** Statements that make every verdict depending on an unreadable document undecided. */
export const unreadable = (reason: string): Statement[] => [
  { Effect: 'Allow', Principal: '*', Action: new Unknown(reason), Resource: '*' },
  { Effect: 'Deny', Principal: '*', Action: new Unknown(reason), Resource: '*' },
];

export function docOf(item: CfnItem, policy: string, document: unknown): Doc {
  const ss = statementsOf(document);
  return {
    statements: isUnknown(ss) ? unreadable(`${policy}: ${ss.reason}`) : ss,
    witness: {
      file: item.stack.file,
      resource: `aws:${item.stack.stackName}/${item.logicalId}`,
      policy,
      line: item.stack.resourceLines.get(item.logicalId),
    },
  };
}

/** Values of the SSM parameters the assembly declares, by parameter name. */
function ssmValues(ctx: RuleContext): Map<string, unknown> {
  return memo(ctx.artifacts, 'access:ssmValues', () => {
    const m = new Map<string, unknown>();
    for (const p of cfnResources(ctx, 'AWS::SSM::Parameter'))
      if (typeof p.props.Name === 'string' && typeof p.props.Value === 'string')
        m.set(p.props.Name, p.props.Value);
    return m;
  });
}

/**
 * Resolves a raw property of a resource, reading `AWS::SSM::Parameter::Value` template
 * parameters from the SSM parameter of the same name that the assembly declares (the site stack
 * writes the endpoint and file-system ids tenant stacks read). Where no declared parameter has the
 * name, the value stays Unknown.
 */
export function resolveRaw(ctx: RuleContext, item: CfnItem, raw: unknown): unknown {
  const params = item.stack.template.Parameters ?? {};
  const ssm = ssmValues(ctx);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isRecord(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof v.Ref === 'string') {
      const p = params[v.Ref];
      if (
        p &&
        typeof p.Type === 'string' &&
        p.Type.startsWith('AWS::SSM::Parameter::Value') &&
        typeof p.Default === 'string' &&
        ssm.has(p.Default)
      )
        return ssm.get(p.Default);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys)
      Object.defineProperty(out, k, {
        value: walk(v[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };
  return item.resolver.resolve(walk(raw));
}

/** A property of a resource, resolved with the assembly's SSM parameters. */
export const prop = (ctx: RuleContext, item: CfnItem, name: string): unknown => {
  const raw = item.resource.Properties?.[name];
  return readsSsm(item, raw) ? resolveRaw(ctx, item, raw) : item.props[name];
};

/** Whether a raw value refers to an SSM-typed parameter: only then is it resolved again (the resolver's own result is shared with the rules). */
function readsSsm(item: CfnItem, raw: unknown): boolean {
  const names = Object.entries(item.stack.template.Parameters ?? {})
    .filter(([, p]) => typeof p.Type === 'string' && p.Type.startsWith('AWS::SSM::Parameter::Value'))
    .map(([n]) => n);
  if (names.length === 0) return false;
  const text = JSON.stringify(raw) ?? '';
  return names.some((n) => text.includes(`"Ref":"${n}"`));
}
