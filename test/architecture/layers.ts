/**
 * The project's layers and the one import scanner every architecture test uses.
 *
 *   infra/contract, infra/util  leaves: import no project code
 *   infra/model                 the declaration (knows no target)
 *   constructs/aws, constructs/k8s   construct libraries
 *   stacks/aws, stacks/k8s, stacks/pulumi   the three targets (siblings: never each other)
 *   policies                    reads artifacts; imports infra/contract and infra/util only
 *   cli                         the top floor
 *
 * Imports are read with TypeScript's own pre-processor, so every form counts: `import … from`,
 * `import type`, `export … from`, side-effect `import 'x'`, `require()` and `import()`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Layer {
  readonly name: string;
  readonly dirs: readonly string[];
  /** Layers whose files this layer may import (its own always). */
  readonly may: readonly string[];
  /** Packages it may import (node: built-ins always). */
  readonly packages: readonly string[];
}

const CDK = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
const CDK8S = ['cdk8s', 'cdk8s-plus-28', 'constructs', 'yaml'];
const BASE = ['contract', 'util', 'model'];

export const LAYERS: readonly Layer[] = [
  { name: 'contract', dirs: ['infra/contract'], may: [], packages: [] },
  { name: 'util', dirs: ['infra/util'], may: [], packages: [] },
  { name: 'model', dirs: ['infra/model'], may: ['util'], packages: ['zod', 'yaml'] },
  { name: 'constructs-aws', dirs: ['constructs/aws'], may: BASE, packages: CDK },
  { name: 'constructs-k8s', dirs: ['constructs/k8s'], may: BASE, packages: CDK8S },
  { name: 'stacks-aws', dirs: ['stacks/aws'], may: [...BASE, 'constructs-aws'], packages: CDK },
  { name: 'stacks-k8s', dirs: ['stacks/k8s'], may: [...BASE, 'constructs-k8s'], packages: CDK8S },
  {
    name: 'stacks-pulumi',
    dirs: ['stacks/pulumi'],
    may: [...BASE, 'constructs-k8s'],
    packages: ['@pulumi/pulumi', '@pulumi/kubernetes', 'cdk8s', 'zod', 'yaml'],
  },
  {
    name: 'policies',
    dirs: ['policies'],
    may: ['contract', 'util'],
    packages: ['yaml', 'zod', 'ajv', 'aws-cdk-lib', 'constructs', '@bufbuild/cel', 'ip-num'],
  },
  { name: 'cli', dirs: ['cli'], may: ['*'], packages: ['*'] },
];

/**
 * Edges allowed across the table, each with its reason. Keep this list short: every entry is a
 * place where a lower layer knows a higher one.
 */
export const ALLOWED_EDGES: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'stacks/aws/main.ts',
    to: 'policies',
    why: 'the CDK app (cdk.json) registers the policy engine as a validation plugin, so `cdk synth` runs the checks',
  },
];

export interface Import {
  readonly file: string;
  /** Repo-relative path of a project import (without extension), or `pkg:<name>`. */
  readonly to: string;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every import of one source text, whatever its form. */
export function importsOf(file: string, text: string): Import[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName: spec }) => ({
    file,
    to: spec.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec))
      : `pkg:${packageName(spec)}`,
  }));
}

export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => l.dirs.some((d) => file === d || file.startsWith(`${d}/`)));
}

/** What is wrong with one import, or undefined when the table allows it. */
export function violation(imp: Import): string | undefined {
  const from = layerOf(imp.file);
  if (!from) return undefined;
  if (imp.to.startsWith('pkg:')) {
    const pkg = imp.to.slice(4);
    if (pkg.startsWith('node:') || from.packages.includes('*') || from.packages.includes(pkg))
      return undefined;
    return `${imp.file} imports package ${pkg}, which layer ${from.name} may not use`;
  }
  const to = layerOf(imp.to);
  if (!to || to === from || from.may.includes('*') || from.may.includes(to.name)) return undefined;
  if (ALLOWED_EDGES.some((e) => e.from === imp.file && to.dirs.some((d) => d.startsWith(e.to))))
    return undefined;
  return `${imp.file} (${from.name}) imports ${imp.to} (${to.name})`;
}

/** Sources (not tests) of the project: .ts, .js and .cjs under the layers' folders. */
export function projectSources(): string[] {
  return LAYERS.flatMap((l) => l.dirs)
    .filter((d) => fs.existsSync(path.join(ROOT, d)))
    .flatMap((d) =>
      fs
        .readdirSync(path.join(ROOT, d), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|cjs|js)$/.test(e.name))
        .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/')),
    )
    .sort();
}

export function projectImports(): Import[] {
  return projectSources().flatMap((f) => importsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
}
