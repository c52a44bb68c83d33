/**
 * What `genesis check DIR` accepts: a genesis output folder (DIR/aws, DIR/k8s), a CDK cloud
 * assembly (`cdk.out`, with its manifest.json), or the cdk8s app's output (`dist-cdk8s`, chart
 * files headed `# genesis: site=... cluster=...`). The last two are presented to the policy engine
 * as the first, through a temporary view folder that the caller removes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HEADER_PREFIX } from '../stacks/k8s/synth';

export type InputKind = 'genesis' | 'cdk-assembly' | 'cdk8s';

export interface CheckInput {
  readonly kind: InputKind;
  /** The folder to hand to the engine. */
  readonly dir: string;
  /** The targets the input can hold. */
  readonly targets?: ReadonlyArray<'aws' | 'k8s'>;
  /** Removes the view folder, if one was made. */
  readonly dispose: () => void;
}

const none = (): void => undefined;

function isDir(p: string): boolean {
  return fs.existsSync(p) && fs.statSync(p).isDirectory();
}

function chartFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort();
}

/** Site and cluster from a chart file's first line. */
function placement(file: string): { site: string; cluster: string } | undefined {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  if (!first.startsWith(HEADER_PREFIX)) return undefined;
  const site = /\bsite=(\S+)/.exec(first)?.[1];
  const cluster = /\bcluster=(\S+)/.exec(first)?.[1];
  return site && cluster ? { site, cluster } : undefined;
}

export class CheckInputError extends Error {}

export function resolveCheckInput(dir: string): CheckInput {
  if (!isDir(dir) || isDir(path.join(dir, 'aws')) || isDir(path.join(dir, 'k8s')))
    return { kind: 'genesis', dir, dispose: none };
  if (fs.existsSync(path.join(dir, 'manifest.json'))) {
    const view = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-check-'));
    fs.symlinkSync(path.resolve(dir), path.join(view, 'aws'), 'dir');
    return {
      kind: 'cdk-assembly',
      dir: view,
      targets: ['aws'],
      dispose: () => fs.rmSync(view, { recursive: true, force: true }),
    };
  }
  const charts = chartFiles(dir);
  if (charts.length === 0) return { kind: 'genesis', dir, dispose: none };
  const view = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-check-'));
  try {
    for (const f of charts) {
      const where = placement(path.join(dir, f));
      if (!where)
        throw new CheckInputError(
          `${path.join(dir, f)}: has no "${HEADER_PREFIX} site=... cluster=..." first line; cannot tell its cluster (run \`npx cdk8s synth\` of this repository)`,
        );
      const target = path.join(view, 'k8s', where.site, where.cluster);
      fs.mkdirSync(target, { recursive: true });
      fs.copyFileSync(
        path.join(dir, f),
        path.join(target, f.slice(where.cluster.length + 1).replace(/\.k8s\.yaml$/, '.yaml')),
      );
    }
  } catch (e) {
    fs.rmSync(view, { recursive: true, force: true });
    throw e;
  }
  return {
    kind: 'cdk8s',
    dir: view,
    targets: ['k8s'],
    dispose: () => fs.rmSync(view, { recursive: true, force: true }),
  };
}
