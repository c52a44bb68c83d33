/**
 * cdk8s app: `npx cdk8s synth --check-upgrade=false` (see cdk8s.yaml; without the flag the cdk8s
 * CLI asks the npm registry whether a newer CLI exists) writes every chart of every cluster into
 * dist-cdk8s/ as `<cluster>-<chart>.k8s.yaml`. It uses the same charts as `genesis synth`, whose
 * artifacts go to `<out>/k8s/<site>/<cluster>/` inside `dist/`; the cdk8s output has its own folder
 * so the two never overwrite each other (cdk8s empties its output folder on every run).
 *
 * Environment: GENESIS_SPEC (platform file; the embedded default otherwise), GENESIS_TENANTS
 * (folder of tenant files), GENESIS_NOW (YYYY-MM-DD that grants are judged against).
 */
import { App, YamlOutputType } from 'cdk8s';
import { clusterCharts } from '../../constructs/k8s';
import { SpecError, formatProblem, loadPlatform } from '../../infra/model';

export function buildApp(outdir?: string): App {
  const { platform } = loadPlatform({ spec: process.env.GENESIS_SPEC, tenantsDir: process.env.GENESIS_TENANTS, now: process.env.GENESIS_NOW });
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.k8s.yaml' });
  for (const cluster of [...platform.clusters].sort((a, b) => (a.id < b.id ? -1 : 1))) clusterCharts(app, platform, cluster.id);
  return app;
}

if (require.main === module) {
  try {
    buildApp().synth();
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    // Invalid input: the problems, one per line, and exit 2 (as `genesis`), without a stack trace.
    for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.exitCode = 2;
  }
}
