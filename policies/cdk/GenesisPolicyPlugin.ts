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
import { CfnResource, Stack } from 'aws-cdk-lib';
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  PolicyViolationBeta1,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkArtifacts, todayUtc } from '../engine/checks';
import { loadExceptions } from '../engine/exceptions';
import { loadTemplate } from '../engine/load';
import type { ArtifactSet, Finding, StackArtifact } from '../engine/types';
import { AWS_RULES, RULES } from '../registry';
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

  validate(
    context: Pick<IPolicyValidationContextBeta1, 'templatePaths'> & { readonly appConstruct?: IConstruct },
  ): PolicyValidationPluginReportBeta1 {
    const artifacts = assemblyOf(context.templatePaths);
    const unreviewed = context.appConstruct
      ? this.unreviewedAcknowledgements(context.appConstruct, artifacts)
      : [];
    const result = checkArtifacts(artifacts, {
      rules: AWS_RULES,
      exceptionsFile: this.props.exceptionsFile,
      now: this.props.now,
      targets: ['aws'],
    });
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
        const logicalId = f.location.resourceKey.startsWith('aws:')
          ? f.location.resourceKey.slice(f.location.resourceKey.indexOf('/') + 1)
          : f.location.resourceName;
        return {
          resourceLogicalId: f.location.resourceKey.includes('/')
            ? logicalId
            : (stack?.stackName ?? f.location.resourceName),
          templatePath: stack ? path.resolve(stack.file) : f.location.file,
          locations: [f.message],
        };
      }),
    }));
    violations.push(...unreviewed);
    return {
      success: !open.some((f) => f.severity === 'error') && unreviewed.length === 0,
      violations,
      pluginVersion: TOOL_VERSION,
    };
  }

  /**
   * CDK lets `Validations.of(construct).acknowledge({ id: 'genesis-policies::<rule>' })` remove this
   * plugin's violations after it has run, with no owner, no expiry and no trace in the reports of
   * `genesis check`. The reviewed place for an exception is policies/exceptions.yaml: an
   * acknowledgement of a genesis rule is accepted only when that file holds a valid (unexpired)
   * exception for the same rule on a resource under the acknowledged construct (or the
   * acknowledgement is on that resource). Any other is
   * reported as a fatal violation, which CDK does not let an acknowledgement suppress.
   */
  private unreviewedAcknowledgements(root: IConstruct, artifacts: ArtifactSet): PolicyViolationBeta1[] {
    const known = new Set(RULES.map((r) => r.id));
    const now = this.props.now ?? todayUtc();
    const exceptions = this.props.exceptionsFile
      ? loadExceptions(this.props.exceptionsFile, known).filter((e) => e.expires >= now)
      : [];
    // the resource keys under a construct, from the construct tree (logical ids as written)
    const keysUnder = (scope: IConstruct): string[] =>
      scope.node
        .findAll()
        .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
        .map((c) => `aws:${Stack.of(c).stackName}/${Stack.of(c).resolve(c.logicalId) as string}`);
    const out: PolicyViolationBeta1[] = [];
    for (const construct of root.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== ACKNOWLEDGED_RULES || entry.data === null || typeof entry.data !== 'object')
          continue;
        for (const [qualified, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          const sep = qualified.lastIndexOf('::');
          const namespace = sep < 0 ? '' : qualified.slice(0, sep);
          const ruleId = sep < 0 ? qualified : qualified.slice(sep + 2);
          if (!(namespace === this.name || known.has(ruleId) || ruleId.startsWith('GEN-'))) continue;
          const at = construct.node.path;
          const keys = keysUnder(construct);
          if (exceptions.some((e) => e.rule === ruleId && keys.includes(e.resource))) continue;
          const stackOf = (key: string) =>
            artifacts.aws?.stacks.find((st) => key.startsWith(`aws:${st.stackName}/`));
          out.push({
            ruleName: `${ruleId}-acknowledged`,
            description: `${ruleId} is acknowledged at ${at || 'the app'} ("${String(reason)}") without a valid exception for it in policies/exceptions.yaml; acknowledgements do not replace reviewed exceptions (owner, expiry, report)`,
            fix: `Remove Validations.of(...).acknowledge({ id: '${qualified}' }) and, if the finding is accepted, add an exception for ${ruleId} and the resource key to policies/exceptions.yaml.`,
            severity: 'fatal',
            ruleMetadata: { rule: ruleId },
            violatingResources: (keys.length
              ? keys.slice(0, 20)
              : [`aws:${artifacts.aws?.stacks[0]?.stackName ?? 'app'}/${at || 'app'}`]
            ).map((key) => ({
              resourceLogicalId: key.slice(key.indexOf('/') + 1),
              templatePath: path.resolve(stackOf(key)?.file ?? artifacts.aws?.stacks[0]?.file ?? '.'),
              locations: [at || '/'],
            })),
          });
        }
      }
    }
    return out;
  }
}

/** Construct metadata in which `Validations.of(x).acknowledge()` records acknowledged rule ids. */
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

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
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      artifacts?: Record<
        string,
        { type?: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }
      >;
    };
    for (const [id, art] of Object.entries(parsed.artifacts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (art.type !== 'aws:cloudformation:stack' || !art.properties?.templateFile) continue;
      const abs = path.resolve(dir, art.properties.templateFile);
      if (!fs.existsSync(abs)) continue;
      const env = /^aws:\/\/(\d{12})\/(.+)$/.exec(art.environment ?? '');
      stacks.push(
        loadTemplate(
          abs,
          abs,
          art.properties.stackName ?? id,
          env ? { account: env[1], region: env[2] } : {},
        ),
      );
      seen.add(abs);
    }
  }
  for (const abs of [...wanted].sort()) {
    if (seen.has(abs)) continue;
    stacks.push(loadTemplate(abs, abs, path.basename(abs).replace(/\.template\.json$/, '')));
  }
  return { aws: { stacks } };
}
