/**
 * The condition functions of CloudFormation: Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or and
 * Condition. A condition that depends on something the assembly does not say is Unknown; Fn::If
 * on one keeps both branches as the alternatives of its Unknown.
 */
import type { Intrinsic } from './intrinsics';
import { NO_VALUE, Unknown, containsUnknown, deepEqual, firstUnknown, isSymbolic } from './values';

/** Fn::If: the branch its condition selects; an Unknown with both branches when undecidable. */
const fnIf: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
    return new Unknown('malformed Fn::If');
  const c = s.condition(arg[0], depth);
  if (c instanceof Unknown) {
    // both branches may be deployed: equal branches decide, otherwise each is an alternative
    const branches = [s.eval(arg[1], depth), s.eval(arg[2], depth)];
    if (deepEqual(branches[0], branches[1]) && !containsUnknown(branches[0])) return branches[0];
    const alternatives = branches.flatMap((b) =>
      b === NO_VALUE ? [] : b instanceof Unknown ? (b.alternatives.length ? b.alternatives : []) : [b],
    );
    return new Unknown(`Fn::If on condition "${arg[0]}" that cannot be decided (${c.reason})`, alternatives);
  }
  return s.eval(c ? arg[1] : arg[2], depth);
};

/** Fn::Equals of two values; a deploy-time value is equal only to itself. */
const equals: Intrinsic = (s, arg, depth) => {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Equals');
  const [a, b] = arg.map((x) => s.eval(x, depth));
  const u = firstUnknown([a, b]);
  if (u) return u;
  if (isSymbolic(a) || isSymbolic(b))
    return deepEqual(a, b) ? true : new Unknown('Fn::Equals on a deploy-time value');
  return deepEqual(a, b);
};

/** Fn::Not of one boolean. */
const not: Intrinsic = (s, arg, depth) => {
  const v = Array.isArray(arg) && arg.length === 1 ? s.eval(arg[0], depth) : new Unknown('malformed Fn::Not');
  return typeof v === 'boolean' ? !v : v instanceof Unknown ? v : new Unknown('Fn::Not of a non-boolean');
};

/**
 * Fn::And and Fn::Or (`fn`): decided by any decisive operand (false for And, true for Or), even
 * when another operand is Unknown.
 */
const andOr: Intrinsic = (s, arg, depth, fn) => {
  if (!Array.isArray(arg)) return new Unknown(`malformed ${fn}`);
  const vs = arg.map((x) => s.eval(x, depth));
  const decisive = fn === 'Fn::And' ? false : true;
  if (vs.some((v) => v === decisive)) return decisive;
  const u = vs.find((v) => typeof v !== 'boolean');
  if (u !== undefined) return u instanceof Unknown ? u : new Unknown(`${fn} of a non-boolean`);
  return !decisive;
};

/** Condition: the value of a named condition. */
const condition: Intrinsic = (s, arg, depth) =>
  typeof arg === 'string' ? s.condition(arg, depth) : new Unknown('malformed Condition');

/** The condition functions, by name. */
export const CONDITION_FUNCTIONS: ReadonlyArray<readonly [string, Intrinsic]> = [
  ['Fn::If', fnIf],
  ['Fn::Equals', equals],
  ['Fn::Not', not],
  ['Fn::And', andOr],
  ['Fn::Or', andOr],
  ['Condition', condition],
];
