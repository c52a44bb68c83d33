/** Runs rules over artifacts and turns their verdicts into sorted, fingerprinted findings. */
import { RULE_FAILED, type MetaRule } from './meta';
import type { ArtifactSet, Finding, FindingLocation, ResourceRef, Rule, RuleResult, Severity } from './types';

export function locate(ref: ResourceRef): FindingLocation {
  switch (ref.target) {
    case 'aws': {
      const type = ref.stack.template.Resources?.[ref.logicalId]?.Type ?? 'AWS::CloudFormation::Stack';
      const constructPath = ref.stack.constructPaths.get(ref.logicalId);
      return {
        file: ref.stack.file,
        line: ref.stack.resourceLines.get(ref.logicalId),
        resourceKey: `aws:${ref.stack.stackName}/${ref.logicalId}`,
        resourceName: ref.logicalId,
        resourceType: type,
        ...(constructPath ? { stableKey: `aws:${ref.stack.stackName}/${constructPath}` } : {}),
      };
    }
    case 'k8s': {
      const o = ref.doc.object;
      const ns = o.metadata.namespace;
      const name = o.metadata.name ?? '(unnamed)';
      return {
        file: ref.doc.file,
        line: ref.doc.line,
        resourceKey: `k8s:${ref.doc.site}/${ref.doc.cluster}/${o.kind}/${ns ?? '-'}/${name}`,
        resourceName: ns ? `${o.kind} ${ns}/${name}` : `${o.kind} ${name}`,
        resourceType: `${o.apiVersion}/${o.kind}`,
      };
    }
    case 'file':
      return {
        file: ref.file,
        line: ref.line,
        resourceKey: ref.key,
        resourceName: ref.key,
        resourceType: 'file',
      };
  }
}

export const fingerprintOf = (ruleId: string, loc: FindingLocation): string =>
  `${ruleId}|${loc.file}|${loc.stableKey ?? loc.resourceKey}`;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  const keys: Array<[string | number, string | number]> = [
    [a.location.file, b.location.file],
    [a.location.line ?? 0, b.location.line ?? 0],
    [a.location.resourceKey, b.location.resourceKey],
    [a.ruleId, b.ruleId],
    [SEVERITY_RANK[a.severity], SEVERITY_RANK[b.severity]],
    [a.message, b.message],
  ];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** Builds findings from one rule's results: one finding per resource, failures before unknowns. */
export function findingsOf(rule: Rule, results: Iterable<RuleResult>): Finding[] {
  const byKey = new Map<string, { loc: FindingLocation; fails: RuleResult[]; unknowns: RuleResult[] }>();
  for (const r of results) {
    const loc = locate(r.resource);
    let entry = byKey.get(loc.resourceKey);
    if (!entry) {
      entry = { loc, fails: [], unknowns: [] };
      byKey.set(loc.resourceKey, entry);
    }
    (r.status === 'fail' ? entry.fails : entry.unknowns).push(r);
  }
  const out: Finding[] = [];
  for (const { loc, fails, unknowns } of byKey.values()) {
    const failing = fails.length > 0;
    const chosen = failing ? fails : unknowns;
    const severity: Severity = failing
      ? chosen.reduce<Severity>(
          (worst, r) =>
            SEVERITY_RANK[r.severity ?? rule.severity] < SEVERITY_RANK[worst]
              ? (r.severity ?? rule.severity)
              : worst,
          'info',
        )
      : 'warning';
    const messages = [...new Set(chosen.map((r) => r.message))].sort();
    out.push({
      ruleId: rule.id,
      title: rule.title,
      pack: rule.pack,
      severity,
      status: failing ? 'fail' : 'unknown',
      message: messages.join('; '),
      controls: rule.controls,
      remediation: rule.remediation,
      location: loc,
      fingerprint: fingerprintOf(rule.id, loc),
    });
  }
  return out;
}

/** A finding of a meta rule: about the input, the exceptions or the engine, not a resource. */
export function metaFinding(
  rule: MetaRule,
  location: FindingLocation,
  message: string,
  status: Finding['status'] = 'fail',
): Finding {
  return {
    ruleId: rule.id,
    title: rule.title,
    pack: rule.pack,
    severity: rule.severity,
    status,
    message,
    controls: rule.controls,
    remediation: rule.remediation,
    location,
    fingerprint: fingerprintOf(rule.id, location),
  };
}

function ruleFailed(rule: Rule, e: unknown): Finding {
  const location: FindingLocation = {
    file: rule.target === 'k8s' ? 'k8s' : 'aws',
    resourceKey: `rule:${rule.id}`,
    resourceName: rule.id,
    resourceType: 'rule',
  };
  return metaFinding(
    RULE_FAILED,
    location,
    `${rule.id} (${rule.title}) stopped: ${e instanceof Error ? e.message : String(e)}`,
    'unknown',
  );
}

/** Runs each rule whose target the artifacts can feed. */
export function evaluate(artifacts: ArtifactSet, rules: readonly Rule[], now?: string): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (rule.target === 'aws' && !artifacts.aws) continue;
    if (rule.target === 'k8s' && !artifacts.k8s) continue;
    if (rule.target === 'both' && (!artifacts.aws || !artifacts.k8s)) continue;
    let results: RuleResult[];
    try {
      results = [...rule.check({ artifacts, now })];
    } catch (e) {
      findings.push(ruleFailed(rule, e));
      continue;
    }
    findings.push(...findingsOf(rule, results));
  }
  return findings.sort(compareFindings);
}
