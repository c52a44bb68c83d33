/**
 * The Pulumi target is a sibling of the others: it builds Kubernetes objects only through the
 * Kubernetes target's construct library (no second copy of any chart), and never imports the AWS
 * target or the cdk8s app.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'infra', 'pulumi');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'));

/** Repo-relative targets of relative imports, and package names as `pkg:<name>`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .map((s) => (s.startsWith('.') ? path.relative(ROOT, path.resolve(DIR, s)) : `pkg:${s}`));
}

const all = files.flatMap((f) => importsOf(f).map((i) => ({ file: f, to: i })));

describe('infra/pulumi imports', () => {
  it('finds the program sources', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'program.ts', 'objects.ts', 'settings.ts']));
  });

  it('never imports the AWS target, the cdk8s app, policies or the CLI', () => {
    expect(all.filter((i) => /^(constructs\/aws|stacks\/|policies|infra\/cli)|^pkg:(aws-cdk-lib|cdk-nag)/.test(i.to))).toEqual([]);
  });

  it('builds Kubernetes objects only through the construct library of the Kubernetes target', () => {
    const k8sImports = all.filter((i) => i.to === 'constructs/k8s' || i.to.startsWith('constructs/k8s/'));
    expect([...new Set(k8sImports.map((i) => i.file))]).toEqual(['objects.ts']);
    expect(k8sImports.map((i) => i.to)).toContain('constructs/k8s');
    // No construct classes of its own: cdk8s only for the App the charts are added to.
    expect(all.filter((i) => /^pkg:(cdk8s-plus|constructs$)/.test(i.to))).toEqual([]);
    expect(all.filter((i) => i.to === 'pkg:cdk8s').map((i) => i.file)).toEqual(['objects.ts']);
    for (const f of files) expect(fs.readFileSync(path.join(DIR, f), 'utf8')).not.toMatch(/new (ApiObject|Chart)\b/);
  });
});
