/**
 * The intrinsic functions of CloudFormation, one small function each, dispatched by name. They
 * evaluate their arguments through an {@link IntrinsicScope}: the resolver of the stack they are in
 * (resolve.ts). The condition functions are in conditions.ts.
 */
import type { StackArtifact } from '../types';
import { CONDITION_FUNCTIONS } from './conditions';
import { NO_VALUE, Unknown, firstUnknown, isSymbolic, isUnknown } from './values';

/** What an intrinsic function needs of the resolver of its stack. */
export interface IntrinsicScope {
  readonly stack: StackArtifact;
  /** Evaluates a value (intrinsics inside it too); may return NO_VALUE. */
  eval(value: unknown, depth: number): unknown;
  /** The value of a named condition of the template. */
  condition(name: string, depth: number): boolean | Unknown;
  /** The value of `Ref: name` (a pseudo parameter, a parameter or a resource). */
  ref(name: string, depth: number): unknown;
  /** The value of `Fn::GetAtt: [logicalId, attr]`. */
  getAtt(logicalId: string, attr: string, depth: number): unknown;
  /** The value exported under a name by a stack of the assembly, if one does. */
  exported(name: string): { stack: StackArtifact; value: unknown } | undefined;
}

/** One intrinsic function: its argument (unevaluated), the depth, and its own name. */
export type Intrinsic = (s: IntrinsicScope, arg: unknown, depth: number, fn: string) => unknown;

/** The keys that make a one-key object an intrinsic function call. */
export const INTRINSICS = new Set([
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

/** Evaluates the intrinsic function `fn` on its argument; Unknown for those not evaluated. */
export function evalIntrinsic(s: IntrinsicScope, fn: string, arg: unknown, depth: number): unknown {
  const handler = HANDLERS.get(fn);
  return handler ? handler(s, arg, depth, fn) : new Unknown(`${fn} is not evaluated`);
}

/** Ref: a pseudo parameter, a parameter or a resource. */
const ref: Intrinsic = (s, arg, depth) =>
  typeof arg === 'string' ? s.ref(arg, depth) : new Unknown('Ref takes a name');

/** Fn::GetAtt, as `"Id.Attr"` or `[Id, Attr]`. */
const getAtt: Intrinsic = (s, arg, depth) => {
  const parts =
    typeof arg === 'string'
      ? splitOnce(arg, '.')
      : Array.isArray(arg)
        ? arg.map((a) => s.eval(a, depth))
        : undefined;
  if (!parts || parts.length !== 2) return new Unknown('malformed Fn::GetAtt');
  if (parts.some(isUnknown)) return firstUnknown(parts);
  return s.getAtt(String(parts[0]), String(parts[1]), depth);
};

/** Fn::Join: a separator and a list of scalars. */
const join: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Join');
  const sep = s.eval(arg[0], depth);
  const list = s.eval(arg[1], depth);
  if (sep instanceof Unknown) return sep;
  if (list instanceof Unknown) return list;
  if (typeof sep !== 'string' || !Array.isArray(list)) return new Unknown('malformed Fn::Join');
  const strings: string[] = [];
  for (const item of list) {
    const str = scalarString(item);
    if (str instanceof Unknown) return str;
    strings.push(str);
  }
  return strings.join(sep);
};

/** Fn::Select: an index (number or digits) into a list. */
const select: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Select');
  const index = s.eval(arg[0], depth);
  const list = s.eval(arg[1], depth);
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
};

/** Fn::Split of a literal string. */
const split: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Split');
  const sep = s.eval(arg[0], depth);
  const source = s.eval(arg[1], depth);
  if (sep instanceof Unknown) return sep;
  if (source instanceof Unknown) return source;
  if (typeof sep !== 'string' || typeof source !== 'string') return new Unknown('malformed Fn::Split');
  if (isSymbolic(source)) return new Unknown('Fn::Split of a deploy-time value');
  return source.split(sep);
};

/** Fn::ImportValue: the output another stack of the assembly exports under that name. */
const importValue: Intrinsic = (s, arg, depth) => {
  const name = s.eval(arg, depth);
  if (name instanceof Unknown) return name;
  if (typeof name !== 'string' || isSymbolic(name))
    return new Unknown('Fn::ImportValue of a name that cannot be resolved');
  const found = s.exported(name);
  return found ? found.value : new Unknown(`no stack of the assembly exports "${name}"`);
};

/** Fn::FindInMap: a value of the template's Mappings, by three keys. */
const findInMap: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length < 3) return new Unknown('malformed Fn::FindInMap');
  const keys = arg.slice(0, 3).map((a) => s.eval(a, depth));
  const u = keys.find(isUnknown);
  if (u) return u;
  const v = s.stack.template.Mappings?.[String(keys[0])]?.[String(keys[1])]?.[String(keys[2])];
  return v === undefined ? new Unknown(`no mapping ${keys.join('/')}`) : s.eval(v, depth);
};

/** Fn::Base64 of a literal string. */
const base64: Intrinsic = (s, arg, depth) => {
  const str = s.eval(arg, depth);
  if (str instanceof Unknown) return str;
  return typeof str === 'string' && !isSymbolic(str)
    ? Buffer.from(str, 'utf8').toString('base64')
    : new Unknown('Fn::Base64 of a deploy-time value');
};

/** Fn::Length of a list. */
const length: Intrinsic = (s, arg, depth) => {
  const list = s.eval(arg, depth);
  if (list instanceof Unknown) return list;
  return Array.isArray(list) ? list.length : new Unknown('malformed Fn::Length');
};

/** Fn::ToJsonString of a fully known value. */
const toJsonString: Intrinsic = (s, arg, depth) => {
  const v = s.eval(arg, depth);
  const u = firstUnknown(v);
  return u ?? JSON.stringify(v);
};

/** Fn::Sub, in both forms: a template string, or [template, variables]. */
const sub: Intrinsic = (s, arg, depth) => {
  let template: unknown = arg;
  let vars: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2) return new Unknown('malformed Fn::Sub');
    template = arg[0];
    const v = s.eval(arg[1], depth);
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Unknown)
      return v instanceof Unknown ? v : new Unknown('malformed Fn::Sub');
    vars = v as Record<string, unknown>;
  }
  if (typeof template !== 'string') return new Unknown('malformed Fn::Sub');
  return substitute(s, template, vars, depth);
};

/** The `${...}` references of an Fn::Sub template replaced by their values (`${!x}` stays `${x}`). */
function substitute(
  s: IntrinsicScope,
  template: string,
  vars: Record<string, unknown>,
  depth: number,
): string | Unknown {
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
            ? s.getAtt(...(splitOnce(name, '.') as [string, string]), depth)
            : s.ref(name, depth);
      if (value === NO_VALUE) return new Unknown(`Fn::Sub of AWS::NoValue`);
      const str = scalarString(value);
      if (str instanceof Unknown) return str;
      out += str;
    }
    i = end + 1;
  }
  return out;
}

/** An intrinsic decided only at deploy time, or not evaluated: always Unknown with that reason. */
const notEvaluated =
  (reason: string): Intrinsic =>
  () =>
    new Unknown(reason);

/** Every evaluated intrinsic function, by name (Fn::Transform and unknown names are not). */
const HANDLERS = new Map<string, Intrinsic>([
  ['Ref', ref],
  ['Fn::GetAtt', getAtt],
  ['Fn::Join', join],
  ['Fn::Sub', sub],
  ['Fn::Select', select],
  ['Fn::Split', split],
  ['Fn::ImportValue', importValue],
  ['Fn::FindInMap', findInMap],
  ['Fn::Base64', base64],
  ['Fn::Length', length],
  ['Fn::ToJsonString', toJsonString],
  ...CONDITION_FUNCTIONS,
  ['Fn::GetAZs', notEvaluated('Fn::GetAZs is decided at deploy time')],
  ['Fn::Cidr', notEvaluated('Fn::Cidr is not evaluated')],
]);

function splitOnce(str: string, sep: string): [string, string] | undefined {
  const i = str.indexOf(sep);
  return i < 0 ? undefined : [str.slice(0, i), str.slice(i + 1)];
}

function scalarString(v: unknown): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return new Unknown('a list or object where a string was expected');
}
