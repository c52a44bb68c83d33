/**
 * Every rule on its own examples: it fires (status fail) on each failing example and reports
 * nothing at all, not even "undecided", on each passing one. Plus the registry and the boundary
 * of the policies folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleArtifacts } from '../../policies/engine/examples';
import { evaluate } from '../../policies/engine/run';
import { AWS_RULES, RULE_FOLDERS, RULES } from '../../policies/registry';
import { namedExamples } from '../../policies/engine/types';

const POLICIES = path.join(__dirname, '../../policies');

describe.each(RULES.map((r) => [`${r.id} (${r.file})`, r] as const))('%s', (_id, rule) => {
  it('has complete metadata', () => {
    expect(rule.id).toMatch(/^GEN-(AWS|K8S|X)-([A-Z]+-)?\d{3}$/);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(20);
    expect(rule.controls.length).toBeGreaterThan(0);
    for (const c of rule.controls) expect(c).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    const expectedTarget = rule.pack.startsWith('aws-')
      ? 'aws'
      : rule.pack.startsWith('k8s-')
        ? 'k8s'
        : 'both';
    expect(rule.target).toBe(expectedTarget);
    const examples = namedExamples(rule);
    expect(examples.filter((e) => !e.expect.fires).length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.expect.fires).length).toBeGreaterThan(0);
    expect(new Set(examples.map((e) => e.name)).size).toBe(examples.length);
  });

  const passing = namedExamples(rule).filter((e) => !e.expect.fires);
  const failing = namedExamples(rule).filter((e) => e.expect.fires);

  it.each(passing.map((e) => [e.name, e] as const))('does not fire on %s', (_name, example) => {
    const findings = evaluate(exampleArtifacts(example.artifacts), [rule]);
    expect(findings.map((f) => `${f.status}: ${f.message}`)).toEqual([]);
  });

  it.each(failing.map((e) => [e.name, e] as const))('fires on %s', (_name, example) => {
    const findings = evaluate(exampleArtifacts(example.artifacts), [rule]);
    const fired = findings.filter((f) => f.ruleId === rule.id && f.status === 'fail');
    expect(fired.length).toBeGreaterThan(0);
    for (const f of fired) {
      expect(f.fingerprint).toBe(
        `${rule.id}|${f.location.file}|${f.location.stableKey ?? f.location.resourceKey}`,
      );
      expect(f.location.file).toMatch(/^(aws|k8s)\//);
      if (example.expect.fires) expect(f.message).toMatch(example.expect.message);
    }
  });
});

describe('registry', () => {
  describe.each(RULE_FOLDERS.map((f) => [f.folder, f] as const))(
    'policies/rules/%s',
    (folder, { target, rules }) => {
      const dir = path.join(POLICIES, 'rules', folder);
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
        .sort();
      const isRule = (v: unknown): boolean =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { id?: unknown }).id === 'string' &&
        typeof (v as { check?: unknown }).check === 'function';

      it('its index lists every rule file of the folder exactly once, under the file name', () => {
        expect(Object.keys(rules).sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')));
        expect(new Set(Object.values(rules)).size).toBe(files.length);
        for (const file of files) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require(path.join(dir, file)) as Record<string, unknown>;
          expect({ file, listed: rules[file.replace(/\.ts$/, '')] === mod.default }).toEqual({
            file,
            listed: true,
          });
          // one rule per file: the default export is the only rule the file exports
          expect({ file, rules: Object.values(mod).filter(isRule).length }).toEqual({ file, rules: 1 });
        }
      });

      it(`gives each of its rules the target ${target} and its own file`, () => {
        const ofFolder = RULES.filter((r) => path.dirname(r.file) === `policies/rules/${folder}`);
        expect(ofFolder.map((r) => path.basename(r.file)).sort()).toEqual(files);
        for (const r of ofFolder) expect({ id: r.id, target: r.target }).toEqual({ id: r.id, target });
      });
    },
  );

  it('has unique ids and at least 40 rules across all packs', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    const packs = new Set(RULES.map((r) => r.pack));
    for (const p of [
      'aws-data-protection',
      'aws-network',
      'aws-identity',
      'aws-service-limits',
      'k8s-tenancy',
      'k8s-capacity',
      'cross-target',
    ])
      expect(packs).toContain(p);
  });

  it('runs inside CDK synthesis exactly the rules of the aws folder', () => {
    expect(AWS_RULES.map((r) => r.id).sort()).toEqual(
      Object.values(RULE_FOLDERS[0].rules)
        .map((r) => r.id)
        .sort(),
    );
  });
});

describe('boundary', () => {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [path.join(dir, e.name)]
            : [],
      );

  it('policies never import the model, constructs or stacks', () => {
    const offenders: string[] = [];
    for (const file of walk(POLICIES)) {
      if (file.includes(`${path.sep}conformance${path.sep}`)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map(
        (m) => m[1],
      );
      for (const spec of specs) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(path.join(POLICIES, '..'), path.resolve(path.dirname(file), spec));
        if (/^(infra[\\/]model|constructs|stacks)([\\/]|$)/.test(target))
          offenders.push(`${path.relative(POLICIES, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the engine, the reports and the CDK plugin import no example builders', () => {
    const offenders: string[] = [];
    for (const dir of ['engine', 'report', 'cdk', 'conformance']) {
      for (const file of walk(path.join(POLICIES, dir))) {
        const text = fs.readFileSync(file, 'utf8');
        const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map(
          (m) => m[1],
        );
        for (const spec of specs) {
          const target = path.relative(POLICIES, path.resolve(path.dirname(file), spec));
          if (spec.startsWith('.') && /^examples([\\/]|$)/.test(target))
            offenders.push(`${path.relative(POLICIES, file)} -> ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('catalogue', () => {
  it('is current in policies/README.md', () => {
    // Loaded here, after the registry: the catalogue module reads every rule when it loads.
    /* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    const { catalogue } =
      require('../../policies/report/catalogue') as typeof import('../../policies/report/catalogue');
    /* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    expect(fs.readFileSync(path.join(POLICIES, 'README.md'), 'utf8')).toContain(catalogue());
  });
});
