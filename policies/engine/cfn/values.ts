/**
 * The values the intrinsic evaluator produces besides literal JSON: {@link Unknown} (the answer
 * depends on something the assembly does not say), symbolic strings (`{{...}}`, deploy-time
 * identities) and AWS::NoValue. See resolve.ts, which re-exports the public part.
 */

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

/** The value of `Ref: AWS::NoValue`: removes the key or element that holds it. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** Structural equality of two resolved JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
