/**
 * Which requests a ValidatingAdmissionPolicy and its binding select: resource rules (groups,
 * versions, operations, resources and subresources, resource names, scope), excluded rules,
 * namespace and object selectors, as `k8s.io/apiserver`'s matching does.
 */
import { isRec, selectorMatches } from '../../engine/k8s';
import type { AdmissionRequest } from './request';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const anyOf = (allowed: string[], value: string): boolean => allowed.includes('*') || allowed.includes(value);

function resourceMatches(patterns: string[], resource: string, sub: string | undefined): boolean {
  return patterns.some((p) => {
    if (p === '*/*') return true;
    if (sub === undefined) return p === '*' || p === resource;
    const [r, s] = p.split('/');
    return s !== undefined && (r === '*' || r === resource) && (s === '*' || s === sub);
  });
}

function ruleMatches(rule: unknown, req: AdmissionRequest): boolean {
  if (!isRec(rule)) return false;
  if (
    !anyOf(list(rule.apiGroups), req.resource.group) ||
    !anyOf(list(rule.apiVersions), req.resource.version)
  )
    return false;
  if (!anyOf(list(rule.operations), req.operation)) return false;
  if (!resourceMatches(list(rule.resources), req.resource.resource, req.subResource)) return false;
  const names = list(rule.resourceNames);
  if (names.length > 0 && !names.includes(req.name)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Namespaced' && req.namespace === undefined) return false;
  if (scope === 'Cluster' && req.namespace !== undefined) return false;
  return true;
}

const objectLabels = (o: Record<string, unknown> | null): Record<string, string> | undefined =>
  o && isRec(o.metadata) && isRec(o.metadata.labels)
    ? (o.metadata.labels as Record<string, string>)
    : o
      ? {}
      : undefined;

/**
 * Whether `constraints` (a policy's matchConstraints or a binding's matchResources) select the
 * request; `namespaceLabels` are the labels of the request's namespace (undefined if cluster-scoped).
 * With `requireRules` false, absent resourceRules match every resource (a binding's matchResources).
 */
export function constraintsMatch(
  constraints: unknown,
  req: AdmissionRequest,
  namespaceLabels: Record<string, string> | undefined,
  requireRules: boolean,
): boolean {
  if (!isRec(constraints)) return !requireRules;
  const rules = Array.isArray(constraints.resourceRules) ? constraints.resourceRules : undefined;
  if (rules ? !rules.some((r) => ruleMatches(r, req)) : requireRules) return false;
  if (
    Array.isArray(constraints.excludeResourceRules) &&
    constraints.excludeResourceRules.some((r) => ruleMatches(r, req))
  )
    return false;
  // Namespaces are judged by their own labels; other cluster-scoped objects are never skipped.
  const nsLabels =
    req.resource.resource === 'namespaces' && req.subResource === undefined
      ? objectLabels(req.object ?? req.oldObject)
      : namespaceLabels;
  if (nsLabels !== undefined && !selectorMatches(constraints.namespaceSelector, nsLabels)) return false;
  // The object selector matches when the new or the old object matches.
  if (constraints.objectSelector !== undefined) {
    const candidates = [objectLabels(req.object), objectLabels(req.oldObject)].filter(
      (l): l is Record<string, string> => l !== undefined,
    );
    if (!candidates.some((l) => selectorMatches(constraints.objectSelector, l))) return false;
  }
  return true;
}
