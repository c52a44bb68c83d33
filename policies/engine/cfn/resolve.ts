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

export class Unknown {
  /**
   * @param alternatives values it may take at deploy time, when some are known (a parameter's
   *   default or allowed values, the branches of an undecidable Fn::If). Not necessarily all of
   *   them: a rule may fail on one that is wrong, never pass on them.
   */
  constructor(
    readonly reason: string,
    readonly alternatives: readonly unknown[] = [],
  ) {}
  toString(): string {
    return `<unknown: ${this.reason}>`;
  }
}

export const isUnknown = (v: unknown): v is Unknown => v instanceof Unknown;

/** True when the value, or anything inside it, is Unknown. */
export function containsUnknown(v: unknown): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}

/** The first Unknown inside a value, to explain a "could not decide". */
export function firstUnknown(v: unknown): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** True when a string holds a symbolic deploy-time value. */
export const isSymbolic = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

const NO_VALUE = Symbol('AWS::NoValue');

const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Condition',
  'Fn::Transform',
]);

const MAX_DEPTH = 64;

export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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

  constructor(
    readonly stack: StackArtifact,
    private readonly assembly: Assembly,
  ) {}

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
      return this.intrinsic(keys[0], (value as Record<string, unknown>)[keys[0]], depth + 1);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.eval((value as Record<string, unknown>)[k], depth + 1);
      // defineProperty, not assignment: a key named "__proto__" (JSON.parse makes it an own
      // property) must stay a property of the copy, not become its prototype.
      if (r !== NO_VALUE)
        Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, depth: number): unknown {
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg, depth) : new Unknown('Ref takes a name');
      case 'Fn::GetAtt': {
        const parts =
          typeof arg === 'string'
            ? splitOnce(arg, '.')
            : Array.isArray(arg)
              ? arg.map((a) => this.eval(a, depth))
              : undefined;
        if (!parts || parts.length !== 2) return new Unknown('malformed Fn::GetAtt');
        if (parts.some(isUnknown)) return firstUnknown(parts);
        return this.getAtt(String(parts[0]), String(parts[1]), depth);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Join');
        const sep = this.eval(arg[0], depth);
        const list = this.eval(arg[1], depth);
        if (sep instanceof Unknown) return sep;
        if (list instanceof Unknown) return list;
        if (typeof sep !== 'string' || !Array.isArray(list)) return new Unknown('malformed Fn::Join');
        const strings: string[] = [];
        for (const item of list) {
          const s = scalarString(item);
          if (s instanceof Unknown) return s;
          strings.push(s);
        }
        return strings.join(sep);
      }
      case 'Fn::Sub':
        return this.sub(arg, depth);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Select');
        const index = this.eval(arg[0], depth);
        const list = this.eval(arg[1], depth);
        if (index instanceof Unknown) return index;
        if (list instanceof Unknown) return list;
        const i =
          typeof index === 'number'
            ? index
            : typeof index === 'string' && /^\d+$/.test(index)
              ? Number(index)
              : NaN;
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length)
          return new Unknown('Fn::Select index out of range');
        return list[i];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Split');
        const sep = this.eval(arg[0], depth);
        const source = this.eval(arg[1], depth);
        if (sep instanceof Unknown) return sep;
        if (source instanceof Unknown) return source;
        if (typeof sep !== 'string' || typeof source !== 'string') return new Unknown('malformed Fn::Split');
        if (isSymbolic(source)) return new Unknown('Fn::Split of a deploy-time value');
        return source.split(sep);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
          return new Unknown('malformed Fn::If');
        const c = this.condition(arg[0], depth);
        if (c instanceof Unknown) {
          // both branches may be deployed: equal branches decide, otherwise each is an alternative
          const branches = [this.eval(arg[1], depth), this.eval(arg[2], depth)];
          if (deepEqual(branches[0], branches[1]) && !containsUnknown(branches[0])) return branches[0];
          const alternatives = branches.flatMap((b) =>
            b === NO_VALUE ? [] : b instanceof Unknown ? (b.alternatives.length ? b.alternatives : []) : [b],
          );
          return new Unknown(
            `Fn::If on condition "${arg[0]}" that cannot be decided (${c.reason})`,
            alternatives,
          );
        }
        return this.eval(c ? arg[1] : arg[2], depth);
      }
      case 'Fn::ImportValue': {
        const name = this.eval(arg, depth);
        if (name instanceof Unknown) return name;
        if (typeof name !== 'string' || isSymbolic(name))
          return new Unknown('Fn::ImportValue of a name that cannot be resolved');
        const found = this.assembly.exports().get(name);
        return found ? found.value : new Unknown(`no stack of the assembly exports "${name}"`);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return new Unknown('malformed Fn::FindInMap');
        const keys = arg.slice(0, 3).map((a) => this.eval(a, depth));
        const u = keys.find(isUnknown);
        if (u) return u;
        const v = this.stack.template.Mappings?.[String(keys[0])]?.[String(keys[1])]?.[String(keys[2])];
        return v === undefined ? new Unknown(`no mapping ${keys.join('/')}`) : this.eval(v, depth);
      }
      case 'Fn::Base64': {
        const s = this.eval(arg, depth);
        if (s instanceof Unknown) return s;
        return typeof s === 'string' && !isSymbolic(s)
          ? Buffer.from(s, 'utf8').toString('base64')
          : new Unknown('Fn::Base64 of a deploy-time value');
      }
      case 'Fn::Length': {
        const list = this.eval(arg, depth);
        if (list instanceof Unknown) return list;
        return Array.isArray(list) ? list.length : new Unknown('malformed Fn::Length');
      }
      case 'Fn::ToJsonString': {
        const v = this.eval(arg, depth);
        const u = firstUnknown(v);
        return u ?? JSON.stringify(v);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Equals');
        const [a, b] = arg.map((x) => this.eval(x, depth));
        const u = firstUnknown([a, b]);
        if (u) return u;
        if (isSymbolic(a) || isSymbolic(b))
          return deepEqual(a, b) ? true : new Unknown('Fn::Equals on a deploy-time value');
        return deepEqual(a, b);
      }
      case 'Fn::Not': {
        const v =
          Array.isArray(arg) && arg.length === 1
            ? this.eval(arg[0], depth)
            : new Unknown('malformed Fn::Not');
        return typeof v === 'boolean'
          ? !v
          : v instanceof Unknown
            ? v
            : new Unknown('Fn::Not of a non-boolean');
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return new Unknown(`malformed ${fn}`);
        const vs = arg.map((x) => this.eval(x, depth));
        const decisive = fn === 'Fn::And' ? false : true;
        if (vs.some((v) => v === decisive)) return decisive;
        const u = vs.find((v) => typeof v !== 'boolean');
        if (u !== undefined) return u instanceof Unknown ? u : new Unknown(`${fn} of a non-boolean`);
        return !decisive;
      }
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg, depth) : new Unknown('malformed Condition');
      case 'Fn::GetAZs':
        return new Unknown('Fn::GetAZs is decided at deploy time');
      case 'Fn::Cidr':
        return new Unknown('Fn::Cidr is not evaluated');
      default:
        return new Unknown(`${fn} is not evaluated`);
    }
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
    const prop = (key: string): string | undefined => {
      const v = this.resolve(resource.Properties?.[key], depth + 1);
      return typeof v === 'string' && !isSymbolic(v) ? v : undefined;
    };
    const p = this.partition;
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const name = prop('BucketName');
        if (!name) return symbolic;
        if (attr === 'Ref') return name;
        if (attr === 'Arn') return `arn:${p}:s3:::${name}`;
        return symbolic;
      }
      case 'AWS::IAM::Role': {
        const name = prop('RoleName');
        if (!name) return symbolic;
        if (attr === 'Ref') return name;
        if (attr === 'Arn') return `arn:${p}:iam::${this.account}:role${prop('Path') ?? '/'}${name}`;
        return symbolic;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = prop('ManagedPolicyName');
        if (!name) return symbolic;
        if (attr === 'Ref' || attr === 'PolicyArn')
          return `arn:${p}:iam::${this.account}:policy${prop('Path') ?? '/'}${name}`;
        return symbolic;
      }
      case 'AWS::S3::AccessPoint': {
        const name = prop('Name');
        if (!name) return symbolic;
        if (attr === 'Ref' || attr === 'Name') return name;
        if (attr === 'Arn') return `arn:${p}:s3:${this.region}:${this.account}:accesspoint/${name}`;
        return symbolic;
      }
      case 'AWS::Logs::LogGroup': {
        const name = prop('LogGroupName');
        if (attr === 'Ref' && name) return name;
        return symbolic;
      }
      case 'AWS::KMS::Alias': {
        const name = prop('AliasName');
        if (attr === 'Ref' && name) return name;
        return symbolic;
      }
      default:
        return symbolic;
    }
  }

  private sub(arg: unknown, depth: number): unknown {
    let template: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2) return new Unknown('malformed Fn::Sub');
      template = arg[0];
      const v = this.eval(arg[1], depth);
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Unknown)
        return v instanceof Unknown ? v : new Unknown('malformed Fn::Sub');
      vars = v as Record<string, unknown>;
    }
    if (typeof template !== 'string') return new Unknown('malformed Fn::Sub');
    let out = '';
    let i = 0;
    while (i < template.length) {
      const start = template.indexOf('${', i);
      if (start < 0) {
        out += template.slice(i);
        break;
      }
      out += template.slice(i, start);
      const end = template.indexOf('}', start);
      if (end < 0) return new Unknown('malformed Fn::Sub: unterminated ${');
      const name = template.slice(start + 2, end);
      if (name.startsWith('!')) {
        out += `\${${name.slice(1)}}`;
      } else {
        const value =
          name in vars
            ? vars[name]
            : name.includes('.') && !name.startsWith('AWS::')
              ? this.getAtt(...(splitOnce(name, '.') as [string, string]), depth)
              : this.ref(name, depth);
        if (value === NO_VALUE) return new Unknown(`Fn::Sub of AWS::NoValue`);
        const s = scalarString(value);
        if (s instanceof Unknown) return s;
        out += s;
      }
      i = end + 1;
    }
    return out;
  }
}

function splitOnce(s: string, sep: string): [string, string] | undefined {
  const i = s.indexOf(sep);
  return i < 0 ? undefined : [s.slice(0, i), s.slice(i + 1)];
}

function scalarString(v: unknown): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return new Unknown('a list or object where a string was expected');
}
