/**
 * Runs ValidatingAdmissionPolicies and their bindings on an admission request as the API server
 * does: the policy's matchConstraints and the binding's matchResources select the request; then
 * matchConditions (any false skips the policy; an error with none false applies failurePolicy),
 * variables (composited, bound as they evaluate: one that errors fails only the expressions that
 * read it), validations (false is a violation, an error or a non-boolean applies failurePolicy),
 * and the binding's validationActions (only Deny refuses the request). Parameters (paramKind) are
 * not supported: such a policy fails as an error, by its failurePolicy.
 */
import { isRec, specOf } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';
import { compile, toCel } from './cel';
import { constraintsMatch } from './match';
import type { AdmissionRequest, Decision } from './request';
import { WELL_KNOWN_LABEL } from '../../../infra/contract';

export interface ClusterPolicies {
  readonly policies: readonly K8sObject[];
  readonly bindings: readonly K8sObject[];
  /** Namespaces of the cluster by name (the API server reads their labels). */
  readonly namespaces: ReadonlyMap<string, K8sObject>;
}

type Outcome = { kind: 'skip' } | { kind: 'pass' } | { kind: 'violations'; messages: string[] };

function run(
  expression: unknown,
  bindings: Record<string, unknown>,
): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof expression !== 'string') return { ok: false, error: 'no expression' };
  const p = compile(expression);
  if (typeof p === 'string') return { ok: false, error: `compile error: ${p}` };
  return p(bindings);
}

function celRequest(req: AdmissionRequest): unknown {
  return toCel({
    kind: req.kind,
    resource: req.resource,
    requestKind: req.kind,
    requestResource: req.resource,
    subResource: req.subResource ?? '',
    name: req.name,
    namespace: req.namespace ?? '',
    operation: req.operation,
    userInfo: { username: req.userInfo.username, groups: [...req.userInfo.groups] },
    dryRun: false,
  });
}

/** Evaluates one policy on the request (already matched); failurePolicy applied by the caller. */
function evaluatePolicy(
  spec: Record<string, unknown>,
  bindings: Record<string, unknown>,
): Outcome | { kind: 'error'; message: string } {
  if (spec.paramKind !== undefined)
    return { kind: 'error', message: 'policies with paramKind are not supported by the evaluator' };
  let conditionError: string | undefined;
  for (const c of Array.isArray(spec.matchConditions) ? spec.matchConditions : []) {
    const r = run(isRec(c) ? c.expression : undefined, bindings);
    if (r.ok && r.value === false) return { kind: 'skip' };
    if (!r.ok || r.value !== true)
      conditionError ??= `match condition ${isRec(c) ? String(c.name) : '?'}: ${r.ok ? 'not a boolean' : r.error}`;
  }
  if (conditionError !== undefined) return { kind: 'error', message: conditionError };
  const variables = new Map<string, unknown>();
  const withVars = { ...bindings, variables };
  for (const v of Array.isArray(spec.variables) ? spec.variables : []) {
    if (!isRec(v) || typeof v.name !== 'string') continue;
    const r = run(v.expression, withVars);
    if (r.ok) variables.set(v.name, r.value);
  }
  const messages: string[] = [];
  for (const v of Array.isArray(spec.validations) ? spec.validations : []) {
    const r = run(isRec(v) ? v.expression : undefined, withVars);
    if (!r.ok || typeof r.value !== 'boolean')
      return { kind: 'error', message: `validation error: ${r.ok ? 'not a boolean' : r.error}` };
    if (!r.value)
      messages.push(
        isRec(v) && typeof v.message === 'string'
          ? v.message
          : `failed expression: ${String(isRec(v) ? v.expression : '')}`,
      );
  }
  return messages.length ? { kind: 'violations', messages } : { kind: 'pass' };
}

/** The API server's decision on `req` under the cluster's policies and bindings. */
export function decide(cluster: ClusterPolicies, req: AdmissionRequest): Decision {
  const ns = req.namespace === undefined ? undefined : cluster.namespaces.get(req.namespace);
  const nsLabels =
    req.namespace === undefined
      ? undefined
      : {
          ...((ns?.metadata.labels ?? {}) as Record<string, string>),
          [WELL_KNOWN_LABEL.namespaceName]: req.namespace,
        };
  const bindings = {
    object: toCel(req.object),
    oldObject: toCel(req.oldObject),
    request: celRequest(req),
    namespaceObject: toCel(ns ?? null),
    params: null,
  };
  const deniedBy: Array<{ policy: string; binding: string; message: string }> = [];
  const matched = new Set<string>();
  for (const b of [...cluster.bindings].sort((x, y) =>
    String(x.metadata.name).localeCompare(String(y.metadata.name)),
  )) {
    const bspec = specOf(b);
    const policy = cluster.policies.find((p) => p.metadata.name === bspec.policyName);
    if (!policy) continue;
    const spec = specOf(policy);
    if (
      !constraintsMatch(spec.matchConstraints, req, nsLabels, true) ||
      !constraintsMatch(bspec.matchResources, req, nsLabels, false)
    )
      continue;
    const outcome = evaluatePolicy(spec, bindings);
    if (outcome.kind === 'skip') continue;
    matched.add(String(policy.metadata.name));
    const messages =
      outcome.kind === 'violations'
        ? outcome.messages
        : outcome.kind === 'error' && (spec.failurePolicy ?? 'Fail') === 'Fail'
          ? [outcome.message]
          : [];
    const actions = Array.isArray(bspec.validationActions) ? bspec.validationActions : [];
    if (actions.includes('Deny'))
      for (const message of messages)
        deniedBy.push({ policy: String(policy.metadata.name), binding: String(b.metadata.name), message });
  }
  return { allowed: deniedBy.length === 0, deniedBy, matched: [...matched].sort() };
}
