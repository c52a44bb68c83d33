/**
 * cdk8s app: `npx cdk8s synth --check-upgrade=false` (see cdk8s.yaml; without the flag the cdk8s
 * CLI asks the npm registry whether a newer CLI exists) writes every chart of every cluster into
 * dist-cdk8s/ as `<cluster>-<chart>.k8s.yaml`. It uses the same charts as `genesis synth`, whose
 * artifacts go to `<out>/k8s/<site>/<cluster>/` inside `dist/`.
 *
 * The cdk8s CLI empties its output folder before it runs the app, so cdk8s.yaml points it at a
 * scratch folder (.cdk8s.out/); the app then publishes the charts into dist-cdk8s/ all at once,
 * each file headed `# genesis: site=... cluster=...` (so `genesis check dist-cdk8s` can place it).
 * An invalid spec or an interrupted run leaves dist-cdk8s/ as it was.
 *
 * Environment: GENESIS_SPEC (platform file; the embedded default otherwise), GENESIS_TENANTS
 * (folder of tenant files), GENESIS_NOW (YYYY-MM-DD that grants are judged against),
 * GENESIS_CDK8S_OUT (the published folder; default dist-cdk8s).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { clusterCharts } from '../../constructs/k8s';
import { SpecError, formatProblem, loadPlatform, type Platform } from '../../infra/model';
import { OUTPUT_MARKER, UnsafeOutputError, writeDirAtomically } from '../../infra/util/atomic-dir';
import { fileHeader } from './synth';

export const CDK8S_PUBLISHED = 'dist-cdk8s';

function load(): { platform: Platform; warnings: readonly string[] } {
  const { platform, warnings } = loadPlatform({
    spec: process.env.GENESIS_SPEC,
    tenantsDir: process.env.GENESIS_TENANTS,
    now: process.env.GENESIS_NOW,
  });
  return { platform, warnings: warnings.map(formatProblem) };
}

function appOf(platform: Platform, outdir?: string): App {
  const app = new App({
    outdir,
    yamlOutputType: YamlOutputType.FILE_PER_CHART,
    outputFileExtension: '.k8s.yaml',
  });
  for (const cluster of [...platform.clusters].sort((a, b) => (a.id < b.id ? -1 : 1)))
    clusterCharts(app, platform, cluster.id);
  return app;
}

export function buildApp(outdir?: string): App {
  return appOf(load().platform, outdir);
}

/** The header of a chart file `<cluster>-<chart>.k8s.yaml`: the longest cluster id that prefixes it. */
function headerOf(platform: Platform, file: string): string {
  const cluster = [...platform.clusters]
    .sort((a, b) => b.id.length - a.id.length)
    .find((c) => file.startsWith(`${c.id}-`));
  if (!cluster) throw new Error(`${file}: no cluster of the platform names this chart file`);
  return fileHeader(cluster.site, cluster.id, cluster.kubernetesVersion);
}

/** A folder written by an earlier cdk8s run holds only chart files: it may be replaced. */
function adoptEarlierOutput(target: string): void {
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) return;
  const entries = fs.readdirSync(target);
  if (
    entries.length > 0 &&
    !entries.includes(OUTPUT_MARKER) &&
    entries.every((e) => e.endsWith('.k8s.yaml'))
  ) {
    fs.writeFileSync(path.join(target, OUTPUT_MARKER), '');
  }
}

export async function synthAndPublish(scratch: string, target: string): Promise<string[]> {
  const { platform, warnings } = load();
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  appOf(platform, scratch).synth();
  const files = fs
    .readdirSync(scratch)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort();
  adoptEarlierOutput(target);
  await writeDirAtomically(target, (staging) => {
    for (const f of files)
      fs.writeFileSync(
        path.join(staging, f),
        headerOf(platform, f) + fs.readFileSync(path.join(scratch, f), 'utf8'),
      );
  });
  return files;
}

if (require.main === module) {
  const scratch = process.env.CDK8S_OUTDIR ?? '.cdk8s.out';
  synthAndPublish(scratch, process.env.GENESIS_CDK8S_OUT ?? CDK8S_PUBLISHED).then(
    (files) =>
      process.stderr.write(
        `published ${files.length} chart files into ${process.env.GENESIS_CDK8S_OUT ?? CDK8S_PUBLISHED}/\n`,
      ),
    (e) => {
      if (e instanceof UnsafeOutputError) {
        process.stderr.write(`refusing to write output: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (!(e instanceof SpecError)) throw e;
      // Invalid input: the problems, one per line, and exit 2 (as `genesis`), without a stack trace.
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.exitCode = 2;
    },
  );
}
