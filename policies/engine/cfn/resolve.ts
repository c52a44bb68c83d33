/**
 * Evaluation of CloudFormation intrinsic functions over a cloud assembly, offline.
 *
 * Why our own: the CloudFormation service resolves intrinsics only at deploy time; cfn-lint and
 * cfn-guard check shapes and do not evaluate them; the CDK resolves its own tokens before writing
 * the template but not what is in the template (and not a template edited by hand). No library
 * evaluates Ref / Fn::GetAtt / Fn::Sub / Fn::Join / Fn::ImportValue across the stacks of an
 * assembly without AWS credentials, so the policies carry this small evaluator.
 *
 * Values come out in three kinds:
 * - literal JSON, where every input was known;
 * - symbolic strings for deploy-time identities that are not wildcards, e.g. the id of a KMS key
 *   or an account id the assembly does not pin: `{{Site-x.DataKey1234.Arn}}`, `{{AWS::AccountId}}`.
 *   They compare equal only to themselves, so a rule that needs the literal sees a mismatch, and a
 *   rule that asks "is this `*`?" correctly sees that it is not;
 * - {@link Unknown}, where the answer depends on something the assembly does not say (a
 *   parameter, whose default applies only when the deployer passes nothing, unless AllowedValues
 *   pins it to one value; Fn::If on a condition that depends on one; Fn::GetAZs; an import with no
 *   matching export). Rules must report Unknown as "could not decide", never pass it. An Unknown
 *   keeps the values it is known to possibly take (its alternatives: a default, the allowed values,
 *   both branches of an Fn::If), so a rule may fail when one of them is wrong.
 */
import type { CfnResource, StackArtifact } from '../types';
import { INTRINSICS, evalIntrinsic, type IntrinsicScope } from './intrinsics';
import { NO_VALUE, Unknown, deepEqual, isSymbolic } from './values';
import { keepGuard } from '../primitive-guard';

export { Unknown, containsUnknown, firstUnknown, isSymbolic, isUnknown } from './values';

const MAX_DEPTH = 64;

export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** Resolvers for every stack of one assembly; Fn::ImportValue looks across them. */
export class Assembly {
  private readonly resolvers = new Map<StackArtifact, StackResolver>();
  private exportsCache?: Map<string, { stack: StackArtifact; value: unknown }>;

  constructor(readonly stacks: readonly StackArtifact[]) {}

  resolver(stack: StackArtifact): StackResolver {
    let r = this.resolvers.get(stack);
    if (!r) {
      r = new StackResolver(stack, this);
      this.resolvers.set(stack, r);
    }
    return r;
  }

  /** Export name -> the output value, resolved in the exporting stack. */
  exports(): Map<string, { stack: StackArtifact; value: unknown }> {
    if (!this.exportsCache) {
      const map = new Map<string, { stack: StackArtifact; value: unknown }>();
      this.exportsCache = map;
      for (const stack of this.stacks) {
        const r = this.resolver(stack);
        for (const output of Object.values(stack.template.Outputs ?? {})) {
          if (!output || output.Export?.Name === undefined) continue;
          const name = r.resolve(output.Export.Name);
          if (typeof name === 'string' && !isSymbolic(name))
            map.set(name, { stack, value: r.resolve(output.Value) });
        }
      }
    }
    return this.exportsCache;
  }
}

/** Evaluates intrinsics in the context of one stack. */
export class StackResolver {
  private readonly conditionCache = new Map<string, boolean | Unknown>();
  private readonly propertiesCache = new Map<string, Record<string, unknown>>();
  /** This resolver as the intrinsic functions (intrinsics.ts) see it. */
  private readonly scope: IntrinsicScope;

  constructor(
    readonly stack: StackArtifact,
    private readonly assembly: Assembly,
  ) {
    this.scope = {
      stack,
      eval: (value, depth) => this.eval(value, depth),
      condition: (name, depth) => this.condition(name, depth),
      ref: (name, depth) => this.ref(name, depth),
      getAtt: (logicalId, attr, depth) => this.getAtt(logicalId, attr, depth),
      exported: (name) => this.assembly.exports().get(name),
    };
  }

  get partition(): string {
    return this.stack.region ? partitionOf(this.stack.region) : '{{AWS::Partition}}';
  }
  get region(): string {
    return this.stack.region ?? '{{AWS::Region}}';
  }
  get account(): string {
    return this.stack.account ?? '{{AWS::AccountId}}';
  }

  /** Resolves every intrinsic inside a value; AWS::NoValue removes the key or element. */
  resolve(value: unknown, depth = 0): unknown {
    const v = this.eval(value, depth);
    return v === NO_VALUE ? undefined : v;
  }

  /** The resolved Properties of a resource (an empty object when they are not an object). */
  properties(logicalId: string, resource: CfnResource): Record<string, unknown> {
    let props = this.propertiesCache.get(logicalId);
    if (!props) {
      const resolved = this.resolve(resource.Properties ?? {});
      props =
        resolved !== null &&
        typeof resolved === 'object' &&
        !Array.isArray(resolved) &&
        !(resolved instanceof Unknown)
          ? (resolved as Record<string, unknown>)
          : {};
      this.propertiesCache.set(logicalId, props);
    }
    return props;
  }

  /** Whether a resource is created: false when its Condition is false; Unknown when undecidable. */
  isDeployed(resource: CfnResource): boolean | Unknown {
    return typeof resource.Condition === 'string' ? this.condition(resource.Condition, 0) : true;
  }

  condition(name: string, depth: number): boolean | Unknown {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const expr = this.stack.template.Conditions?.[name];
    let result: boolean | Unknown;
    if (expr === undefined) result = new Unknown(`condition "${name}" is not defined`);
    else {
      this.conditionCache.set(name, new Unknown(`condition "${name}" refers to itself`));
      const v = this.eval(expr, depth + 1);
      result =
        typeof v === 'boolean'
          ? v
          : v instanceof Unknown
            ? v
            : new Unknown(`condition "${name}" is not a boolean`);
    }
    this.conditionCache.set(name, result);
    return result;
  }

  private eval(value: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) return new Unknown('expression nests too deeply (a reference cycle?)');
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const x of value) {
        const r = this.eval(x, depth + 1);
        if (r !== NO_VALUE) out.push(r);
      }
      return out;
    }
    if (value === null || typeof value !== 'object' || value instanceof Unknown) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && INTRINSICS.has(keys[0]))
      return evalIntrinsic(this.scope, keys[0], (value as Record<string, unknown>)[keys[0]], depth + 1);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.eval((value as Record<string, unknown>)[k], depth + 1);
      // defineProperty, not assignment: a key named "__proto__" (JSON.parse makes it an own
      // property) must stay a property of the copy, not become its prototype.
      if (r !== NO_VALUE)
        Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
    keepGuard(value, out);
    return out;
  }

  private ref(name: string, depth: number): unknown {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::StackName':
        return this.stack.stackName;
      case 'AWS::URLSuffix':
        return this.stack.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackId':
        return `{{${this.stack.stackName}.AWS::StackId}}`;
      case 'AWS::NotificationARNs':
        return new Unknown('AWS::NotificationARNs is decided at deploy time');
    }
    const param = this.stack.template.Parameters?.[name];
    if (param) {
      if (typeof param.Type === 'string' && param.Type.startsWith('AWS::SSM::Parameter::Value'))
        return new Unknown(`parameter "${name}" is read from SSM at deploy time`);
      // A default is only what applies when the deployer passes nothing: any other value may be
      // passed, unless AllowedValues pins it to one.
      const allowedValues = (param as { AllowedValues?: unknown }).AllowedValues;
      const allowed = Array.isArray(allowedValues) ? (allowedValues as unknown[]) : undefined;
      if (allowed && allowed.length > 0 && allowed.every((v) => deepEqual(v, allowed[0]))) return allowed[0];
      if (param.Default === undefined && !allowed) return new Unknown(`parameter "${name}" has no default`);
      const alternatives = allowed ?? [param.Default];
      return new Unknown(
        `parameter "${name}" is chosen at deploy time (${allowed ? `allowed ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : `default ${JSON.stringify(param.Default)}, any value may be passed`})`,
        alternatives,
      );
    }
    const resource = this.stack.template.Resources?.[name];
    if (!resource) return new Unknown(`Ref to "${name}", which the template does not declare`);
    return this.resourceValue(name, resource, 'Ref', depth);
  }

  private getAtt(logicalId: string, attr: string, depth: number): unknown {
    const resource = this.stack.template.Resources?.[logicalId];
    if (!resource) return new Unknown(`Fn::GetAtt of "${logicalId}", which the template does not declare`);
    return this.resourceValue(logicalId, resource, attr, depth);
  }

  /** The value of Ref / GetAtt for the few resource types whose physical names the policies need. */
  private resourceValue(logicalId: string, resource: CfnResource, attr: string, depth: number): unknown {
    const symbolic = `{{${this.stack.stackName}.${logicalId}.${attr}}}`;
    const p = this.partition;
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const name = this.stringProperty(resource, 'BucketName', depth);
        if (!name) return symbolic;
        if (attr === 'Ref') return name;
        if (attr === 'Arn') return `arn:${p}:s3:::${name}`;
        return symbolic;
      }
      case 'AWS::IAM::Role': {
        const name = this.stringProperty(resource, 'RoleName', depth);
        if (!name) return symbolic;
        if (attr === 'Ref') return name;
        if (attr === 'Arn')
          return `arn:${p}:iam::${this.account}:role${this.stringProperty(resource, 'Path', depth) ?? '/'}${name}`;
        return symbolic;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = this.stringProperty(resource, 'ManagedPolicyName', depth);
        if (!name) return symbolic;
        if (attr === 'Ref' || attr === 'PolicyArn')
          return `arn:${p}:iam::${this.account}:policy${this.stringProperty(resource, 'Path', depth) ?? '/'}${name}`;
        return symbolic;
      }
      case 'AWS::S3::AccessPoint': {
        const name = this.stringProperty(resource, 'Name', depth);
        if (!name) return symbolic;
        if (attr === 'Ref' || attr === 'Name') return name;
        if (attr === 'Arn') return `arn:${p}:s3:${this.region}:${this.account}:accesspoint/${name}`;
        return symbolic;
      }
      case 'AWS::Logs::LogGroup': {
        const name = this.stringProperty(resource, 'LogGroupName', depth);
        if (attr === 'Ref' && name) return name;
        return symbolic;
      }
      case 'AWS::KMS::Alias': {
        const name = this.stringProperty(resource, 'AliasName', depth);
        if (attr === 'Ref' && name) return name;
        return symbolic;
      }
      default:
        return symbolic;
    }
  }

  /**
   * A resource property as a literal string (resolved), else undefined. (A method, not a closure
   * in resourceValue: tsx names every closure it creates, and resourceValue runs for each Ref.)
   */
  private stringProperty(resource: CfnResource, key: string, depth: number): string | undefined {
    const v = this.resolve(resource.Properties?.[key], depth + 1);
    return typeof v === 'string' && !isSymbolic(v) ? v : undefined;
  }
}
