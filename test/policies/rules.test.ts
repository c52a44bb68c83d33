/**
 * Every rule on its own examples: it fires (status fail) on each failing example and reports
 * nothing at all, not even "undecided", on each passing one. Plus the registry and the boundary
 * of the policies folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleArtifacts } from '../../policies/engine/examples';
import { evaluate } from '../../policies/engine/run';
import { RULES } from '../../policies/registry';
import { namedExamples } from '../../policies/engine/types';

const POLICIES = path.join(__dirname, '../../policies');

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  it('has complete metadata', () => {
    expect(rule.id).toMatch(/^GEN-(AWS|K8S|X)-([A-Z]+-)?\d{3}$/);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(20);
    expect(rule.controls.length).toBeGreaterThan(0);
    for (const c of rule.controls) expect(c).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    const expectedTarget = rule.pack.startsWith('aws-') ? 'aws' : rule.pack.startsWith('k8s-') ? 'k8s' : 'both';
    expect(rule.target).toBe(expectedTarget);
    const examples = namedExamples(rule);
    expect(examples.filter((e) => !e.expect.fires).length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.expect.fires).length).toBeGreaterThan(0);
    expect(new Set(examples.map((e) => e.name)).size).toBe(examples.length);
  });

  const passing = namedExamples(rule).filter((e) => !e.expect.fires);
  const failing = namedExamples(rule).filter((e) => e.expect.fires);

  it.each(passing.map((e) => [e.name, e] as const))('passes: %s', (_name, example) => {
    const findings = evaluate(exampleArtifacts(example.artifacts), [rule]);
    expect(findings.map((f) => `${f.status}: ${f.message}`)).toEqual([]);
  });

  it.each(failing.map((e) => [e.name, e] as const))('fires: %s', (_name, example) => {
    const findings = evaluate(exampleArtifacts(example.artifacts), [rule]);
    const fired = findings.filter((f) => f.ruleId === rule.id && f.status === 'fail');
    expect(fired.length).toBeGreaterThan(0);
    for (const f of fired) {
      expect(f.fingerprint).toBe(`${rule.id}|${f.location.file}|${f.location.stableKey ?? f.location.resourceKey}`);
      expect(f.location.file).toMatch(/^(aws|k8s)\//);
      if (example.expect.message) expect(f.message).toMatch(example.expect.message);
    }
  });
});

describe('registry', () => {
  const files = ['aws', 'k8s', 'cross'].flatMap((d) =>
    fs
      .readdirSync(path.join(POLICIES, 'rules', d))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(POLICIES, 'rules', d, f)),
  );

  it('lists every rule file, one rule per file', () => {
    const registered = new Set(RULES);
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(file) as { default?: unknown };
      expect({ file, registered: registered.has(mod.default as never) }).toEqual({ file, registered: true });
    }
    expect(files.length).toBe(RULES.length);
  });

  it('has unique ids and at least 40 rules across all packs', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    const packs = new Set(RULES.map((r) => r.pack));
    for (const p of ['aws-data-protection', 'aws-network', 'aws-identity', 'aws-service-limits', 'k8s-tenancy', 'k8s-capacity', 'cross-target']) expect(packs).toContain(p);
  });

  it('places each rule under the folder of its target', () => {
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const rule = (require(file) as { default: (typeof RULES)[number] }).default;
      const folder = path.basename(path.dirname(file));
      expect({ file, folder }).toEqual({ file, folder: rule.target === 'both' ? 'cross' : rule.target });
    }
  });
});

describe('boundary', () => {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  it('policies never import the model, constructs or stacks', () => {
    const offenders: string[] = [];
    for (const file of walk(POLICIES)) {
      if (file.includes(`${path.sep}conformance${path.sep}`)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of specs) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(path.join(POLICIES, '..'), path.resolve(path.dirname(file), spec));
        if (/^(infra[\\/]model|constructs|stacks)([\\/]|$)/.test(target)) offenders.push(`${path.relative(POLICIES, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('catalogue', () => {
  it('is current in policies/README.md', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { catalogue } = require('../../policies/report/catalogue') as typeof import('../../policies/report/catalogue');
    expect(fs.readFileSync(path.join(POLICIES, 'README.md'), 'utf8')).toContain(catalogue());
  });
});
