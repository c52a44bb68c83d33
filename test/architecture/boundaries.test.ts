/**
 * The one-way data flow, enforced on the import graph:
 *   spec -> model -> constructs -> stacks/charts/programs -> artifacts -> policies.
 * The model knows no target; targets never import each other; policies read artifacts only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|cjs|js)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Repo-relative targets of relative imports and requires, plus bare package names. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return specs.map((s) => (s.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)) : `pkg:${s}`));
}

function violations(dirs: string[], forbidden: RegExp): string[] {
  return dirs.flatMap((d) => sources(d)).flatMap((f) => importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${f} -> ${i}`));
}

describe('architecture boundaries', () => {
  it('finds the sources it checks', () => {
    expect(sources('infra/model').length).toBeGreaterThan(5);
  });

  it('the model imports no target, policy, CLI or cloud library', () => {
    expect(violations(['infra/model'], /^(constructs|stacks|policies|infra\/cli|infra\/pulumi)|^pkg:(aws-cdk-lib|cdk8s|cdk8s-plus-28|@pulumi|constructs)/)).toEqual([]);
  });

  it('the AWS target never imports the Kubernetes or Pulumi targets', () => {
    expect(violations(['constructs/aws', 'stacks/aws'], /^(constructs\/k8s|stacks\/k8s|infra\/pulumi|policies\/rules)|^pkg:(cdk8s|@pulumi)/)).toEqual([]);
  });

  it('the Kubernetes target never imports the AWS or Pulumi targets', () => {
    expect(violations(['constructs/k8s', 'stacks/k8s'], /^(constructs\/aws|stacks\/aws|infra\/pulumi|policies)|^pkg:(aws-cdk-lib|@pulumi)/)).toEqual([]);
  });

  it('policies read artifacts only: no model, constructs or stacks', () => {
    expect(violations(['policies'], /^(infra\/model|infra\/default|constructs|stacks|infra\/pulumi)/)).toEqual([]);
  });
});
