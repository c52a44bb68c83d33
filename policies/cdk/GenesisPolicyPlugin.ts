/**
 * The AWS rules as a CDK policy validation plugin: registered on the App
 * (`new App({ policyValidationBeta1: [new GenesisPolicyPlugin()] })`), they run over the templates
 * CDK has just written, so `cdk synth` fails on an error finding, with the rule id in its report.
 *
 * The plugin reads the written templates (and the assembly manifest beside them, for stack names,
 * account and region, and cross-stack exports), not the construct tree: it judges exactly what
 * would be deployed, as `genesis check` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPlugin, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, PolicyViolationBeta1 } from 'aws-cdk-lib';
import { checkArtifacts } from '../engine/checks';
import { loadTemplate } from '../engine/load';
import type { ArtifactSet, Finding, StackArtifact } from '../engine/types';
import { AWS_RULES } from '../registry';
import { TOOL_VERSION } from '../report/sarif';

export interface GenesisPolicyPluginProps {
  /** A reviewed exceptions file; none when omitted. */
  readonly exceptionsFile?: string;
  /** YYYY-MM-DD for judging exceptions; default today (UTC). */
  readonly now?: string;
}

/**
 * Usable through both registration paths: `new App({ policyValidationBeta1: [plugin] })` and
 * `Validations.of(app).addPlugins(plugin)`.
 */
export class GenesisPolicyPlugin implements IPolicyValidationPluginBeta1, IPolicyValidationPlugin {
  readonly name = 'genesis-policies';
  readonly version = TOOL_VERSION;
  readonly ruleIds = AWS_RULES.map((r) => r.id);

  constructor(private readonly props: GenesisPolicyPluginProps = {}) {}

  validate(context: Pick<IPolicyValidationContextBeta1, 'templatePaths'>): PolicyValidationPluginReportBeta1 {
    const artifacts = assemblyOf(context.templatePaths);
    const result = checkArtifacts(artifacts, { rules: AWS_RULES, exceptionsFile: this.props.exceptionsFile, now: this.props.now });
    const byPath = new Map(artifacts.aws!.stacks.map((s) => [s.file, s]));
    const open = result.findings.filter((f) => !f.suppression && f.pack !== 'input');
    const byRule = new Map<string, Finding[]>();
    for (const f of open) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const violations: PolicyViolationBeta1[] = [...byRule].map(([ruleId, fs]) => ({
      ruleName: ruleId,
      description: `${ruleId} ${fs[0].title}: ${fs.map((f) => `${f.location.resourceName}: ${f.message}`).join('; ')}`,
      fix: fs[0].remediation,
      severity: fs.some((f) => f.severity === 'error') ? 'error' : fs[0].severity,
      ruleMetadata: { controls: fs[0].controls.join(' '), pack: fs[0].pack },
      violatingResources: fs.map((f) => {
        const stack = byPath.get(f.location.file);
        const logicalId = f.location.resourceKey.startsWith('aws:') ? f.location.resourceKey.slice(f.location.resourceKey.indexOf('/') + 1) : f.location.resourceName;
        return {
          resourceLogicalId: f.location.resourceKey.includes('/') ? logicalId : (stack?.stackName ?? f.location.resourceName),
          templatePath: stack ? path.resolve(stack.file) : f.location.file,
          locations: [f.message],
        };
      }),
    }));
    return { success: !open.some((f) => f.severity === 'error'), violations, pluginVersion: TOOL_VERSION };
  }
}

/**
 * The stacks behind the given template paths. When the assembly manifest is beside them, it names
 * the stacks and their environments (and lets Fn::ImportValue see every stack); otherwise each
 * template stands alone, named after its file.
 */
function assemblyOf(templatePaths: readonly string[]): ArtifactSet {
  const wanted = new Set(templatePaths.map((p) => path.resolve(p)));
  const stacks: StackArtifact[] = [];
  const dirs = [...new Set([...wanted].map((p) => path.dirname(p)))].sort();
  const seen = new Set<string>();
  for (const dir of dirs) {
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) continue;
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }> };
    for (const [id, art] of Object.entries(parsed.artifacts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (art.type !== 'aws:cloudformation:stack' || !art.properties?.templateFile) continue;
      const abs = path.resolve(dir, art.properties.templateFile);
      if (!fs.existsSync(abs)) continue;
      const env = /^aws:\/\/(\d{12})\/(.+)$/.exec(art.environment ?? '');
      stacks.push(loadTemplate(abs, abs, art.properties.stackName ?? id, env ? { account: env[1], region: env[2] } : {}));
      seen.add(abs);
    }
  }
  for (const abs of [...wanted].sort()) {
    if (seen.has(abs)) continue;
    stacks.push(loadTemplate(abs, abs, path.basename(abs).replace(/\.template\.json$/, '')));
  }
  return { aws: { stacks } };
}
