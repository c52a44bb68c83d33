/**
 * CEL as the API server runs it for ValidatingAdmissionPolicies, on `@bufbuild/cel` (Apache-2.0).
 *
 * Kubernetes objects are JSON: maps become CEL maps, integral numbers CEL ints (the API server
 * types them from the OpenAPI schema; every integer field of the objects admission sees is an
 * int), other numbers doubles. `@bufbuild/cel` has none of Kubernetes' extension libraries
 * (authorizer, quantity, url, regex, `.?`): an expression that uses them fails to compile or to
 * evaluate here, and is reported as such, never passed.
 */
import type * as Cel from '@bufbuild/cel';
import type { CelInput, CelValue } from '@bufbuild/cel';

/** A compiled expression: evaluate it on the given bindings. */
export type Program = (
  bindings: Readonly<Record<string, unknown>>,
) => { ok: true; value: CelValue } | { ok: false; error: string };

let loaded: { readonly cel: typeof Cel; readonly env: ReturnType<typeof Cel.celEnv> } | undefined;

/**
 * `@bufbuild/cel` and its environment, loaded when an expression is first compiled: the policy
 * engine is loaded by every process that builds the CDK app (a partner's one-stack synth, each AWS
 * worker of `genesis synth`), which never evaluates CEL, and loading the library took about 0.1 s.
 */
function celLib(): NonNullable<typeof loaded> {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
    const cel = require('@bufbuild/cel') as typeof Cel;
    loaded = { cel, env: cel.celEnv() };
  }
  return loaded;
}

/** JSON to CEL input: objects become Maps, integers BigInts. */
export function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object' && !(v instanceof Map))
    return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

const compiled = new Map<string, Program | string>();

/**
 * Compiles an expression once per process (a program is a function of the text alone, and
 * compiling is the costly part: the rule that every expression compiles and the admission corpus
 * read the same expressions); a string error when it does not parse.
 */
export function compile(expression: string): Program | string {
  let p = compiled.get(expression);
  if (p === undefined) compiled.set(expression, (p = compileOnce(expression)));
  return p;
}

function compileOnce(expression: string): Program | string {
  const { cel, env } = celLib();
  let run: ReturnType<typeof cel.plan>;
  try {
    run = cel.plan(env, cel.parse(expression));
  } catch (e) {
    return (e as Error).message;
  }
  return (bindings) => {
    try {
      const value = run(bindings as Record<string, CelInput>);
      return cel.isCelError(value) ? { ok: false, error: value.message } : { ok: true, value };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  };
}
