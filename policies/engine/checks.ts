/** The policy check of a synthesized folder: load, evaluate, apply exceptions, summarise. */
import * as path from 'node:path';
import { InputError } from './errors';
import { applyExceptions, loadExceptions } from './exceptions';
import { loadArtifacts, type ParsedManifests } from './load';
import { todayUtc } from './today';
import { INPUT_MISSING, INPUT_UNLISTED, META_RULES } from './meta';
import { compareFindings, evaluate, metaFinding } from './run';
import type { ArtifactSet, Finding, Pack, Rule, Severity } from './types';
import { RULES } from '../registry';
import { reachReport, type ReachReport } from '../analysis/reach/report';
import { accessMatrix } from '../analysis/access/matrix';
import { accessReport, type AccessReport } from '../analysis/access/present';

export interface CheckOptions {
  /** A reviewed exceptions file (YAML); none when omitted. */
  readonly exceptionsFile?: string;
  /** The date exceptions are judged against, YYYY-MM-DD; default today (UTC). */
  readonly now?: string;
  /** Rules to run; default every registered rule. */
  readonly rules?: readonly Rule[];
  /**
   * The targets the folder must hold; default both. A missing expected target is an error
   * finding (GEN-INPUT-001); a target left out here is intentionally absent.
   */
  readonly targets?: readonly Target[];
  /**
   * Manifests whose documents are known by their text (`writtenDocuments`: what `genesis synth`
   * has just written): a file on disk that holds that text byte for byte is not parsed again.
   */
  readonly parsed?: ParsedManifests;
}

export type Target = 'aws' | 'k8s';
export const TARGETS: readonly Target[] = ['aws', 'k8s'];

export interface PackSummary {
  readonly pack: Pack;
  readonly rules: number;
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly unknown: number;
  readonly suppressed: number;
}

export interface Summary {
  readonly rules: number;
  readonly stacks: number;
  readonly k8sDocuments: number;
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly unknown: number;
  readonly suppressed: number;
  readonly packs: readonly PackSummary[];
  readonly controls: ReadonlyArray<{
    readonly control: string;
    readonly error: number;
    readonly warning: number;
    readonly info: number;
  }>;
}

export interface CheckResult {
  readonly findings: readonly Finding[];
  readonly summary: Summary;
  /** The rules that ran (for report metadata). */
  readonly rules: readonly Rule[];
  /** The effective reachability of the artifacts (report/reachability.json). */
  readonly reach?: ReachReport;
  /** The effective access matrix and its differences from the grants (report/access.json). */
  readonly access?: AccessReport;
}

const PACK_ORDER: readonly Pack[] = [
  'aws-data-protection',
  'aws-network',
  'aws-identity',
  'aws-service-limits',
  'k8s-tenancy',
  'k8s-capacity',
  'cross-target',
  'exceptions',
  'input',
];

export { todayUtc };

export function summarise(
  findings: readonly Finding[],
  rules: readonly Rule[],
  artifacts: ArtifactSet,
): Summary {
  const active = findings.filter((f) => !f.suppression);
  const count = (fs: readonly Finding[], s: Severity) => fs.filter((f) => f.severity === s).length;
  const packs = PACK_ORDER.map((pack) => {
    const fs = findings.filter((f) => f.pack === pack);
    const a = fs.filter((f) => !f.suppression);
    return {
      pack,
      rules: rules.filter((r) => r.pack === pack).length + META_RULES.filter((m) => m.pack === pack).length,
      error: count(a, 'error'),
      warning: count(a, 'warning'),
      info: count(a, 'info'),
      unknown: a.filter((f) => f.status === 'unknown').length,
      suppressed: fs.length - a.length,
    };
  }).filter(
    (p) =>
      p.rules > 0 &&
      (p.pack !== 'exceptions' && p.pack !== 'input'
        ? true
        : p.error + p.warning + p.info + p.suppressed > 0),
  );
  const controls = new Map<string, { error: number; warning: number; info: number }>();
  for (const f of active) {
    for (const c of f.controls) {
      const e = controls.get(c) ?? { error: 0, warning: 0, info: 0 };
      e[f.severity]++;
      controls.set(c, e);
    }
  }
  return {
    rules: rules.length,
    stacks: artifacts.aws?.stacks.length ?? 0,
    k8sDocuments: artifacts.k8s?.documents.length ?? 0,
    error: count(active, 'error'),
    warning: count(active, 'warning'),
    info: count(active, 'info'),
    unknown: active.filter((f) => f.status === 'unknown').length,
    suppressed: findings.length - active.length,
    packs,
    controls: [...controls]
      .sort(([a], [b]) => compareControls(a, b))
      .map(([control, c]) => ({ control, ...c })),
  };
}

/** NIST control ids in family then number order: AC-2 < AC-2(3) < AC-3 < AU-2. */
export function compareControls(a: string, b: string): number {
  const key = (c: string) => {
    const m = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(c);
    return m ? [m[1], Number(m[2]), m[3] ? Number(m[3]) : 0] : [c, 0, 0];
  };
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** Findings for expected parts of the folder that are missing, and templates the manifest does not list. */
function inputFindings(artifacts: ArtifactSet, targets: readonly Target[]): Finding[] {
  const out: Finding[] = [];
  for (const [part, present] of [
    ['aws', artifacts.aws !== undefined],
    ['k8s', artifacts.k8s !== undefined],
  ] as const) {
    if (present || !targets.includes(part)) continue;
    out.push(
      metaFinding(
        INPUT_MISSING,
        { file: part, resourceKey: `input:${part}`, resourceName: `${part}/`, resourceType: 'folder' },
        `no ${part}/ folder: the ${part === 'aws' ? 'AWS' : 'Kubernetes'} and cross-target rules did not run (pass --targets ${part === 'aws' ? 'k8s' : 'aws'} if ${part}/ is absent on purpose)`,
      ),
    );
  }
  for (const file of artifacts.aws?.unlisted ?? []) {
    out.push(
      metaFinding(
        INPUT_UNLISTED,
        { file, resourceKey: `input:${file}`, resourceName: file, resourceType: 'template' },
        `${file} is not a stack artifact of aws/manifest.json: no rule judged it and nothing deploys it`,
      ),
    );
  }
  return out;
}

/**
 * Judges already-loaded artifacts (used by runChecks, the CDK plugin and tests). Without
 * `targets`, the targets the artifacts hold are the expected ones (runChecks expects both).
 */
export function checkArtifacts(
  artifacts: ArtifactSet,
  options: CheckOptions & { exceptionsShown?: string } = {},
): CheckResult {
  const rules = options.rules ?? RULES;
  const targets = options.targets ?? TARGETS.filter((t) => artifacts[t] !== undefined);
  let findings = [
    ...evaluate(artifacts, rules, options.now ?? todayUtc()),
    ...(artifacts.aws || artifacts.k8s ? inputFindings(artifacts, targets) : []),
  ];
  if (options.exceptionsFile) {
    const known = new Set([...RULES.map((r) => r.id), ...META_RULES.map((m) => m.id)]);
    const exceptions = loadExceptions(options.exceptionsFile, known);
    findings = applyExceptions(
      findings,
      exceptions,
      options.now ?? todayUtc(),
      options.exceptionsShown ?? options.exceptionsFile,
    );
  }
  findings.sort(compareFindings);
  const access =
    artifacts.aws || artifacts.k8s
      ? accessReport(accessMatrix({ artifacts }, Date.parse(`${options.now ?? todayUtc()}T00:00:00Z`)))
      : undefined;
  return {
    findings,
    summary: summarise(findings, rules, artifacts),
    rules,
    reach: reachReport(artifacts),
    access,
  };
}

/**
 * Checks the artifacts in `dir` (its aws/ and k8s/ only). Throws InputError (exit code 2) when the
 * folder or a file cannot be read, when it holds none of the expected targets, or the exceptions
 * file is invalid. An expected target that is missing while another is present is an error finding.
 */
export function runChecks(dir: string, options: CheckOptions = {}): CheckResult {
  const artifacts = loadArtifacts(dir, options.parsed);
  if (!artifacts.aws && !artifacts.k8s) {
    throw new InputError(dir, 'holds neither aws/ nor k8s/: nothing to check');
  }
  const targets = options.targets ?? TARGETS;
  if (!targets.some((t) => artifacts[t] !== undefined))
    throw new InputError(dir, `holds no ${targets.join('/ nor ')}/, the targets to check`);
  const exceptionsShown = options.exceptionsFile ? exceptionsPath(options.exceptionsFile) : undefined;
  return checkArtifacts(artifacts, { ...options, targets, exceptionsShown });
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * How findings name an exceptions file: relative to the repository root when it lies inside it
 * (policies/exceptions.yaml), else its absolute path; never relative to the checked folder, so
 * that reports do not depend on where the output was written.
 */
export function exceptionsPath(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(REPO_ROOT, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

/** 1 when any finding that no exception suppresses is an error, else 0. */
export const exitCodeOf = (result: CheckResult): 0 | 1 => (result.summary.error > 0 ? 1 : 0);
