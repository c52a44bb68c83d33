/**
 * Which callers a resource-side layer (a bucket policy, a key policy) cannot tell apart, so that
 * the matrix judges the layer once for all of them.
 *
 * Why: the bucket and key layers of every dataset are asked of every tenant's roles, and a
 * dataset's policies single out few of them: at 1,007 tenants, 60,000 of the matrix's 113,000
 * cells, each evaluated afresh for its caller (the hit cache is per caller, and each caller's ARN
 * is its own), about a quarter of the matrix's time.
 *
 * A layer's verdict on a request reads the caller in two places only: whether each statement's
 * Principal names it (`principalMatches`), and each condition entry on a key the caller brings
 * (its ARN, account, tags, type...), whose verdict is a function of the caller's values of that
 * key. The signature of a caller for a layer lists both, statement by statement: two callers with
 * the same signature get the same hits for every request that is otherwise the same (action,
 * resource, the store's and the path's keys, the instant), hence the same decisions, witnesses and
 * reasons. A statement with a policy variable (`${...}`) reads the caller's values themselves, and
 * a condition that is not a block of entries is not read here: a layer with either gets no
 * signature, and its cells are evaluated caller by caller, as before.
 */
import { isRecord } from '../../engine/cfn/template';
import { evalCondition } from './conditions';
import { keysOf, request } from './principals';
import { hasVariable, principalMatches } from './statement';
import type { Doc, Principal } from './types';

const NO_KEYS = keysOf({});

const shareable = new WeakMap<readonly Doc[], boolean>();

/** Whether a layer's statements read the caller only through their Principal and condition entries. */
function isShareable(docs: readonly Doc[]): boolean {
  let v = shareable.get(docs);
  if (v === undefined) {
    v = docs.every((d) =>
      d.statements.every(
        (s) =>
          !hasVariable(s) &&
          (s.Condition === undefined ||
            (isRecord(s.Condition) && Object.values(s.Condition).every((block) => isRecord(block)))),
      ),
    );
    shareable.set(docs, v);
  }
  return v;
}

/**
 * The caller's signature for a layer (see the file comment), or undefined when the layer reads
 * the caller otherwise and its cells must be evaluated caller by caller.
 */
export function layerSignature(p: Principal, docs: readonly Doc[] | undefined): string | undefined {
  if (!docs || !isShareable(docs)) return undefined;
  // the caller's own keys, and nothing else: a key the store or the path brings overrides the
  // caller's in a request, so a verdict on it here can only split callers that are alike
  const req = request(p, '', '', NO_KEYS);
  let sig = '';
  for (const d of docs)
    for (const s of d.statements) {
      sig += `${String(principalMatches(s, p))}:`;
      if (!isRecord(s.Condition)) continue;
      const effect = s.Effect === 'Allow' ? 'Allow' : 'Deny';
      for (const [operator, block] of Object.entries(s.Condition))
        for (const [key, values] of Object.entries(block as Record<string, unknown>))
          sig += `${String(evalCondition(operator, key, values, req, effect))},`;
      sig += ';';
    }
  return sig;
}
